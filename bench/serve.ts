// `workspace-usage serve` under load (`npx tsx --expose-gc bench/serve.ts`, also run by
// `npm run bench`): the built server (dist/cli.js) on the 200,000-file bench tree that
// bench/disk.ts generates (cached under the OS temp dir), driven by autocannon. Prints requests
// per second (unthrottled) and p99 latency at a fixed 1,000 requests/s, for
// /api/v1/workstreams/:ws/usage and /metrics, and the server's RSS beside the heap the size tree
// of the same folder takes in this process. Goals: p99 under 5 ms at 1,000 requests/s; RSS
// within 1.5x of the tree's heap.
//   WORKSPACE_USAGE_BENCH_TREE=DIR   the tree (default: $TMPDIR/workspace-usage-bench/tree-200k)
//   WORKSPACE_USAGE_BENCH_SECONDS=N  seconds per autocannon run (default 5)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { scanSync } from '../src/core/disk/scanner';

const TREE = process.env.WORKSPACE_USAGE_BENCH_TREE ?? path.join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
const SECONDS = Math.max(2, Number(process.env.WORKSPACE_USAGE_BENCH_SECONDS ?? 5));
const ROOT = path.resolve(__dirname, '..');
const gc = (globalThis as { gc?: () => void }).gc;

function treeHeapBytes(): { bytes: number; files: number } {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const result = scanSync(TREE, {});
  gc?.();
  const bytes = process.memoryUsage().heapUsed - before;
  const files = result.tree.total().files;
  // Keep the tree alive until measured.
  return { bytes: result.tree ? bytes : 0, files };
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function load(url: string, rate?: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, duration: SECONDS, ...(rate ? { overallRate: rate } : {}) });
}

async function main(): Promise<void> {
  if (!existsSync(TREE)) {
    console.log(`serve bench: no tree at ${TREE}; run bench/disk.ts first (it generates it). Skipped.`);
    return;
  }
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const state = mkdtempSync(path.join(tmpdir(), 'wu-serve-bench-'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'serve', TREE, '--port', '0', '--state-dir', state],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on (\S+)\n/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    console.log(`serve: ${TREE} scanned and listening in ${Date.now() - started} ms`);
    const ws = path.basename(TREE);
    const rows: string[][] = [['endpoint', 'max req/s', 'p99 @1000/s (ms)', 'p50 @1000/s (ms)', 'errors']];
    for (const [name, target] of [
      ['usage', `${url}/api/v1/workstreams/${ws}/usage`],
      ['metrics', `${url}/metrics`],
    ]) {
      const max = await load(target);
      const fixed = await load(target, 1000);
      rows.push([
        name,
        Math.round(max.requests.average).toLocaleString('en-US'),
        fixed.latency.p99.toFixed(2),
        fixed.latency.p50.toFixed(2),
        String(max.errors + max.non2xx + fixed.errors + fixed.non2xx),
      ]);
    }
    const rss = rssOf(child.pid!);
    const heap = treeHeapBytes();
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `server RSS after the load: ${mb(rss)}; size tree heap of the same ${heap.files.toLocaleString('en-US')} files in this process: ${mb(heap.bytes)} (RSS / tree heap: ${(rss / heap.bytes).toFixed(2)}x)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(state, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
