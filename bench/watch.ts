// Watcher cost on a large tree: chokidar's time to 'ready' and the process's peak RSS, as the
// extension configures it (ignoreInitial, no symlink following). Each run is a fresh child
// process so peak RSS (VmHWM) belongs to that run alone.
//   npx tsx bench/watch.ts TREE_DIR [RUNS]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

async function child(dir: string): Promise<void> {
  const baseline = peakRssBytes();
  const { watch } = await import('chokidar');
  const started = performance.now();
  const watcher = watch(dir, { ignoreInitial: true, followSymlinks: false, ignorePermissionErrors: true, persistent: true });
  await new Promise<void>((resolve, reject) => {
    watcher.on('ready', () => resolve());
    watcher.on('error', reject);
  });
  const readyMs = performance.now() - started;
  const peak = peakRssBytes();
  await watcher.close();
  process.stdout.write(JSON.stringify({ readyMs, peakRss: peak, baselineRss: baseline }));
}

async function main(): Promise<void> {
  const [mode, dir, runsArg] = process.argv.slice(2);
  if (mode === '--child') return child(dir);
  const tree = mode;
  if (!tree) throw new Error('usage: bench/watch.ts TREE_DIR [RUNS]');
  const runs = Number(dir ?? runsArg ?? 3);
  const results: Array<{ readyMs: number; peakRss: number; baselineRss: number }> = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', tree], { encoding: 'utf8', maxBuffer: 1 << 20 });
    results.push(JSON.parse(out));
  }
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(`\n== Watching (chokidar, ${runs} runs, median) on ${tree}`);
  console.log(`  ready after        ${(median(results.map((r) => r.readyMs)) / 1000).toFixed(2)} s`);
  console.log(`  peak RSS           ${mb(median(results.map((r) => r.peakRss)))} (process baseline ${mb(median(results.map((r) => r.baselineRss)))})`);
  console.log('  note: folders above workspaceUsage.watch.maxEntries (default 100,000 entries) are rescanned periodically instead of watched.');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
