// The default WatchSource: chokidar on the folder's directories (and the usage log).
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isInside } from '../log/resolveLogPath';
import type { WatchEvent, WatchHandlers, WatchSource, WatchTarget } from './watchSource';

export function chokidarWatchSource(target: WatchTarget): WatchSource {
  let watcher: FSWatcher | undefined;
  return {
    start(handlers: WatchHandlers): void {
      watcher = startChokidar(target, handlers);
    },
    async close(): Promise<void> {
      await watcher?.close();
    },
  };
}

/**
 * Chokidar on one folder, folders only, without a usage log (an area the editor's watcher leaves
 * out: areaWatches.ts); `excluded`: paths not to report.
 */
export function chokidarFolderSource(
  folder: string,
  excluded: (absPath: string) => boolean,
  usePolling: boolean,
): WatchSource {
  let watcher: FSWatcher | undefined;
  return {
    start(handlers: WatchHandlers): void {
      watcher = startChokidar({ folder, excluded, usePolling }, handlers);
    },
    async close(): Promise<void> {
      await watcher?.close();
    },
  };
}

/** A WatchTarget whose usage log is optional (none: the folder alone). */
type ChokidarTarget = Omit<WatchTarget, 'logPath' | 'areas'> & { logPath?: string };

function startChokidar(target: ChokidarTarget, handlers: WatchHandlers): FSWatcher {
  const { folder, logPath, excluded } = target;
  // Only folders (and the usage log) are watched: one inotify watch per folder instead of one
  // per file (a 200,000-file tree ran out of fs.inotify.max_user_watches). Changes to files
  // arrive as raw events of their folder, with the file's name; the tracker lstats each one.
  const ignored = (absPath: string, stats?: { isDirectory(): boolean }): boolean => {
    if (absPath === logPath) return false;
    return excluded(absPath) || (stats !== undefined && !stats.isDirectory());
  };
  const paths = logPath === undefined || isInside(folder, logPath) ? [folder] : [folder, logPath];
  const watcher = watch(paths, {
    ignoreInitial: true,
    followSymlinks: false,
    ignorePermissionErrors: true,
    atomic: false,
    persistent: true,
    usePolling: target.usePolling,
    ignored,
  });
  const onEvent = (event: WatchEvent) => (file: string) => handlers.onEvent(event, file);
  watcher.on('add', onEvent('add'));
  watcher.on('change', onEvent('change'));
  watcher.on('unlink', onEvent('unlink'));
  watcher.on('addDir', onEvent('addDir'));
  watcher.on('unlinkDir', onEvent('unlinkDir'));
  watcher.on('raw', (_event, name: string | null, details: unknown) => {
    const dir = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (!name || !dir || dir === logPath) return;
    const file = path.join(dir, name);
    // The log has its own 'change' events; excluded paths are not tracked.
    if (file === logPath || excluded(file)) return;
    handlers.onEvent('change', file);
  });
  watcher.on('ready', () => handlers.onReady());
  watcher.on('error', (error: unknown) => handlers.onError(error));
  return watcher;
}
