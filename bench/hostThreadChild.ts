// One run of bench/hostThread.ts (a fresh process each; bundled by esbuild, as the extension is).
// A folder monitor as the extension runs it (the editor's watcher stands in as a no-op shared
// source) on TREE, with its stored sizes in SNAPSHOT_DIR: when the first number shows (stored or
// scanned), when the first exact one does, the event loop's longest stalls, and memory.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultSettings } from '../src/core/config/settings';
import { FolderMonitor } from '../src/core/monitor/folderMonitor';
import { scanInWorker } from '../src/core/disk/scanInWorker';

const [tree, snapshotDir, workerPath, mode] = process.argv.slice(2);
const status = (key: string) =>
  Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

/** Event-loop stalls over 50 ms (a timer every 5 ms that came late). */
function stalls(): { stop(): number[] } {
  const found: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > 50) found.push(now - last);
    last = now;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return found;
    },
  };
}

async function main(): Promise<void> {
  global.gc?.();
  const baseRss = status('VmRSS');
  const watch = stalls();
  const started = performance.now();
  if (mode === 'scan') {
    const result = await scanInWorker(tree, { workerPath });
    const scanMs = performance.now() - started;
    process.stdout.write(JSON.stringify({ scanMs, files: result.tree.total().files, stalls: watch.stop() }));
    return;
  }
  let firstMs: number | undefined;
  let exactMs: number | undefined;
  let monitor: FolderMonitor | undefined = undefined;
  monitor = new FolderMonitor({
    folder: tree,
    name: 'bench',
    settings: defaultSettings(),
    workerPath,
    scanProcessPath: join(dirname(workerPath), 'scanProcess.js'),
    trusted: true,
    watcherExclude: [],
    log: () => undefined,
    warnUser: () => undefined,
    onChange: () => {
      const s = monitor?.snapshot();
      if (!s?.usage) return;
      firstMs ??= performance.now() - started;
      if (!s.stale) exactMs ??= performance.now() - started;
    },
    watchSource: () => ({
      start: (handlers) => queueMicrotask(() => handlers.onReady()),
      close: async () => undefined,
    }),
    sharedWatchSource: true,
    snapshotDir,
  });
  await monitor.start();
  // Settle: the stored sizes are written right after the first scan; then let the heap shrink.
  await monitor.saveSnapshot();
  await new Promise((r) => setTimeout(r, 3000));
  const found = watch.stop();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 1000));
  const files = monitor.snapshot().usage?.files ?? 0;
  process.stdout.write(
    JSON.stringify({
      firstMs,
      exactMs,
      stalls: found,
      files,
      rssOverBase: status('VmRSS') - baseRss,
      peakOverBase: status('VmHWM') - baseRss,
      heapUsed: process.memoryUsage().heapUsed,
    }),
  );
  monitor.dispose();
  process.exit(0);
}

void main();
