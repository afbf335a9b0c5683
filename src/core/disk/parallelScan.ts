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
//
// Folders reached twice (bind mounts, cycles through them): scanSync enters the first its walk
// meets, the one of smallest key, and reports the others. Workers cannot share one set of folders
// synchronously, and "first met" across threads would depend on timing; so each worker records
// every folder's st_dev/st_ino and skips a folder it has already met at a smaller key (which
// also ends a cycle: an ancestor's key is a prefix, so smaller), and the merge keeps, per device
// and inode, the copy of smallest key and empties the others (resolveDuplicates). That is exact
// and the same folders as scanSync; the price is that a bind-mounted subtree split between
// workers may be walked twice before the merge drops one copy.
import { alreadyCounted, OTHER_FILE_SYSTEM, SeenDirs, type ScanResult } from './scanner';
import { SizeTree, type SerializedTree } from './sizeTree';
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
  /** Folders on another file system (oneFileSystem); folders reached twice are found by the merge. */
  notEntered: ScanResult['notEntered'];
  files: number;
  /** Per folder of `tree`: st_dev and st_ino when this part listed (or declined) it, else NaN. */
  dirDevs: Float64Array;
  dirInos: Float64Array;
  /** Per folder: its key step below its parent; and the keys of the units' start folders. */
  dirSteps: Float64Array;
  unitKeys: Array<[number, number[]]>;
}

