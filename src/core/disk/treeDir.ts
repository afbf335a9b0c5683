// One folder of the size tree and the records of its files.
//
// Memory: after a bulk load (deserialize, a scan's compact) a folder's files are a run of slots
// first..first+count-1 of a FileBlock shared by many folders: names as UTF-8 bytes in one
// NameBlock, sizes, allocated bytes and inodes in Float64Arrays. A tracked file then costs its
// name's bytes, 4 bytes of offset and 24 bytes of numbers, all outside the V8 heap: no string, no
// heap number, no object per file. The first structural edit of a folder (a file added or
// removed) turns that folder alone into its editable form (a name list and a number array);
// compactTree packs editable folders into a new block again. Folders with many files also keep a
// name -> slot index once looked up. Hard links (nlink > 1) are the exception: they are kept in a
// per-folder map and a per-inode group (LinkGroup), which knows every tracked name of the inode
// and which one carries its bytes (the first).

import { CHECKPOINT, type Steps } from '../sched/slices';
import { ALLOC as SUM_ALLOC, BYTES, FOLDER_ALLOC, OWN, SUMS, type FolderSums, type SumSlot } from './folderSums';
import { NameBlock, NameBlockBuilder } from './nameBlock';

/** Folders with more files than this keep a name -> slot index; smaller ones search the array. */
export const INDEX_THRESHOLD = 24;

/** Folders with more subfolders than this keep them in a Map; smaller ones in an array. */
export const MAP_THRESHOLD = 32;

const NO_DIRS: readonly Dir[] = [];
/** Placeholder until the constructor gives the folder its slot (one shape for every folder). */
const NO_STORE = new Float64Array(0);

/** Numbers per file slot in `Dir.data` (editable form), and their offsets. */
const FIELDS = 3;
const SIZE = 0;
const ALLOC = 1;
const INO = 2;

/** File records of many folders, one slot per file (a folder's files are a run of slots). */
export interface FileBlock {
  names: NameBlock;
  sizes: Float64Array;
  allocs: Float64Array;
  inos: Float64Array;
}

/** A hard-linked inode: every tracked name of it as folder + name; the first carries the bytes. */
export interface LinkGroup {
  /** "dev:ino". */
  key: string;
  size: number;
  alloc: number;
  dirs: Dir[];
  names: string[];
}

export class Dir implements SumSlot {
  /** Where the folder's sums are (folderSums.ts): a chunk shared with other folders of its tree. */
  sums: Float64Array;
  sumsAt = 0;
  files = 0;
  /**
   * Subfolders: an array while there are few (a Map costs some 300 bytes even for one entry, and
   * most folders have a handful of subfolders or none), a Map past MAP_THRESHOLD. The array grows
   * by push (a copy per added folder, as concat made, was some 11 KB allocated per folder of 50
   * subfolders while a tree was built); compactTree makes it exact-size again.
   */
  private subs: Dir[] | Map<string, Dir> | null = null;
  /** Block-backed form: the folder's files are slots first..first+count-1 of `block`. */
  private block: FileBlock | null = null;
  private first = 0;
  private count = 0;
  /** Editable form (block null): file names in slot order, and FIELDS numbers per slot. */
  private list: string[] | null = null;
  private data: number[] | null = null;
  index: Map<string, number> | null = null;
  /**
   * Hard-linked files of this folder: name, group, name, group... while there are few (as for
   * subfolders: a Map's cost is paid only past MAP_THRESHOLD), else a Map name -> inode group.
   */
  private linkTable: Array<string | LinkGroup> | Map<string, LinkGroup> | null = null;
  /** Without `store` (a folder on its own, in tests) the sums are in an array of the folder's own. */
  constructor(
    readonly name: string,
    readonly parent: Dir | null,
    store?: FolderSums,
  ) {
    this.sums = NO_STORE;
    if (store) store.take(this);
    else this.sums = new Float64Array(SUMS);
  }

  /** Low parts of the apparent and allocated byte sums (exactSums.ts: high * 2^32 + low). */
  get bytes(): number {
    return this.sums[this.sumsAt + BYTES];
  }

  set bytes(v: number) {
    this.sums[this.sumsAt + BYTES] = v;
  }

  get alloc(): number {
    return this.sums[this.sumsAt + SUM_ALLOC];
  }

  set alloc(v: number) {
    this.sums[this.sumsAt + SUM_ALLOC] = v;
  }

  /**
   * The folder's own allocated bytes (st_blocks * 512 of its inode, which du counts), and the sum
   * of those of every folder of its subtree, itself included: apart from `alloc` (files only).
   */
  get own(): number {
    return this.sums[this.sumsAt + OWN];
  }

