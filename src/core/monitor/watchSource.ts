// Where a folder monitor's file events come from. The monitor needs only this interface; the
// default source is chokidar (chokidarWatchSource.ts), and another (the editor's own file
// watcher) can be plugged in through FolderMonitorOptions.watchSource.
import * as path from 'node:path';
import { matchesAnyGlob } from '../paths/glob';

export type WatchEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WatchHandlers {
  /** A change at `absPath` (files as 'change' when only their folder is watched). */
  onEvent(event: WatchEvent, absPath: string): void;
  /** The source reports changes from now on. */
  onReady(): void;
  /** A failure of the source (ENOSPC / EMFILE make the monitor fall back to periodic rescans). */
  onError(error: unknown): void;
}

export interface WatchSource {
  start(handlers: WatchHandlers): void;
  close(): Promise<void>;
}

/** What to watch. */
export interface WatchTarget {
  folder: string;
  /** The usage log: watched too, even outside the folder or in an excluded path. */
  logPath: string;
  /** Paths whose events are not wanted (exclude globs and the editor's watcher excludes). */
  excluded(absPath: string): boolean;
  /** Polling instead of native events (file systems without inotify). */
  usePolling: boolean;
}

export type WatchSourceFactory = (target: WatchTarget) => WatchSource;

/** The `excluded` of a WatchTarget: a path below `folder` matching any of the globs. */
export function excludedBy(folder: string, ...globLists: string[][]): (absPath: string) => boolean {
  return (absPath) => {
    const rel = path.relative(folder, absPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return false;
    return globLists.some((globs) => matchesAnyGlob(rel, globs));
  };
}
