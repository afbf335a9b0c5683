// One folder of the size tree and the records of its files.
//
// Memory: a tracked file costs its name's bytes in its folder's packed name string (after a bulk
// load; see compact) and three numbers (size, allocated, inode) in the folder's number array; no
// object per file. Folders with many files also keep a name -> slot index once looked up. Hard links (nlink > 1) are the exception: they are
// kept in a per-folder map and a per-inode group (LinkGroup), which knows every tracked name of
// the inode and which one carries its bytes (the first).

import { CHECKPOINT, type Steps } from '../sched/slices';

/** Folders with more files than this keep a name -> slot index; smaller ones search the array. */
export const INDEX_THRESHOLD = 24;

/** Numbers per file slot in `Dir.data`, and their offsets. */
const FIELDS = 3;
const SIZE = 0;
const ALLOC = 1;
const INO = 2;

/** A hard-linked inode: every tracked name of it as folder + name; the first carries the bytes. */
export interface LinkGroup {
  /** "dev:ino". */
  key: string;
  size: number;
  alloc: number;
  dirs: Dir[];
  names: string[];
}

export class Dir {
  /** Low parts of the apparent and allocated byte sums (exactSums.ts: high * 2^32 + low). */
  bytes = 0;
  alloc = 0;
  files = 0;
  /**
   * The folder's own allocated bytes (st_blocks * 512 of its inode, which du counts), and the sum
   * of those of every folder of its subtree, itself included: apart from `alloc` (files only).
   */
  own = 0;
  folderAlloc = 0;
  dirs: Map<string, Dir> | null = null;
  /** File names while the folder is being edited; null when packed (see compact()). */
  private list: string[] | null = [];
  /** When `list` is null: the file names joined by '/' (which no name contains), slot order. */
  private packed = '';
  private count = 0;
  /** Per slot FIELDS numbers, read and written through the accessors below. */
  private data: number[] = [];
  index: Map<string, number> | null = null;
  /** Hard-linked files of this folder: name -> inode group. */
  links: Map<string, LinkGroup> | null = null;
  constructor(
    readonly name: string,
    readonly parent: Dir | null,
  ) {}

  /** Number of file slots. */
  get fileCount(): number {
    return this.count;
  }

  /** The file names in slot order (a fresh array when packed: read it once per loop). */
  get names(): readonly string[] {
    if (this.list) return this.list;
    return this.count === 0 ? [] : this.packed.split('/');
  }

  nameAt(slot: number): string {
    return this.list ? this.list[slot] : this.names[slot];
  }

  slotOf(name: string): number {
    if (this.index) return this.index.get(name) ?? -1;
    if (this.count <= INDEX_THRESHOLD) return this.names.indexOf(name);
    // Built on the first look-up, so a fresh scan does not pay for indexes it never uses.
    this.index = new Map(this.names.map((n, i) => [n, i]));
    return this.index.get(name) ?? -1;
  }

  /** The bytes counted at slot `slot` (0 for a hard link whose bytes another name carries). */
  sizeAt(slot: number): number {
    return this.data[FIELDS * slot + SIZE];
  }

  allocAt(slot: number): number {
    return this.data[FIELDS * slot + ALLOC];
  }

  inoAt(slot: number): number {
    return this.data[FIELDS * slot + INO];
  }

  setBytes(slot: number, size: number, alloc: number): void {
    this.data[FIELDS * slot + SIZE] = size;
    this.data[FIELDS * slot + ALLOC] = alloc;
  }

  /** The editable name list (unpacks a packed folder: an edit after a scan pays this once). */
  private editable(): string[] {
    if (!this.list) {
      this.list = this.count === 0 ? [] : this.packed.split('/');
      this.packed = '';
    }
    return this.list;
  }

  /** Appends a file slot (the caller knows `name` is not in the folder yet); returns the slot. */
  pushFile(name: string, size: number, alloc: number, ino: number): number {
    const names = this.editable();
    const slot = this.count++;
    names.push(name);
    this.data.push(size, alloc, ino);
    this.index?.set(name, slot);
    return slot;
  }

  /** Removes slot `slot`: the last slot moves into its place. */
  removeSlot(slot: number): void {
    const names = this.editable();
    const last = this.count - 1;
    const removed = names[slot];
    if (slot !== last) {
      const moved = names[last];
      names[slot] = moved;
      for (let k = 0; k < FIELDS; k++) this.data[FIELDS * slot + k] = this.data[FIELDS * last + k];
      this.index?.set(moved, slot);
    }
    this.index?.delete(removed);
    names.pop();
    this.count--;
    this.data.length -= FIELDS;
    if (this.index && this.count < INDEX_THRESHOLD / 2) this.index = null;
  }

  /**
   * Memory after a bulk load (scan, deserialize): the names become one string (a file then costs
   * its name's bytes, not a string object and an array slot) and the numbers an array of exact
   * length (push leaves up to half again as much room). The next edit unpacks the names.
   */
  compact(): void {
    if (this.list) {
      this.packed = this.list.join('/');
      this.list = null;
    }
    this.data = this.data.slice();
  }

  /** Whether `name` of this folder is the name carrying its inode's bytes (true when not linked). */
  carries(name: string): boolean {
    const group = this.links?.get(name);
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

/** Compacts every folder of the subtree at `top` (see Dir.compact); a checkpoint every CHECKPOINT files. */
export function* compactTree(top: Dir): Steps<void> {
  const stack: Dir[] = [top];
  let done = 0;
  while (stack.length) {
    const d = stack.pop()!;
    d.compact();
    done += d.fileCount + 1;
    if (done >= CHECKPOINT) {
      done = 0;
      yield;
    }
    if (d.dirs) for (const c of d.dirs.values()) stack.push(c);
  }
}