  set own(v: number) {
    this.sums[this.sumsAt + OWN] = v;
  }

  get folderAlloc(): number {
    return this.sums[this.sumsAt + FOLDER_ALLOC];
  }

  set folderAlloc(v: number) {
    this.sums[this.sumsAt + FOLDER_ALLOC] = v;
  }

  /** Number of subfolders. */
  get dirCount(): number {
    const subs = this.subs;
    return subs === null ? 0 : Array.isArray(subs) ? subs.length : subs.size;
  }

  /** Subfolder `name`, if there is one. */
  child(name: string): Dir | undefined {
    const subs = this.subs;
    if (subs === null) return undefined;
    if (!Array.isArray(subs)) return subs.get(name);
    for (let i = 0; i < subs.length; i++) if (subs[i].name === name) return subs[i];
    return undefined;
  }

  /** Adds subfolder `d` (its parent is this folder; the caller knows its name is new here). */
  addChild(d: Dir): void {
    const subs = this.subs;
    if (subs === null) this.subs = [d];
    else if (!Array.isArray(subs)) subs.set(d.name, d);
    else if (subs.length < MAP_THRESHOLD) subs.push(d);
    else {
      const byName = new Map<string, Dir>();
      for (let i = 0; i < subs.length; i++) byName.set(subs[i].name, subs[i]);
      this.subs = byName.set(d.name, d);
    }
  }

  /** Drops the spare room of the subfolder array (push grows it past its length). */
  trimSubdirs(): void {
    const subs = this.subs;
    if (Array.isArray(subs) && subs.length > 1) this.subs = subs.slice();
  }

  /** Removes subfolder `name`, and returns it. */
  removeChild(name: string): Dir | undefined {
    const subs = this.subs;
    if (subs === null) return undefined;
    if (!Array.isArray(subs)) {
      const d = subs.get(name);
      subs.delete(name);
      return d;
    }
    const i = subs.findIndex((c) => c.name === name);
    if (i < 0) return undefined;
    const d = subs[i];
    // A copy without it, in the same order (as a Map's): the array stays exact-size.
    this.subs = subs.length === 1 ? null : subs.filter((_, k) => k !== i);
    return d;
  }

  /** The subfolders in the order they were added (do not add or remove while iterating). */
  subdirs(): Iterable<Dir> {
    const subs = this.subs;
    return subs === null ? NO_DIRS : Array.isArray(subs) ? subs : subs.values();
  }

  /**
   * The subfolders as an array to index (do not keep it, nor add or remove while reading it): for
   * walks of every folder, which an iterator per folder made allocate (20,000 at 200,000 files).
   */
  subdirList(): readonly Dir[] {
    const subs = this.subs;
    return subs === null ? NO_DIRS : Array.isArray(subs) ? subs : Array.from(subs.values());
  }

  /** Whether any file of the folder is hard-linked. */
  get hasLinks(): boolean {
    return this.linkTable !== null;
  }

  /** The inode group of hard-linked file `name`, if it is one. */
  linkOf(name: string): LinkGroup | undefined {
    const t = this.linkTable;
    if (t === null) return undefined;
    if (!Array.isArray(t)) return t.get(name);
    for (let i = 0; i < t.length; i += 2) if (t[i] === name) return t[i + 1] as LinkGroup;
    return undefined;
  }

  /** Records file `name` as a name of `group`'s inode (replacing what it was). */
  setLink(name: string, group: LinkGroup): void {
    const t = this.linkTable;
    if (t === null) this.linkTable = [name, group];
    else if (!Array.isArray(t)) t.set(name, group);
    else {
      for (let i = 0; i < t.length; i += 2) {
        if (t[i] !== name) continue;
        t[i + 1] = group;
        return;
      }
      if (t.length < 2 * MAP_THRESHOLD) this.linkTable = t.concat(name, group);
      else this.linkTable = new Map([...this.linkEntries(), [name, group]]);
    }
  }

  /** File `name` is no longer a hard link of this folder. */
  deleteLink(name: string): void {
    const t = this.linkTable;
    if (t === null) return;
    if (!Array.isArray(t)) {
      t.delete(name);
      if (t.size === 0) this.linkTable = null;
      return;
    }
    const i = t.indexOf(name);
    if (i < 0 || i % 2 !== 0) return;
    this.linkTable = t.length === 2 ? null : t.filter((_, k) => k !== i && k !== i + 1);
  }

