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
  /**
   * The areas may have changed (the first scan is in: a source started before it saw none).
   * Sources that watch areas of their own (areaWatchSource.ts) plan them again.
   */
  areasChanged?(): void;
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
  /**
   * For a source over the editor's watcher, which reports nothing under files.watcherExclude:
   * what it needs to watch the areas lying there itself (areaWatchPlan.ts). Optional: sources
   * that see everything ignore it.
   */
  areas?: {
    /** The files.watcherExclude globs alone. */
    watcherExclude: string[];
    /** Paths left out of the counts (workspaceUsage.exclude), without the watcher excludes. */
    countExcluded(absPath: string): boolean;
    /** The areas' folder-relative paths now (one per match of a `*` pattern). */
    paths(): string[];
    /** Files and folders inside an area, counted up to a bit past `limit`; undefined: no such folder. */
    entries(relPath: string, limit: number): number | undefined;
    /** workspaceUsage.watch.maxEntries: the entries our own watchers may take together. */
    maxEntries: number;
  };
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
