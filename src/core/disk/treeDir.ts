// One folder of the size tree and the records of its files.
//
// Memory: a tracked file costs its name string, one slot in its folder's name array and three
// numbers (size, allocated, inode) in the folder's number array; no object per file. Folders with
// many files also keep a name -> slot index. Hard links (nlink > 1) are the exception: they are
// kept in a per-folder map and a per-inode group (LinkGroup), which knows every tracked name of
// the inode and which one carries its bytes (the first).

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
  dirs: Map<string, Dir> | null = null;
  /** File names; slot i's numbers are read and written through the accessors below. */
  names: string[] = [];
  private readonly data: number[] = [];
  index: Map<string, number> | null = null;
  /** Hard-linked files of this folder: name -> inode group. */
  links: Map<string, LinkGroup> | null = null;
  constructor(readonly name: string, readonly parent: Dir | null) {}

  slotOf(name: string): number {
    if (this.index) return this.index.get(name) ?? -1;
    if (this.names.length <= INDEX_THRESHOLD) return this.names.indexOf(name);
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

  /** Appends a file slot (the caller knows `name` is not in the folder yet); returns the slot. */
  pushFile(name: string, size: number, alloc: number, ino: number): number {
    const slot = this.names.length;
    this.names.push(name);
    this.data.push(size, alloc, ino);
    this.index?.set(name, slot);
    return slot;
  }

  /** Removes slot `slot`: the last slot moves into its place. */
  removeSlot(slot: number): void {
    const last = this.names.length - 1;
    const removed = this.names[slot];
    if (slot !== last) {
      const moved = this.names[last];
      this.names[slot] = moved;
      for (let k = 0; k < FIELDS; k++) this.data[FIELDS * slot + k] = this.data[FIELDS * last + k];
      this.index?.set(moved, slot);
    }
    this.index?.delete(removed);
    this.names.pop();
    this.data.length -= FIELDS;
    if (this.index && this.names.length < INDEX_THRESHOLD / 2) this.index = null;
  }

  /** Whether `name` of this folder is the name carrying its inode's bytes (true when not linked). */
  carries(name: string): boolean {
    const group = this.links?.get(name);
    return !group || (group.dirs[0] === this && group.names[0] === name);
  }

  /** The folder-relative path of this folder ('' for the root). */
  path(): string {
    const segments: string[] = [];
    for (let d: Dir | null = this; d && d.parent; d = d.parent) segments.push(d.name);
    return segments.reverse().join('/');
  }
}