  /** [name, group] of each hard-linked file (a fresh array). */
  linkEntries(): Array<[string, LinkGroup]> {
    const t = this.linkTable;
    if (t === null) return [];
    if (!Array.isArray(t)) return [...t];
    const out: Array<[string, LinkGroup]> = [];
    for (let i = 0; i < t.length; i += 2) out.push([t[i] as string, t[i + 1] as LinkGroup]);
    return out;
  }

  /** Number of file slots. */
  get fileCount(): number {
    return this.count;
  }

  /** Whether the folder's files are a run of a shared block (tests, compactTree). */
  get blockBacked(): boolean {
    return this.block !== null;
  }

  /** The file names in slot order (a fresh array when block-backed: read it once per loop). */
  get names(): readonly string[] {
    if (!this.block) return this.list ?? [];
    const { names } = this.block;
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = names.at(this.first + i);
    return out;
  }

  nameAt(slot: number): string {
    return this.block ? this.block.names.at(this.first + slot) : this.list![slot];
  }

  slotOf(name: string): number {
    if (this.index) return this.index.get(name) ?? -1;
    if (this.count <= INDEX_THRESHOLD) {
      if (!this.block) return this.list?.indexOf(name) ?? -1;
      const i = this.block.names.indexOf(name, this.first, this.first + this.count);
      return i < 0 ? -1 : i - this.first;
    }
    // Built on the first look-up, so a fresh scan does not pay for indexes it never uses.
    this.index = new Map(this.names.map((n, i) => [n, i]));
    return this.index.get(name) ?? -1;
  }

  /** The bytes counted at slot `slot` (0 for a hard link whose bytes another name carries). */
  sizeAt(slot: number): number {
    return this.block ? this.block.sizes[this.first + slot] : this.data![FIELDS * slot + SIZE];
  }

  allocAt(slot: number): number {
    return this.block ? this.block.allocs[this.first + slot] : this.data![FIELDS * slot + ALLOC];
  }

  inoAt(slot: number): number {
    return this.block ? this.block.inos[this.first + slot] : this.data![FIELDS * slot + INO];
  }

  /** Sets a slot's bytes (in place, in the block too). */
  setBytes(slot: number, size: number, alloc: number): void {
    if (this.block) {
      this.block.sizes[this.first + slot] = size;
      this.block.allocs[this.first + slot] = alloc;
      return;
    }
    this.data![FIELDS * slot + SIZE] = size;
    this.data![FIELDS * slot + ALLOC] = alloc;
  }

  /** The UTF-8 bytes of the folder's file names. */
  nameBytes(): number {
    if (this.block) return this.block.names.offsets[this.first + this.count] - this.block.names.offsets[this.first];
    let n = 0;
    for (const name of this.list ?? []) n += Buffer.byteLength(name);
    return n;
  }

  /** The folder's run of its block (block-backed), or null (editable). */
  run(): { block: FileBlock; first: number; count: number } | null {
    return this.block ? { block: this.block, first: this.first, count: this.count } : null;
  }

  /** Appends name `slot`'s bytes to `out` (no string when block-backed). */
  writeName(slot: number, out: NameBlockBuilder): void {
    if (this.block) out.pushFrom(this.block.names, this.first + slot);
    else out.push(this.list![slot]);
  }

  /**
   * Makes slots first..first+count-1 of `block` this folder's files (it has none yet). The caller
   * counts them in the sums; the block's arrays are shared, not copied.
   */
  adopt(block: FileBlock, first: number, count: number): void {
    this.block = block;
    this.first = first;
    this.count = count;
    this.list = null;
    this.data = null;
    this.index = null;
  }

  /** The editable form (a block-backed folder is copied out of its block: one edit pays this once). */
  private editable(): { names: string[]; data: number[] } {
    if (this.block) {
      const { sizes, allocs, inos } = this.block;
      const names = this.names as string[];
      const data = new Array<number>(FIELDS * this.count);
      for (let i = 0, j = this.first; i < this.count; i++, j++) {
        data[FIELDS * i + SIZE] = sizes[j];
        data[FIELDS * i + ALLOC] = allocs[j];
        data[FIELDS * i + INO] = inos[j];
      }
      this.block = null;
      this.list = names;
      this.data = data;
    }
    this.list ??= [];
    this.data ??= [];
    return { names: this.list, data: this.data };
  }

  /** Appends a file slot (the caller knows `name` is not in the folder yet); returns the slot. */
  pushFile(name: string, size: number, alloc: number, ino: number): number {
    const { names, data } = this.editable();
    const slot = this.count++;
    names.push(name);
    data.push(size, alloc, ino);
    this.index?.set(name, slot);
    return slot;
  }

