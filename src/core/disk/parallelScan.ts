// Parallel full scan, the parts that run in each worker and the merge on the caller's side.
//
// Each worker keeps its own explicit stack of folders, each listed by the step scanSync uses
// (walkDirectory.ts: readdir with d_type, lstat for files only, Buffer names for non-UTF-8,
// /proc/self/fd re-rooting past 3000 bytes), into flat arrays: a partial tree already in serialized form, so nothing is built or
// flattened on the worker's side. When the coordinator flags it (a shared Int32Array), a worker
// donates the bottom half of its pending stack (the shallowest folders, the largest subtrees) as
// work units: path (raw bytes when a name is not UTF-8), folder-relative path and order key.
// Folders whose path goes through a /proc/self/fd anchor are never donated (the descriptor is
// the owner's, closed when its last folder is listed). The unit of sharing is a folder: the files
// of one huge flat folder are stat'ed by the one worker that lists it.
//
// Hard links: which name of an inode carries its bytes must not depend on how the walk was split.
// scanSync's rule is "the first name its walk meets": its stack pops folders in reverse listing
// order (depth first) and handles a folder's files, in listing order, before any folder below it.
// Every folder gets an order key (its listing positions from the scan's start folder); a
// hard-linked file's key is its folder's key plus its position. The merge gives the bytes to the
// name with the smallest key, so per-folder figures equal scanSync's.
import type { ScanResult } from './scanner';
import type { SerializedTree } from './sizeTree';
import { DirLister, type DirFrame, type DirSink } from './walkDirectory';

/** A folder handed between threads. */
export interface WorkUnit {
  /** Absolute path: a string, or its raw bytes when a name on it is not valid UTF-8. */
  path: string | Uint8Array;
  rel: string;
  /** Order key (see the header). */
  key: number[];
}

/** What a worker sends back: its partial tree and, per entry of `tree.links`, the file's order key. */
export interface ScanPart {
  tree: SerializedTree;
  linkKeys: number[][];
  skipped: ScanResult['skipped'];
  files: number;
}

export interface WalkControl {
  /** True when the coordinator asks this worker for work (checked once per folder). */
  wantsWork(): boolean;
  donate(units: WorkUnit[]): void;
  /** Folders pending on this worker's stack (for the coordinator to pick whom to ask). */
  pending(n: number): void;
  progress(files: number): void;
}

/** A subfolder's key step: the later in its parent's listing, the earlier the walk meets it. */
const DIR_STEP_BASE = 2 ** 40;

interface KeyNode {
  up: KeyNode | null;
  step: number;
  /** Key of a unit's start folder (set on chain roots only). */
  base: number[] | null;
}

interface Frame extends DirFrame {
  /** The folder's index in the partial tree. */
  dir: number;
  key: KeyNode;
}

function keyOf(node: KeyNode): number[] {
  const steps: number[] = [];
  let n = node;
  for (; n.up; n = n.up) steps.push(n.step);
  return (n.base ?? []).concat(steps.reverse());
}

