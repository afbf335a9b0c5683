// The extension host's share of a first number, outside the editor: the folder monitor's code as
// the extension bundles it (its scans in the scan process), run in fresh Node processes on the
// 200,000-file bench tree.
//   npx tsx bench/hostThread.ts [TREE] [RUNS]
// Prints, medians over RUNS (default 3): time to the first number and to the first exact number,
// cold (no stored sizes) and warm (the stored sizes of the cold run: shown at once, marked, then
// replaced by the scan), beside the scan alone in the same worker pool (the CLI's scan); the
// event loop's longest stall and the stalls over 50 ms (a 5 ms timer that came late: on a busy
// machine the OS's scheduling counts too, so the load average is printed); RSS over the process's
// own start (settled after GC, and peak).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const tree =
  process.argv[2] ?? process.env.WORKSPACE_USAGE_BENCH_TREE ?? join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
const runs = Number(process.argv[3] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'wu-hostthread-'));
const child = join(work, 'child.js');
const worker = join(work, 'scanWorker.js');
const common = {
  bundle: true,
  platform: 'node' as const,
  mainFields: ['module', 'main'],
  logLevel: 'warning' as const,
};
buildSync({ ...common, entryPoints: [resolve(__dirname, 'hostThreadChild.ts')], outfile: child });
buildSync({ ...common, entryPoints: [resolve(__dirname, '../src/core/disk/scanWorker.ts')], outfile: worker });
// The scan process, its worker beside it (as in dist/): the monitor scans the folder there.
buildSync({
  ...common,
  entryPoints: [resolve(__dirname, '../src/cli/scanProcess.ts')],
  outfile: join(work, 'scanProcess.js'),
});

interface Run {
  firstMs?: number;
  exactMs?: number;
  scanMs?: number;
  stalls: number[];
  files: number;
  rssOverBase?: number;
  peakOverBase?: number;
  heapUsed?: number;
}

function once(snapshotDir: string, mode: 'monitor' | 'scan'): Run {
  const r = spawnSync(process.execPath, ['--expose-gc', child, tree, snapshotDir, worker, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`hostThread child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Run;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB`;

const cold: Run[] = [];
const warm: Run[] = [];
const scans: Run[] = [];
for (let i = 0; i < runs; i++) {
  const dir = join(work, `snap-${i}`);
  cold.push(once(dir, 'monitor'));
  warm.push(once(dir, 'monitor'));
  scans.push(once(dir, 'scan'));
  rmSync(dir, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });

const scanMs = median(scans.map((r) => r.scanMs!));
console.log(
  `\nHost thread (folder monitor as bundled, plain Node, ${cold[0].files.toLocaleString('en-US')} files, medians of ${runs}; load ${loadavg()[0].toFixed(1)})`,
);
console.log(`  scan alone (the CLI's worker pool):      ${ms(scanMs)}`);
for (const [label, rs] of [
  ['cold', cold],
  ['warm (stored sizes)', warm],
] as const) {
  const first = median(rs.map((r) => r.firstMs!));
  const exact = median(rs.map((r) => r.exactMs!));
  const longest = median(rs.map((r) => Math.max(0, ...r.stalls)));
  const over = median(rs.map((r) => r.stalls.length));
  console.log(`  ${label}:`);
  console.log(
    `    first number ${ms(first)}, first exact number ${ms(exact)} (${(exact / scanMs).toFixed(2)}x the scan alone)`,
  );
  console.log(`    longest event-loop stall ${ms(longest)}, stalls over 50 ms: ${over}`);
  console.log(
    `    RSS over the process's start: ${mb(median(rs.map((r) => r.rssOverBase!)))} settled, ${mb(median(rs.map((r) => r.peakOverBase!)))} peak; heap used ${mb(median(rs.map((r) => r.heapUsed!)))}`,
  );
}
console.log(`  scan alone: longest stall ${ms(median(scans.map((r) => Math.max(0, ...r.stalls))))}`);