export interface PartialScanOptions {
  /** With the root's st_dev: stay on that file system (du -x). */
  oneFileSystem?: boolean;
  rootDev?: number;
  /** Stat each folder for its device and inode (default true); false when nothing is mounted below the root. */
  statFolders?: boolean;
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

interface Frame extends DirFrame {
  /** The folder's index in the partial tree. */
  dir: number;
}

/** The order key of folder `dir` of a part: its unit's key, then the steps down to it. */
function keyOfDir(dir: number, parents: ArrayLike<number>, steps: ArrayLike<number>, unitKeys: Map<number, number[]>): number[] {
  const path: number[] = [];
  let d = dir;
  for (let base = unitKeys.get(d); base === undefined; base = unitKeys.get(d)) {
    path.push(steps[d]);
    d = parents[d];
  }
  return unitKeys.get(d)!.concat(path.reverse());
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
  private readonly notEntered: ScanResult['notEntered'] = [];
  // The partial tree, flat: folder 0 is the root; a unit's folder and those above it are added
  // by path (once per worker); the merge joins folders of the same path.
  private readonly dirNames: string[] = [''];
  private readonly dirParents: number[] = [-1];
  private readonly dirSteps: number[] = [0];
  private readonly dirDevs: number[] = [NaN];
  private readonly dirInos: number[] = [NaN];
  private readonly unitKeys = new Map<number, number[]>();
  /** Folders this worker entered, by device and inode: their index. */
  private readonly seen = new SeenDirs<number>();
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
    private readonly options: PartialScanOptions = {},
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

  private addDir(parent: number, name: string, step = 0): number {
    this.dirNames.push(name);
    this.dirSteps.push(step);
    this.dirDevs.push(NaN);
    this.dirInos.push(NaN);
    return this.dirParents.push(parent) - 1;
  }

  private keyOf(dir: number): number[] {
    return keyOfDir(dir, this.dirParents, this.dirSteps, this.unitKeys);
  }

  /** Walks the units and everything below them (less what is donated meanwhile). */
  run(units: WorkUnit[]): void {
    const stack = this.stack;
    for (const u of units) {
      const path = typeof u.path === 'string' ? u.path : Buffer.from(u.path.buffer, u.path.byteOffset, u.path.byteLength);
      const dir = this.dirOf(u.rel.split('/').filter((p) => p !== '').join('/'));
      this.unitKeys.set(dir, u.key);
      stack.push({ dir, path, rel: u.rel, anchor: null });
    }
    const { control, fileNames, fileDirs, sizes, allocs, inos, options } = this;
    const sink: DirSink<Frame> = {
      enter: (frame, st) => {
        if (options.oneFileSystem && st.dev !== options.rootDev) {
          this.notEntered.push({ path: frame.rel || '.', reason: OTHER_FILE_SYSTEM });
          return false;
        }
        this.dirDevs[frame.dir] = st.dev;
        this.dirInos[frame.dir] = st.ino;
        const prior = this.seen.get(st);
        // Met before at a smaller key: the merge keeps that copy (and reports this one).
        if (prior !== undefined && prior !== frame.dir && compareKeys(this.keyOf(prior), this.keyOf(frame.dir)) < 0) return false;
        this.seen.set(st, frame.dir);
        return true;
      },
      file: (frame, name, st, index) => {
        if (st.nlink > 1) {
          this.links.push(fileNames.length, st.dev, 0);
          this.linkKeys.push([...this.keyOf(frame.dir), 0, index]);
        }
        fileNames.push(name);
        fileDirs.push(frame.dir);
        sizes.push(st.size);
        allocs.push(st.blocks * 512);
        inos.push(st.ino);
        this.files++;
      },
      dir: (frame, name, path, rel, anchor, index) => {
        stack.push({ dir: this.addDir(frame.dir, name, DIR_STEP_BASE - index), path, rel, anchor });
      },
    };
    const lister = new DirLister(this.exclude, this.skipped, { statFolders: options.statFolders ?? true });
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
        given.push({ path: typeof f.path === 'string' ? f.path : new Uint8Array(f.path), rel: f.rel, key: this.keyOf(f.dir) });
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
    return {
      tree,
      linkKeys: this.linkKeys,
      skipped: this.skipped,
      notEntered: this.notEntered,
      files: this.files,
      dirDevs: Float64Array.from(this.dirDevs),
      dirInos: Float64Array.from(this.dirInos),
      dirSteps: Float64Array.from(this.dirSteps),
      unitKeys: [...this.unitKeys],
    };
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

/** Folder `dir` of a part as a folder-relative path. */
function pathInPart(t: SerializedTree, dir: number): string {
  const segments: string[] = [];
  for (let d = dir; d > 0; d = t.dirParents[d]) segments.push(t.dirNames[d]);
  return segments.reverse().join('/');
}

function inside(path: string, folders: string[]): boolean {
  return folders.some((f) => path.startsWith(`${f}/`));
}

/**
 * Folders reached more than once, over all parts (see the header): per device and inode the copy
 * of smallest key stays; the others are to be emptied (`drop`, outermost only) and are reported
 * in `notEntered`, as scanSync reports them. `skipped` and `notEntered` lose what lies inside a
 * dropped copy (scanSync never went there).
 */
export function resolveDuplicates(parts: ScanPart[]): { drop: string[]; skipped: ScanResult['skipped']; notEntered: ScanResult['notEntered'] } {
  const copies = new SeenDirs<Array<[number, number]>>();
  const groups: Array<Array<[number, number]>> = [];
  parts.forEach((p, i) => {
    for (let d = 0; d < p.dirDevs.length; d++) {
      if (Number.isNaN(p.dirDevs[d])) continue;
      const id = { dev: p.dirDevs[d], ino: p.dirInos[d] };
      const list = copies.get(id);
      if (list) {
        if (list.length === 1) groups.push(list);
        list.push([i, d]);
      } else copies.set(id, [[i, d]]);
    }
  });
  const dropped: Array<{ path: string; at: string }> = [];
  const unitKeys = parts.map((p) => new Map(p.unitKeys));
  for (const group of groups) {
    const ranked = group
      .map(([i, d]) => ({ key: keyOfDir(d, parts[i].tree.dirParents, parts[i].dirSteps, unitKeys[i]), path: pathInPart(parts[i].tree, d) }))
      .sort((a, b) => compareKeys(a.key, b.key));
    for (const copy of ranked.slice(1)) if (copy.path !== ranked[0].path) dropped.push({ path: copy.path, at: ranked[0].path });
  }
  const drop = [...new Set(dropped.map((d) => d.path))].filter((p, _, all) => !inside(p, all)).sort();
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const notEntered = [
    ...parts.flatMap((p) => p.notEntered),
    ...dropped.filter((d) => drop.includes(d.path)).map((d) => ({ path: d.path, reason: alreadyCounted(d.at) })),
  ].filter((n) => !inside(n.path, drop));
  return { drop, skipped: parts.flatMap((p) => p.skipped).filter((s) => !inside(s.path, drop)), notEntered: notEntered.sort(byPath) };
}

/** The parts as one tree, as scanSync would have found it (scanInWorker's last step). */
export function mergeScan(root: string, parts: ScanPart[]): Omit<ScanResult, 'durationMs'> {
  const { drop, skipped, notEntered } = resolveDuplicates(parts);
  const tree = SizeTree.deserialize(root, mergeParts(parts));
  for (const rel of drop) tree.emptyFolder(rel);
  return { tree, skipped, notEntered };
}
