// Watcher cost on a large tree: chokidar's time to 'ready' and the process's peak RSS, as the
// extension configures it (ignoreInitial, no symlink following, folders only: file changes come
// as raw events of their folder) and, for comparison, with chokidar's default of one watch per
// file, which on the whole 200,000-file tree exceeds the kernel's fs.inotify.max_user_watches
// (192,536 on these machines): such failures are printed as they are. Each run is a fresh child
// process so peak RSS (VmHWM) belongs to that run alone.
//   npx tsx bench/watch.ts TREE_DIR [RUNS]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface RunResult {
  readyMs?: number;
  peakRss: number;
  baselineRss: number;
  error?: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

async function child(dirs: string[]): Promise<void> {
  const baseline = peakRssBytes();
  const { watch } = await import('chokidar');
  const started = performance.now();
  const options = { ignoreInitial: true, followSymlinks: false, ignorePermissionErrors: true, persistent: true };
  const watcher =
    process.env.WATCH_MODE === 'files'
      ? watch(dirs, options)
      : // As the extension does: folders only (file changes arrive as raw events of their folder).
        watch(dirs, {
          ...options,
          ignored: (_p: string, stats?: { isDirectory(): boolean }) => stats !== undefined && !stats.isDirectory(),
        });
  const result: RunResult = await new Promise((resolve) => {
    watcher.on('ready', () =>
      resolve({ readyMs: performance.now() - started, peakRss: peakRssBytes(), baselineRss: baseline }),
    );
    watcher.on('error', (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      resolve({ error: code, peakRss: peakRssBytes(), baselineRss: baseline });
    });
  });
  process.stdout.write(JSON.stringify(result));
  // A failed watcher may keep handles open: leave without waiting for them.
  void watcher.close();
  process.exit(0);
}

function measure(label: string, dirs: string[], runs: number, mode: 'folders' | 'files' = 'folders'): void {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', ...dirs], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      timeout: 300_000,
      env: { ...process.env, WATCH_MODE: mode },
    });
    results.push(JSON.parse(out));
  }
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const failed = results.filter((r) => r.error);
  console.log(`  ${label}`);
  if (failed.length) {
    const limit = readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim();
    console.log(
      `    chokidar failed in ${failed.length} of ${runs} runs: ${failed[0].error} (fs.inotify.max_user_watches = ${limit}); peak RSS before failing ${mb(median(failed.map((r) => r.peakRss)))}`,
    );
  }
  const ok = results.filter((r) => !r.error);
  if (ok.length) {
    console.log(
      `    ready after   ${(median(ok.map((r) => r.readyMs!)) / 1000).toFixed(2)} s  (runs: ${ok.map((r) => (r.readyMs! / 1000).toFixed(2)).join(' ')})`,
    );
    console.log(
      `    peak RSS      ${mb(median(ok.map((r) => r.peakRss)))}  (process baseline ${mb(median(ok.map((r) => r.baselineRss)))})`,
    );
  }
}

function main(): void {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--child') {
    void child(rest);
    return;
  }
  const tree = mode;
  if (!tree) throw new Error('usage: bench/watch.ts TREE_DIR [RUNS]');
  const runs = Number(rest[0] ?? 3);
  const top = readdirSync(tree)
    .sort()
    .map((n) => join(tree, n));
  console.log(`\n== Watching with chokidar (as the extension configures it), ${runs} runs, median, on ${tree}`);
  const half = top.slice(0, Math.ceil(top.length / 2));
  measure(`whole tree, folders only (as the extension watches)`, [tree], runs);
  measure(`half the tree (${half.length} of ${top.length} top-level folders), folders only`, half, runs);
  measure(`half the tree, every file watched (chokidar's default, for comparison)`, half, runs, 'files');
  measure(`whole tree, every file watched (chokidar's default)`, [tree], 1, 'files');
  console.log('  Folders above workspaceUsage.watch.maxEntries (default 50,000 entries) are not watched but rescanned');
  console.log('  every reconcileIntervalMinutes in the scan worker (see the full scan figures above).');
}

main();
