// The size tree's flat form, to move a tree (or a worker's partial tree) between threads: typed
// arrays that postMessage can transfer, folder names as strings and file names as one block
// (nameBlock.ts). Written by SerializedTreeWriter (SizeTree.serialize, a parallel scan's worker)
// and adopted by SizeTree.deserialize, one part after another for a parallel scan (mergeScan.ts).
// readSerializedTree and concatTrees read and join trees entry by entry: the tests' reference
// for what the writer wrote and for what adopting several parts must equal.
import { CHECKPOINT, type Steps } from '../sched/slices';
import { NameBlock, NameBlockBuilder } from './nameBlock';

/** A tree flattened for postMessage (typed arrays can be transferred). */
export interface SerializedTree {
  /** Folders in creation order (a parent before its children); folder 0 is the root. */
  dirNames: string[];
  dirParents: Int32Array;
  /** Per folder: its own allocated bytes (st_blocks * 512 of its inode), 0 when not listed here. */
  dirAllocs: Float64Array;
  /** File names as one UTF-8 block (nameBlock.ts): no string per file until one is asked for. */
  fileNames: NameBlock;
  fileDirs: Int32Array;
  /** Per file: size and allocated bytes of its inode (for every name of a hard-linked inode). */
  fileSizes: Float64Array;
  fileAllocs: Float64Array;
  fileInos: Float64Array;
  /** Hard-linked files: LINK_FIELDS numbers each (see the accessors below). */
  links: Float64Array;
}

/** A hard-linked file's entry: its device, and whether this name carries the inode's bytes. */
export interface TreeLink {
  dev: number;
  carries: boolean;
}

/** Numbers per entry of `links`: [file index, dev, 1 when the name carries the bytes else 0]. */
const LINK_FIELDS = 3;
const LINK_FILE = 0;
const LINK_DEV = 1;
const LINK_CARRIES = 2;

/** Builds a serialized tree folder by folder and file by file; folder 0 (the root) exists. */
export class SerializedTreeWriter {
  readonly dirNames: string[] = [''];
  readonly dirParents: number[] = [-1];
  private readonly dirAllocs: number[] = [0];
  // Per file: typed arrays grown by doubling, not number[]s (no heap numbers per file).
  private readonly fileNames: NameBlockBuilder;
  private fileDirs: Int32Array;
  private sizes: Float64Array;
  private allocs: Float64Array;
  private inos: Float64Array;
  private files = 0;

  /**
   * With the number of files and of their names' bytes when known (serialize): the arrays are then
   * of exact size and finish() hands them out without a copy.
   */
  constructor(files = 1024, nameBytes = 16 * files) {
    const n = Math.max(1, files);
    this.fileNames = new NameBlockBuilder(n, nameBytes);
    this.fileDirs = new Int32Array(n);
    this.sizes = new Float64Array(n);
    this.allocs = new Float64Array(n);
    this.inos = new Float64Array(n);
  }
  private readonly links: number[] = [];

  /** Adds folder `name` below folder `parent`; returns its index. */
  addDir(parent: number, name: string): number {
    this.dirNames.push(name);
    this.dirAllocs.push(0);
    return this.dirParents.push(parent) - 1;
  }

  /** Folder `dir`'s own allocated bytes (its inode's blocks). */
  setDirAlloc(dir: number, alloc: number): void {
    this.dirAllocs[dir] = alloc;
  }

  /**
   * Adds a file of folder `dir`; returns its index (for addLink). `name` is the name, or a
   * function appending it to the names (a name copied from another block without decoding it).
   */
  addFile(
    dir: number,
    name: string | ((names: NameBlockBuilder) => void),
    size: number,
    alloc: number,
    ino: number,
  ): number {
    const i = this.files++;
    if (i === this.sizes.length) this.grow();
    if (typeof name === 'string') this.fileNames.push(name);
    else name(this.fileNames);
    this.fileDirs[i] = dir;
    this.sizes[i] = size;
    this.allocs[i] = alloc;
    this.inos[i] = ino;
    return i;
  }

  /**
   * Adds files first..first+count-1 of the arrays (names copied as bytes, numbers in one copy
   * each); returns the first's index.
   */
  addFileRun(
    dir: number,
    src: { names: NameBlock; sizes: Float64Array; allocs: Float64Array; inos: Float64Array },
    first: number,
    count: number,
  ): number {
    const i = this.files;
    while (this.files + count > this.sizes.length) this.grow();
    this.fileNames.pushRange(src.names, first, first + count);
    this.fileDirs.fill(dir, i, i + count);
    this.sizes.set(src.sizes.subarray(first, first + count), i);
    this.allocs.set(src.allocs.subarray(first, first + count), i);
    this.inos.set(src.inos.subarray(first, first + count), i);
    this.files += count;
    return i;
  }