/** Lexicographic; a missing key sorts last. */
export function compareKeys(a: number[] | undefined, b: number[] | undefined): number {
  if (!a) return b ? 1 : 0;
  if (!b) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The start unit of a scan of `root` (or of its subtree `relPath`). */
export function startUnit(root: string, relPath = ''): WorkUnit {
  return { path: relPath ? `${root}/${relPath}` : root, rel: relPath, key: [] };
}

/**
 * One worker's share of a parallel scan: walks the units it is given into flat arrays (the
 * serialized form of a partial tree, no SizeTree on this side: the caller builds the one tree).
 */
export class PartialScan {
  private readonly stack: Frame[] = [];
  private readonly skipped: ScanResult['skipped'] = [];
  // The partial tree, flat: folder 0 is the root; a unit's folder and those above it are added
  // by path (once per worker); the merge joins folders of the same path.
  private readonly dirNames: string[] = [''];
  private readonly dirParents: number[] = [-1];
  private readonly unitDirs = new Map<string, number>([['', 0]]);
  private readonly fileNames: string[] = [];
  private readonly fileDirs: number[] = [];
  private readonly sizes: number[] = [];
  private readonly allocs: number[] = [];
  private readonly inos: number[] = [];
  /** Hard-linked files: [file index, dev, 0] each (the merge picks the carrying name)... */
  private readonly links: number[] = [];
  /** ...and their order keys. */
  private readonly linkKeys: number[][] = [];
  private files = 0;
  private lastProgress = 0;

  constructor(
    private readonly exclude: string[] = [],
    private readonly control?: WalkControl,
  ) {}

  get fileCount(): number {
    return this.files;
  }

  private dirOf(rel: string): number {
    let id = this.unitDirs.get(rel);
    if (id === undefined) {
      const slash = rel.lastIndexOf('/');
      const parent = slash < 0 ? 0 : this.dirOf(rel.slice(0, slash));
      id = this.addDir(parent, rel.slice(slash + 1));
      this.unitDirs.set(rel, id);
    }
    return id;
  }

  private addDir(parent: number, name: string): number {
    this.dirNames.push(name);
    return this.dirParents.push(parent) - 1;
  }

  /** Walks the units and everything below them (less what is donated meanwhile). */
  run(units: WorkUnit[]): void {
    const stack = this.stack;
    for (const u of units) {
      const path = typeof u.path === 'string' ? u.path : Buffer.from(u.path.buffer, u.path.byteOffset, u.path.byteLength);
      stack.push({ dir: this.dirOf(u.rel.split('/').filter((p) => p !== '').join('/')), path, rel: u.rel, anchor: null, key: { up: null, step: 0, base: u.key } });
    }
    const { control, dirNames, dirParents, fileNames, fileDirs, sizes, allocs, inos } = this;
    const sink: DirSink<Frame> = {
      file: (frame, name, st, index) => {
        if (st.nlink > 1) {
          this.links.push(fileNames.length, st.dev, 0);
          this.linkKeys.push([...keyOf(frame.key), 0, index]);
        }
        fileNames.push(name);
        fileDirs.push(frame.dir);
        sizes.push(st.size);
        allocs.push(st.blocks * 512);
        inos.push(st.ino);
        this.files++;
      },
      dir: (frame, name, path, rel, anchor, index) => {
        dirNames.push(name);
        stack.push({ dir: dirParents.push(frame.dir) - 1, path, rel, anchor, key: { up: frame.key, step: DIR_STEP_BASE - index, base: null } });
      },
    };
    const lister = new DirLister(this.exclude, this.skipped);
    try {
      while (stack.length > 0) {
        if (control) {
          if (stack.length >= 2 && control.wantsWork()) this.donate();
          control.pending(stack.length - 1);
        }
        if (!lister.list(stack.pop()!, sink)) continue;
        if (this.files - this.lastProgress >= 5000) {
          this.lastProgress = this.files;
          control?.progress(this.files);
        }
      }
    } finally {
      lister.close();
      // Only reached with frames left when something threw: drop them with their anchors.
      stack.length = 0;
    }
    control?.pending(0);
  }

  /** Gives the bottom half of the pending stack (anchored folders excepted) to the coordinator. */
  private donate(): void {
    const stack = this.stack;
    const want = stack.length >> 1;
    const given: WorkUnit[] = [];
    let kept = 0;
    for (let i = 0; i < stack.length; i++) {
      const f = stack[i];
      if (given.length < want && f.anchor === null) {
        // Raw bytes travel as a copy of their own (a Buffer may be a view on a shared pool).
        given.push({ path: typeof f.path === 'string' ? f.path : new Uint8Array(f.path), rel: f.rel, key: keyOf(f.key) });
      } else stack[kept++] = f;
    }
    stack.length = kept;
    if (given.length > 0) this.control!.donate(given);
  }

  /** The partial tree as a serialized tree, with the order keys of its hard-linked files. */
  finish(): ScanPart {
    const tree: SerializedTree = {
      dirNames: this.dirNames,
      dirParents: Int32Array.from(this.dirParents),
      fileNames: this.fileNames,
      fileDirs: Int32Array.from(this.fileDirs),
      fileSizes: Float64Array.from(this.sizes),
      fileAllocs: Float64Array.from(this.allocs),
      fileInos: Float64Array.from(this.inos),
      links: Float64Array.from(this.links),
    };
    return { tree, linkKeys: this.linkKeys, skipped: this.skipped, files: this.files };
  }
}

/** The typed arrays of a serialized tree (to transfer them). */
export function transferList(tree: SerializedTree): ArrayBuffer[] {
  return [tree.dirParents, tree.fileDirs, tree.fileSizes, tree.fileAllocs, tree.fileInos, tree.links].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The parts as one serialized tree for SizeTree.deserialize: every part's folder 0 is the root;
 * folders on the way to a unit appear in several parts and are merged by name when rebuilt
 * (deserialize adds a folder once). Every hard-linked inode's bytes go to its name of smallest
 * order key, whichever part it is in; the others count zero.
 */
export function mergeParts(parts: ScanPart[]): SerializedTree {
  let dirCount = 1;
  let fileCount = 0;
  let linkCount = 0;
  for (const p of parts) {
    dirCount += p.tree.dirNames.length - 1;
    fileCount += p.tree.fileNames.length;
    linkCount += p.tree.links.length;
  }
  const dirNames: string[] = [''];
  const dirParents = new Int32Array(dirCount);
  dirParents[0] = -1;
  const fileNames: string[] = [];
  const fileDirs = new Int32Array(fileCount);
  const fileSizes = new Float64Array(fileCount);
  const fileAllocs = new Float64Array(fileCount);
  const fileInos = new Float64Array(fileCount);
  const links = new Float64Array(linkCount);
  // Per inode ("dev:ino"): the link slot and key of the name carrying its bytes so far.
  const carrier = new Map<string, { slot: number; key: number[] | undefined }>();
  let d0 = 0;
  let f0 = 0;
  let l0 = 0;
  for (const { tree: t, linkKeys } of parts) {
    // Part folder i (i >= 1) becomes folder d0 + i; its folder 0 is the root.
    const dirOffset = d0;
    for (let i = 1; i < t.dirNames.length; i++) {
      dirNames.push(t.dirNames[i]);
      const parent = t.dirParents[i];
      dirParents[dirOffset + i] = parent === 0 ? 0 : dirOffset + parent;
    }
    for (let i = 0; i < t.fileNames.length; i++) {
      fileNames.push(t.fileNames[i]);
      const d = t.fileDirs[i];
      fileDirs[f0 + i] = d === 0 ? 0 : dirOffset + d;
    }
    fileSizes.set(t.fileSizes, f0);
    fileAllocs.set(t.fileAllocs, f0);
    fileInos.set(t.fileInos, f0);
    for (let i = 0, k = 0; i < t.links.length; i += 3, k++) {
      const slot = l0 + i;
      links[slot] = f0 + t.links[i];
      links[slot + 1] = t.links[i + 1];
      links[slot + 2] = 0;
      const id = `${t.links[i + 1]}:${t.fileInos[t.links[i]]}`;
      const key = linkKeys[k];
      const best = carrier.get(id);
      if (!best) carrier.set(id, { slot, key });
      else if (compareKeys(key, best.key) < 0) {
        best.slot = slot;
        best.key = key;
      }
    }
    d0 += t.dirNames.length - 1;
    f0 += t.fileNames.length;
    l0 += t.links.length;
  }
  for (const { slot } of carrier.values()) links[slot + 2] = 1;
  return { dirNames, dirParents, fileNames, fileDirs, fileSizes, fileAllocs, fileInos, links };
}
