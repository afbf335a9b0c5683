// Parallel full scan: the design, and the work-sharing protocol between the coordinator (on the
// caller's thread, scanInWorker.ts) and the workers (scanWorker.ts running partialScan.ts). The
// merge is mergeScan.ts, the order keys scanOrder.ts.
//
// Each worker keeps its own explicit stack of folders, each listed by the step scanSync uses
// (walkDirectory.ts: readdir with d_type, lstat for files only, Buffer names for non-UTF-8,
// /proc/self/fd re-rooting past 3000 bytes), into flat arrays: a partial tree already in
// serialized form. When the coordinator flags it (a ShareBoard), a worker donates the bottom
// half of its pending stack (the shallowest folders, the largest subtrees) as work units: path
// (raw bytes when a name is not UTF-8), folder-relative path and order key. Folders whose path
// goes through a /proc/self/fd anchor are never donated (the descriptor is the owner's, closed
// when its last folder is listed). The unit of sharing is a folder: the files of one huge flat
// folder are stat'ed by the one worker that lists it.
//
// Hard links: which name of an inode carries its bytes must not depend on how the walk was split.
// scanSync's rule is "the first name its walk meets" (scanOrder.ts): the merge gives the bytes to
// the name with the smallest order key, so per-folder figures equal scanSync's.
//
// Folders reached twice (bind mounts, cycles through them): scanSync enters the first its walk
// meets, the one of smallest key, and reports the others. Workers cannot share one set of folders
// synchronously, and "first met" across threads would depend on timing; so each worker records
// every folder's st_dev/st_ino and skips a folder it has already met at a smaller key (which
// also ends a cycle: an ancestor's key is a prefix, so smaller), and the merge keeps, per device
// and inode, the copy of smallest key and empties the others (resolveDuplicates). That is exact
// and the same folders as scanSync; the price is that a bind-mounted subtree split between
// workers may be walked twice before the merge drops one copy.
import type { ScanPart } from './partialScan';
import type { PackedTree } from './serializedTree';
import type { WorkUnit } from './scanOrder';

/** Coordinator to worker. */
export type ToWorker = { type: 'work'; units: WorkUnit[] } | { type: 'finish' };

/** Worker to coordinator. */
export type FromWorker =
  | { type: 'progress'; files: number }
  | { type: 'donate'; units: WorkUnit[] }
  | { type: 'idle'; files: number }
  /** Started and listening (a pool with a walker on the coordinator's thread counts it from then). */
  | { type: 'up' }
  | { type: 'done'; part: PackedPart };

/** A worker's part as it crosses threads: the tree packed (serializedTree.ts, PackedTree). */
export type PackedPart = Omit<ScanPart, 'tree'> & { tree: PackedTree };

/**
 * Memory shared by the coordinator and its n workers (an Int32Array on a SharedArrayBuffer):
 * [0, n) "donate now" flags, [n, 2n) folders pending on each worker's stack, [2n, 3n) "out of
 * work" flags. Workers read their donate flag once per folder. A walk on the coordinator's own
 * thread reads the out-of-work flags once per folder: a worker's 'idle' message waits for that
 * thread's event loop, so the walk there ends its slice at once rather than keep the worker
 * waiting up to a slice (8 ms) for work each time it runs out (bench/cli.ts at 200,000 files: the
 * walk with this thread taking part was 60 ms slower than the workers alone before this).
 */
export class ShareBoard {
  private readonly cells: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly n: number,
  ) {
    this.cells = new Int32Array(buffer);
  }

  static create(n: number): ShareBoard {
    return new ShareBoard(new SharedArrayBuffer(12 * n), n);
  }

  /** Coordinator: asks worker `id` to donate. */
  ask(id: number): void {
    Atomics.store(this.cells, id, 1);
  }

  /** Either side: the request to `id` is answered (or void: it went idle). */
  clear(id: number): void {
    Atomics.store(this.cells, id, 0);
  }

  /** Worker: whether it is asked to donate. */
  asked(id: number): boolean {
    return Atomics.load(this.cells, id) !== 0;
  }

  /** Worker: its pending folder count. */
  setPending(id: number, folders: number): void {
    Atomics.store(this.cells, this.n + id, folders);
  }

  pending(id: number): number {
    return Atomics.load(this.cells, this.n + id);
  }

  /** Worker: it is out of work (set before it says 'up' or 'idle'); coordinator: work was sent to it. */
  setHungry(id: number, hungry: boolean): void {
    Atomics.store(this.cells, 2 * this.n + id, hungry ? 1 : 0);
  }

  /** Whether any worker is out of work and waiting for the coordinator. */
  anyHungry(): boolean {
    for (let id = 0; id < this.n; id++) if (Atomics.load(this.cells, 2 * this.n + id) !== 0) return true;
    return false;
  }
}