  private grow(): void {
    const n = Math.max(1, 2 * this.sizes.length);
    const f64 = (a: Float64Array) => {
      const next = new Float64Array(n);
      next.set(a);
      return next;
    };
    const dirs = new Int32Array(n);
    dirs.set(this.fileDirs);
    this.fileDirs = dirs;
    this.sizes = f64(this.sizes);
    this.allocs = f64(this.allocs);
    this.inos = f64(this.inos);
  }

  /** Marks file `file` hard-linked (its inode is dev + its ino). */
  addLink(file: number, link: TreeLink): void {
    this.links.push(file, link.dev, link.carries ? 1 : 0);
  }

  finish(): SerializedTree {
    const n = this.files;
    const exact = <T extends Int32Array | Float64Array>(a: T): T => (a.length === n ? a : (a.slice(0, n) as T));
    return {
      dirNames: this.dirNames,
      dirParents: Int32Array.from(this.dirParents),
      dirAllocs: Float64Array.from(this.dirAllocs),
      fileNames: this.fileNames.finish(),
      fileDirs: exact(this.fileDirs),
      fileSizes: exact(this.sizes),
      fileAllocs: exact(this.allocs),
      fileInos: exact(this.inos),
      links: Float64Array.from(this.links),
    };
  }
}

export interface SerializedTreeReader {
  /** Folder `index` (>= 1, in order: a parent before its children). */
  dir(index: number, parent: number, name: string, alloc: number): void;
  /** File `index` of folder `dir`; `link` when it is hard-linked. */
  file(index: number, dir: number, name: string, size: number, alloc: number, ino: number, link: TreeLink | null): void;
}

/** Reads the folders (after the root), then the files, in order; a checkpoint every CHECKPOINT entries. */
export function* readSerializedTree(s: SerializedTree, reader: SerializedTreeReader): Steps<void> {
  for (let i = 1; i < s.dirNames.length; i++) {
    reader.dir(i, s.dirParents[i], s.dirNames[i], s.dirAllocs?.[i] ?? 0);
    if (i % CHECKPOINT === 0) yield;
  }
  const linked = new Map<number, TreeLink>();
  forEachLink(s, (_k, file, link) => linked.set(file, link));
  for (let i = 0; i < s.fileNames.length; i++) {
    if (i % CHECKPOINT === 0) yield;
    reader.file(
      i,
      s.fileDirs[i],
      s.fileNames.at(i),
      s.fileSizes[i],
      s.fileAllocs[i],
      s.fileInos[i],
      linked.get(i) ?? null,
    );
  }
}

/** Entries of `links` in `s`. */
export function linkCount(s: SerializedTree): number {
  return s.links.length / LINK_FIELDS;
}

/** Calls `fn` for each hard-linked file: entry number, file index, device and carrier flag. */
export function forEachLink(s: SerializedTree, fn: (k: number, file: number, link: TreeLink) => void): void {
  for (let k = 0, i = 0; i < s.links.length; k++, i += LINK_FIELDS) {
    fn(k, s.links[i + LINK_FILE], { dev: s.links[i + LINK_DEV], carries: s.links[i + LINK_CARRIES] === 1 });
  }
}

/** Sets whether link entry `k` carries its inode's bytes. */
export function setCarrier(s: SerializedTree, k: number, carries: boolean): void {
  s.links[LINK_FIELDS * k + LINK_CARRIES] = carries ? 1 : 0;
}

/** Folder `dir` of `s` as a folder-relative path. */
export function pathOfDir(s: SerializedTree, dir: number): string {
  const segments: string[] = [];
  for (let d = dir; d > 0; d = s.dirParents[d]) segments.push(s.dirNames[d]);
  return segments.reverse().join('/');
}

/**
 * The trees as one: every tree's folder 0 is the root; their other folders and files follow in
 * order (folders of the same path stay separate entries: deserializing joins them by name).
 * Link entries keep their carrier flags.
 */
export function* concatTrees(trees: SerializedTree[]): Steps<SerializedTree> {
  let dirCount = 1;
  let fileCount = 0;
  let linkLength = 0;
  for (const t of trees) {
    dirCount += t.dirNames.length - 1;
    fileCount += t.fileNames.length;
    linkLength += t.links.length;
  }
  const dirNames: string[] = [''];
  const dirParents = new Int32Array(dirCount);
  dirParents[0] = -1;
  const dirAllocs = new Float64Array(dirCount);
  const fileNames = NameBlock.concat(trees.map((t) => t.fileNames));
  const fileDirs = new Int32Array(fileCount);
  const fileSizes = new Float64Array(fileCount);
  const fileAllocs = new Float64Array(fileCount);
  const fileInos = new Float64Array(fileCount);
  const links = new Float64Array(linkLength);
  let d0 = 0;
  let f0 = 0;
  let l0 = 0;
  for (const t of trees) {
    // Tree folder i (i >= 1) becomes folder d0 + i; its folder 0 is the root.
    for (let i = 1; i < t.dirNames.length; i++) {
      dirNames.push(t.dirNames[i]);
      const parent = t.dirParents[i];
      dirParents[d0 + i] = parent === 0 ? 0 : d0 + parent;
      dirAllocs[d0 + i] = t.dirAllocs?.[i] ?? 0;
    }
    // The root is listed by one part only.
    dirAllocs[0] = Math.max(dirAllocs[0], t.dirAllocs?.[0] ?? 0);
    for (let i = 0; i < t.fileNames.length; i++) {
      if (i % CHECKPOINT === 0) yield;
      const d = t.fileDirs[i];
      fileDirs[f0 + i] = d === 0 ? 0 : d0 + d;
    }
    fileSizes.set(t.fileSizes, f0);
    fileAllocs.set(t.fileAllocs, f0);
    fileInos.set(t.fileInos, f0);
    links.set(t.links, l0);
    for (let i = l0; i < l0 + t.links.length; i += LINK_FIELDS) links[i + LINK_FILE] += f0;
    d0 += t.dirNames.length - 1;
    f0 += t.fileNames.length;
    l0 += t.links.length;
  }
  return { dirNames, dirParents, dirAllocs, fileNames, fileDirs, fileSizes, fileAllocs, fileInos, links };
}