  /** Removes slot `slot`: the last slot moves into its place. */
  removeSlot(slot: number): void {
    const { names, data } = this.editable();
    const last = this.count - 1;
    const removed = names[slot];
    if (slot !== last) {
      const moved = names[last];
      names[slot] = moved;
      for (let k = 0; k < FIELDS; k++) data[FIELDS * slot + k] = data[FIELDS * last + k];
      this.index?.set(moved, slot);
    }
    this.index?.delete(removed);
    names.pop();
    this.count--;
    data.length -= FIELDS;
    if (this.index && this.count < INDEX_THRESHOLD / 2) this.index = null;
  }

  /** Whether the folder is in its editable form with files (what compactTree packs). */
  get loose(): boolean {
    return this.block === null && this.count > 0;
  }

  /** Packs this folder alone into a block of its own (compactTree packs many into one). */
  compact(): void {
    if (!this.loose) return;
    const w = new FileBlockWriter(this.count, 16 * this.count);
    w.pack(this);
    w.finish();
  }

  /** Whether `name` of this folder is the name carrying its inode's bytes (true when not linked). */
  carries(name: string): boolean {
    const group = this.linkOf(name);
    return !group || (group.dirs[0] === this && group.names[0] === name);
  }

  /** The folder-relative path of this folder ('' for the root). */
  path(): string {
    const segments: string[] = [];
    if (!this.parent) return '';
    segments.push(this.name);
    for (let d: Dir | null = this.parent; d && d.parent; d = d.parent) segments.push(d.name);
    return segments.reverse().join('/');
  }
}

/** Packs editable folders into one new block: pack() each, then finish() hands the block out. */
class FileBlockWriter {
  private readonly names: NameBlockBuilder;
  private readonly sizes: Float64Array;
  private readonly allocs: Float64Array;
  private readonly inos: Float64Array;
  private readonly packed: Array<[Dir, number, number]> = [];
  private used = 0;

  constructor(
    readonly capacity: number,
    nameBytes: number,
  ) {
    this.names = new NameBlockBuilder(capacity, nameBytes);
    this.sizes = new Float64Array(capacity);
    this.allocs = new Float64Array(capacity);
    this.inos = new Float64Array(capacity);
  }

  /** Copies folder `d`'s records in (false when they no longer fit: it stays editable). */
  pack(d: Dir): boolean {
    const n = d.fileCount;
    if (this.used + n > this.capacity) return false;
    for (let i = 0, j = this.used; i < n; i++, j++) {
      d.writeName(i, this.names);
      this.sizes[j] = d.sizeAt(i);
      this.allocs[j] = d.allocAt(i);
      this.inos[j] = d.inoAt(i);
    }
    this.packed.push([d, this.used, n]);
    this.used += n;
    return true;
  }

  finish(): void {
    const block: FileBlock = { names: this.names.finish(), sizes: this.sizes, allocs: this.allocs, inos: this.inos };
    for (const [d, first, n] of this.packed) {
      if (!d.loose || d.fileCount !== n) continue;
      const index = d.index;
      d.adopt(block, first, d.fileCount);
      // Slots keep their numbers: the index stays right.
      d.index = index;
    }
  }
}

/**
 * Packs every editable folder of the subtree at `top` into one new shared block (see Dir), so a
 * tree built file by file (scanSync, replaceSubtree, deserialize's fallback) ends up as light as
 * an adopted one. Block-backed folders are left as they are. A checkpoint every CHECKPOINT files,
 * for a tree no one else edits meanwhile (deserialize's, before it is returned; or run at once).
 */
export function* compactTree(top: Dir): Steps<void> {
  const loose: Dir[] = [];
  const stack: Dir[] = [top];
  let files = 0;
  let done = 0;
  while (stack.length) {
    const d = stack.pop()!;
    if (d.loose) {
      loose.push(d);
      files += d.fileCount;
    }
    done += d.fileCount + 1;
    if (done >= CHECKPOINT) {
      done = 0;
      yield;
    }
    d.trimSubdirs();
    const subs = d.subdirList();
    for (let i = 0; i < subs.length; i++) stack.push(subs[i]);
  }
  if (files === 0) return;
  const w = new FileBlockWriter(files, 16 * files);
  done = 0;
  for (const d of loose) {
    if (d.loose) w.pack(d);
    done += d.fileCount;
    if (done >= CHECKPOINT) {
      done = 0;
      yield;
    }
  }
  w.finish();
}
