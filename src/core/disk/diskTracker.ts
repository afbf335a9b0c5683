// Applies watcher events to a folder's size tree incrementally: bursts are coalesced (one lstat
// per path per flush), each event updates only the path to the root, and reconcile re-scans a
// subtree to repair drift from missed events.
import { lstatSync } from 'node:fs';
import * as path from 'node:path';
import { matchesAnyGlob } from '../paths/glob';
import { scanInWorker } from './scanInWorker';
import { scanSync } from './scanner';
import type { SizeTree } from './sizeTree';

export type DiskEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface DiskTrackerOptions {
  tree: SizeTree;
  exclude?: string[];
  /** Do not enter folders on other file systems (like du -x), in every rescan too. */
  oneFileSystem?: boolean;
  /** The bundled scan worker: reconcile scans run there, off the caller's thread. */
  workerPath?: string;
  delayMs?: number;
  /** How a reconcile scans a subtree; defaults to the worker (or scanSync without one). For tests. */
  scanSubtree?(relPath: string): Promise<SizeTree>;
  /** How a reconcile scans the whole folder, when not the worker pool (the monitor's scan process). */
  scanFolder?(control: ScanControl): Promise<SizeTree>;
}

/** Cancelling a reconcile scan (the tree then stays as it was) and following its progress. */
export interface ScanControl {
  signal?: AbortSignal;
  onProgress?(files: number): void;
}

/**
 * A reconcile's scan control; `tiny`: the subtree is known to hold a few hundred entries, walked on
 * the caller's thread (about 12 ms for 1,000 files here), where a worker or process would cost
 * more to start than the walk.
 */
export interface ReconcileControl extends ScanControl {
  tiny?: boolean;
}

export class DiskTracker {
  private currentTree: SizeTree;
  private readonly pending = new Map<string, DiskEvent>();
  /** While a reconcile scan runs: paths whose events were applied meanwhile (the scan may predate them). */
  private appliedDuringScan: Map<string, DiskEvent> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(changed: Set<string>) => void> = [];

  constructor(
    readonly folder: string,
    private readonly options: DiskTrackerOptions,
  ) {
    this.currentTree = options.tree;
  }

  /** The folder's size tree (a whole-folder reconcile swaps in the fresh one). */
  get tree(): SizeTree {
    return this.currentTree;
  }

  onDidChange(listener: (changed: Set<string>) => void): void {
    this.listeners.push(listener);
  }

  enqueue(event: DiskEvent, absPath: string): void {
    const rel = path.relative(this.folder, absPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return;
    if (this.options.exclude?.length && matchesAnyGlob(rel, this.options.exclude)) return;
    this.pending.set(rel, event);
    this.timer ??= setTimeout(() => this.flush(), this.options.delayMs ?? 100);
  }

  /** Applies every queued event now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const changed = new Set<string>();
    for (const [rel, event] of this.pending) {
      changed.add(rel);
      this.appliedDuringScan?.set(rel, event);
      if (event === 'unlink' || event === 'unlinkDir') {
        // Writes through this name may have changed the inode's other names, which get no event.
        const other = event === 'unlink' ? this.tree.otherLinkOf(rel) : undefined;
        this.tree.applyUnlink(rel);
        if (other !== undefined && !this.pending.has(other)) this.refreshLink(other, changed);
        continue;
      }
      let st;
      try {
        st = lstatSync(path.join(this.folder, rel));
      } catch (error) {
        // Gone: drop it. Any other error (EACCES, ENAMETOOLONG deep below the folder) says
        // nothing about its size: keep what the scan found.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') this.tree.applyUnlink(rel);
        continue;
      }
      if (st.isFile()) this.tree.applyAdd(rel, st);
      else if (st.isDirectory()) {
        // A new folder (made, or moved in whole): scan it. 'addDir' comes once the watcher
        // watches it, so that scan also sees what was written into it before.
        if (event === 'addDir' || !this.tree.get(rel)?.isDirectory) {
          this.tree.replaceSubtree(rel, this.walkHere(rel));
        } else this.tree.applyAddDir(rel, st);
      } else this.tree.applyUnlink(rel);
    }
    this.pending.clear();
    this.resolveLinks(changed);
    for (const l of this.listeners) l(changed);
  }

  /**
   * Re-scans a subtree ('' = the folder) and replaces it in the tree. The scan runs in the worker
   * when one is configured, so events keep being applied while it runs; those paths are looked
   * at again after the swap, since the scan may have read them before their change.
   */
  async reconcile(relPath = '', control: ReconcileControl = {}): Promise<void> {
    const replay = new Map<string, DiskEvent>();
    this.appliedDuringScan = replay;
    let fresh: SizeTree;
    try {
      fresh = await this.scanSubtree(relPath, control);
      this.flush();
    } finally {
      this.appliedDuringScan = undefined;
    }
    if (relPath === '') this.currentTree = fresh;
    else this.tree.replaceSubtree(relPath, fresh);
    for (const [rel, event] of replay) this.pending.set(rel, event);
    this.flush();
    this.resolveLinks(new Set());
    for (const l of this.listeners) l(new Set([relPath]));
  }

  private async scanSubtree(relPath: string, { signal, onProgress, tiny }: ReconcileControl): Promise<SizeTree> {
    const { exclude, oneFileSystem, workerPath, scanSubtree, scanFolder } = this.options;
    if (scanSubtree) return scanSubtree(relPath);
    if (tiny) return this.walkHere(relPath);
    if (relPath === '' && scanFolder) return scanFolder({ signal, onProgress });
    // A subtree is usually small: one worker, not a pool whose start would cost more than the walk.
    if (workerPath)
      return (
        await scanInWorker(this.folder, {
          background: true,
          relPath,
          exclude,
          oneFileSystem,
          workerPath,
          workers: relPath === '' ? undefined : 1,
          signal,
          onProgress,
        })
      ).tree;
    return this.walkHere(relPath);
  }

  /** A subtree walked on this thread, with the tracker's excludes. */
  private walkHere(relPath: string): SizeTree {
    const { exclude, oneFileSystem } = this.options;
    return scanSync(this.folder, { relPath, exclude, oneFileSystem }).tree;
  }

  /** `ln a b` reports b only: names of a newly hard-linked inode join its group so it counts once. */
  private resolveLinks(changed: Set<string>): void {
    for (const rel of this.tree.takeLinkCandidates()) this.refreshLink(rel, changed);
  }

  private refreshLink(rel: string, changed: Set<string>): void {
    let st;
    try {
      st = lstatSync(path.join(this.folder, rel));
    } catch {
      return; // its own event will tell
    }
    if (st.isFile()) {
      this.tree.applyAdd(rel, st);
      changed.add(rel);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }
}