/**
 * A serialized tree as it crosses threads: the folder names as one block of UTF-8 (NUL between
 * names; no name holds one), the file names' block as its two arrays (a class does not survive
 * postMessage), all transferred like the typed arrays. Arrays of 200,000 strings would be cloned,
 * and the receiving thread rebuilds a clone in one go when the message arrives: ~0.3 s of the
 * extension host's thread, measured. File names stay bytes on the receiving side too (NameBlock);
 * folder names (~10 % of entries, keys of Maps) are decoded name by name, with checkpoints.
 */
export interface PackedTree extends Omit<SerializedTree, 'dirNames' | 'fileNames'> {
  names: Uint8Array;
  dirCount: number;
  fileNameBytes: Uint8Array;
  fileNameOffsets: Uint32Array;
}

export function packTree(tree: SerializedTree): PackedTree {
  const { dirNames, fileNames, ...arrays } = tree;
  // TextEncoder gives a buffer of its own (Buffer.from may share a pool slab, unsafe to transfer).
  const names = new TextEncoder().encode(dirNames.join('\0'));
  return {
    ...arrays,
    names,
    dirCount: dirNames.length,
    fileNameBytes: fileNames.bytes,
    fileNameOffsets: fileNames.offsets,
  };
}

/** The tree of a PackedTree: folder names decoded with checkpoints, file names adopted as they are. */
export function* unpackTree(packed: PackedTree): Steps<SerializedTree> {
  const { names, dirCount, fileNameBytes, fileNameOffsets, ...arrays } = packed;
  const block = Buffer.from(names.buffer, names.byteOffset, names.byteLength);
  const dirNames = yield* decodeNames(block, dirCount);
  return { ...arrays, dirNames, fileNames: new NameBlock(fileNameBytes, fileNameOffsets) };
}

/**
 * The `count` NUL-separated UTF-8 names of `bytes`, one string each: split() of one decoded
 * string would give V8 sliced strings, and a single name kept (every folder's is) would keep the
 * whole block's text alive (+23 MB at 200,000 files, measured).
 */
export function* decodeNames(bytes: Buffer, count: number): Steps<string[]> {
  const out: string[] = [];
  if (count === 0) return out;
  const length = bytes.length;
  for (let start = 0; ;) {
    if (out.length % CHECKPOINT === 0) yield;
    // The NUL looked for here, not with indexOf: a call into it per name (most are a few bytes)
    // allocated 0.8 MB at 200,000 files in the extension host.
    let end = start;
    if (out.length < count - 1) while (end < length && bytes[end] !== 0) end++;
    else end = length;
    out.push(bytes.toString('utf8', start, end));
    if (end >= length) return out;
    start = end + 1;
  }
}

/** The transferable buffers of a packed tree. */
export function transferList(tree: PackedTree): ArrayBuffer[] {
  // dirAllocs is copied, not moved (8 bytes a folder): the transfer list stays as it was.
  return [
    tree.dirParents,
    tree.fileDirs,
    tree.fileSizes,
    tree.fileAllocs,
    tree.fileInos,
    tree.links,
    tree.names,
    tree.fileNameBytes,
    tree.fileNameOffsets,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** A deep copy of `s` (deserialize takes ownership of the arrays it is given: see SizeTree). */
export function cloneSerializedTree(s: SerializedTree): SerializedTree {
  return {
    dirNames: [...s.dirNames],
    dirParents: s.dirParents.slice(),
    dirAllocs: s.dirAllocs.slice(),
    fileNames: new NameBlock(s.fileNames.bytes.slice(), s.fileNames.offsets.slice()),
    fileDirs: s.fileDirs.slice(),
    fileSizes: s.fileSizes.slice(),
    fileAllocs: s.fileAllocs.slice(),
    fileInos: s.fileInos.slice(),
    links: s.links.slice(),
  };
}
