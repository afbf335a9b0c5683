// The size tree: per directory the apparent bytes, allocated bytes and file count of everything
// below it. Updates touch only the path to the root (O(depth)). Hard-linked inodes count once.
//
// Memory: a tracked file costs its name string, one slot in its folder's name array and three
// numbers (size, allocated, inode) in the folder's number array; no object per file. Folders with many
// files also keep a name -> slot index. Hard links (nlink > 1) are the exception: they are kept in
// a per-folder map and a per-inode group, which knows every tracked name of the inode and which
// one carries its bytes (the first); when that name goes, the bytes move to a remaining name.
//
// Exactness: a folder's byte sums are exact to the byte up to 2^63 (a double alone is exact only
// to 2^53, 8 PiB, past which the last digits of a sum would be lost): each sum is a low part
// kept within +-2^52, where adding a file's size (a double, exact below 2^53) is exact, plus a
// high part counting units of 2^32 that the low part overflows into. `exact()` reads them as
// BigInts; the number figures are the nearest double. High parts live in a side table, only for
// the folders that ever overflowed (nothing per file, nothing per ordinary folder).
export interface StatLike {
  size: number;
  blocks: number;
  ino: number;
  dev: number;
  nlink: number;
}

export interface NodeSummary {
  bytes: number;
  allocatedBytes: number;
  files: number;
  isDirectory: boolean;
}

export interface EntrySummary extends NodeSummary {
  name: string;
  relPath: string;
}

/** One entry of a folder's largest list (what the views show; folderSnapshot.ts re-exports it). */
export interface LargestEntry {
  name: string;
  relPath: string;
  isDirectory: boolean;
  bytes: number;
  allocatedBytes: number;
  files: number;
}

/** A folder of the tree, for the scanner to add entries without path look-ups. */
export type DirHandle = { readonly __dirHandle: never };

/** A tree flattened for postMessage (typed arrays can be transferred). */
export interface SerializedTree {
  /** Folders in creation order (a parent before its children); folder 0 is the root. */
  dirNames: string[];
  dirParents: Int32Array;
  fileNames: string[];
  fileDirs: Int32Array;
  /** Per file: size and allocated bytes of its inode (for every name of a hard-linked inode). */
  fileSizes: Float64Array;
  fileAllocs: Float64Array;
  fileInos: Float64Array;
  /** Hard-linked files: [file index, dev, 1 when this name carries the inode's bytes else 0] each. */
  links: Float64Array;
}

/** Folders with more files than this keep a name -> slot index; smaller ones search the array. */
const INDEX_THRESHOLD = 24;

/** Past this a folder's low part overflows into its high part (see the header). */
const LIMIT = 2 ** 52;
/** What one unit of a high part is worth. */
const UNIT = 2 ** 32;

/** A folder's high parts: units of 2^32 of its apparent and allocated byte sums. */
interface High {
  bytes: number;
  alloc: number;
}

/** High parts of the folders whose sums ever passed 2^52 (of any tree). */
const highParts = new WeakMap<Dir, High>();
/** Whether any folder ever needed one (then sums are read through the table). */
let anyHigh = false;

function highOf(d: Dir): High {
  let h = highParts.get(d);
  if (!h) {
    highParts.set(d, (h = { bytes: 0, alloc: 0 }));
    anyHigh = true;
  }
  return h;
}

class Dir {
  /** Low parts of the apparent and allocated byte sums (exact sum: high * UNIT + low). */
  bytes = 0;
  alloc = 0;
  files = 0;
  dirs: Map<string, Dir> | null = null;
  /** File names; slot i has size data[3i], allocated bytes data[3i+1] and inode number data[3i+2]. */
  names: string[] = [];
  data: number[] = [];
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
}

interface LinkGroup {
  key: string;
  size: number;
  alloc: number;
  /** Every tracked name of the inode as folder + name; the first carries the bytes. */
  dirs: Dir[];
  names: string[];
}

/** Adds to every folder from `dir` up to the root. Byte deltas are whole numbers. */
function bubble(dir: Dir | null, bytes: number, alloc: number, files: number): void {
  if (bytes > LIMIT || bytes < -LIMIT || alloc > LIMIT || alloc < -LIMIT) {
    // A delta past 2^52 (a file of 4 PiB or more): in two parts, each exact.
    const bytesHi = Math.floor(bytes / UNIT);
    const allocHi = Math.floor(alloc / UNIT);
    bubbleParts(dir, bytes - bytesHi * UNIT, bytesHi, alloc - allocHi * UNIT, allocHi, files);
    return;
  }
  for (let d = dir; d; d = d.parent) {
    d.bytes += bytes;
    d.alloc += alloc;
    d.files += files;
    if (d.bytes > LIMIT || d.bytes < -LIMIT || d.alloc > LIMIT || d.alloc < -LIMIT) carry(d);
  }
}

/** Adds `lo + hi * UNIT` bytes (and allocated bytes) to every folder from `dir` up; |lo| <= 2^52. */
function bubbleParts(dir: Dir | null, lo: number, hi: number, allocLo: number, allocHi: number, files: number): void {
  for (let d = dir; d; d = d.parent) {
    d.bytes += lo;
    d.alloc += allocLo;
    d.files += files;
    if (hi !== 0 || allocHi !== 0) {
      const h = highOf(d);
      h.bytes += hi;
      h.alloc += allocHi;
    }
    if (d.bytes > LIMIT || d.bytes < -LIMIT || d.alloc > LIMIT || d.alloc < -LIMIT) carry(d);
  }
}

/** Moves whole units of 2^32 from a folder's low parts to its high parts. */
function carry(d: Dir): void {
  const b = Math.floor(d.bytes / UNIT);
  const a = Math.floor(d.alloc / UNIT);
  if (b === 0 && a === 0) return;
  const h = highOf(d);
  d.bytes -= b * UNIT;
  h.bytes += b;
  d.alloc -= a * UNIT;
  h.alloc += a;
}

/** A folder's high parts, or undefined when it never had any. */
function high(d: Dir): High | undefined {
  return anyHigh ? highParts.get(d) : undefined;
}

/** A folder's sums as the nearest doubles (exact below 2^53). */
function bytesOf(d: Dir): number {
  const h = high(d);
  return h ? h.bytes * UNIT + d.bytes : d.bytes;
}

function allocOf(d: Dir): number {
  const h = high(d);
  return h ? h.alloc * UNIT + d.alloc : d.alloc;
}

/** Exact byte sums, as BigInts. */
export interface ExactSummary {
  bytes: bigint;
  allocatedBytes: bigint;
}

export class SizeTree {
  private readonly rootDir = new Dir('', null);
  /** Hard-linked inodes by "dev:ino". */
  private readonly links = new Map<string, LinkGroup>();
  /** Inodes that became hard-linked through an event: other names of them may be tracked unlinked. */
  private readonly newLinks = new Set<number>();
  private entries = 1;

  constructor(readonly root: string) {}

  private static split(relPath: string): string[] {
    return relPath === '' ? [] : relPath.split('/').filter((p) => p !== '');
  }

  private dirAt(parts: string[], create: boolean): Dir | undefined {
    let dir = this.rootDir;
    for (const part of parts) {
      let next = dir.dirs?.get(part);
      if (!next) {
        if (!create) return undefined;
        next = this.addDirIn(dir, part);
      }
      dir = next;
    }
    return dir;
  }

  /** Creates folder `name` in `dir` (replacing a file of that name). */
  private addDirIn(dir: Dir, name: string): Dir {
    const existing = dir.dirs?.get(name);
    if (existing) return existing;
    if (dir.names.length && dir.slotOf(name) >= 0) this.removeFile(dir, name);
    const next = new Dir(name, dir);
    (dir.dirs ??= new Map()).set(name, next);
    this.entries++;
    return next;
  }

  /**
   * Adds file `name` to `dir` (replacing whatever had that name): `size`/`alloc` are the inode's;
   * `key` ("dev:ino") is given for hard-linked inodes, whose bytes are counted at one name only.
   * `carries`: this name takes the inode's bytes even if another name has them (deserialize).
   * `fresh`: the caller knows the name is new in `dir` (a scan listing a folder once).
   */
  private addFileIn(dir: Dir, name: string, size: number, alloc: number, key: string | null, carries: boolean, ino: number, fresh = false): void {
    if (!fresh) {
      if (dir.dirs?.has(name)) this.removeDir(dir, name);
      else if (dir.names.length) {
        const slot = dir.slotOf(name);
        if (slot >= 0) {
          const group = dir.links?.get(name) ?? null;
          if ((group?.key ?? null) === key && dir.data[3 * slot + 2] === ino) {
            // Same inode as before (a change): update in place.
            if (group) this.setGroupBytes(group, size, alloc);
            else {
              bubble(dir, size - dir.data[3 * slot], alloc - dir.data[3 * slot + 1], 0);
              dir.data[3 * slot] = size;
              dir.data[3 * slot + 1] = alloc;
            }
            return;
          }
          this.removeFile(dir, name);
        }
      }
    }
    let bytes = size;
    let allocated = alloc;
    let count = 1;
    if (key !== null) {
      let group = this.links.get(key);
      if (!group) {
        group = { key, size, alloc, dirs: [], names: [] };
        this.links.set(key, group);
        if (!fresh) this.newLinks.add(ino);
      }
      if (group.dirs.length > 0 && !carries) {
        // Another name carries the inode's bytes; bring them up to date with this stat.
        this.setGroupBytes(group, size, alloc);
        group.dirs.push(dir);
        group.names.push(name);
        bytes = 0;
        allocated = 0;
        count = 0;
      } else if (group.dirs.length > 0) {
        // This name takes over the bytes: the old carrier drops them.
        const d = group.dirs[0];
        const slot = d.slotOf(group.names[0]);
        d.data[3 * slot] = 0;
        d.data[3 * slot + 1] = 0;
        bubble(d, -group.size, -group.alloc, -1);
        group.size = size;
        group.alloc = alloc;
        group.dirs.unshift(dir);
        group.names.unshift(name);
      } else {
        group.size = size;
        group.alloc = alloc;
        group.dirs.push(dir);
        group.names.push(name);
      }
      (dir.links ??= new Map()).set(name, group);
    }
    const slot = dir.names.length;
    dir.names.push(name);
    dir.data.push(bytes, allocated, ino);
    dir.index?.set(name, slot);
    this.entries++;
    bubble(dir, bytes, allocated, count);
  }

  private setGroupBytes(group: LinkGroup, size: number, alloc: number): void {
    if (group.size === size && group.alloc === alloc) return;
    const d = group.dirs[0];
    const slot = d.slotOf(group.names[0]);
    d.data[3 * slot] = size;
    d.data[3 * slot + 1] = alloc;
    bubble(d, size - group.size, alloc - group.alloc, 0);
    group.size = size;
    group.alloc = alloc;
  }

  /** Removes the file at `name` from `dir` and its sizes from the folders above. */
  private removeFile(dir: Dir, name: string): void {
    const slot = dir.slotOf(name);
    if (slot < 0) return;
    const bytes = dir.data[3 * slot];
    const alloc = dir.data[3 * slot + 1];
    let count = 1;
    const group = dir.links?.get(name);
    if (group) {
      dir.links!.delete(name);
      if (dir.links!.size === 0) dir.links = null;
      const carried = group.dirs[0] === dir && group.names[0] === name;
      count = carried ? 1 : 0;
      this.leaveGroup(group, dir, name);
      if (carried) this.promote(group);
    }
    this.removeSlot(dir, slot);
    this.entries--;
    bubble(dir, -bytes, -alloc, -count);
  }

  /** Takes `dir`/`name` out of the group's names (not its bytes). */
  private leaveGroup(group: LinkGroup, dir: Dir, name: string): void {
    for (let i = 0; i < group.dirs.length; i++) {
      if (group.dirs[i] === dir && group.names[i] === name) {
        group.dirs.splice(i, 1);
        group.names.splice(i, 1);
        break;
      }
    }
    if (group.dirs.length === 0) this.links.delete(group.key);
  }

  /** After the carrying name left: the inode's bytes move to the first remaining name. */
  private promote(group: LinkGroup): void {
    if (group.dirs.length === 0) return;
    const d = group.dirs[0];
    const slot = d.slotOf(group.names[0]);
    d.data[3 * slot] = group.size;
    d.data[3 * slot + 1] = group.alloc;
    bubble(d, group.size, group.alloc, 1);
  }

  private removeSlot(dir: Dir, slot: number): void {
    const last = dir.names.length - 1;
    const removed = dir.names[slot];
    if (slot !== last) {
      const moved = dir.names[last];
      dir.names[slot] = moved;
      dir.data[3 * slot] = dir.data[3 * last];
      dir.data[3 * slot + 1] = dir.data[3 * last + 1];
      dir.data[3 * slot + 2] = dir.data[3 * last + 2];
      dir.index?.set(moved, slot);
    }
    dir.index?.delete(removed);
    dir.names.pop();
    dir.data.length -= 3;
    if (dir.index && dir.names.length < INDEX_THRESHOLD / 2) dir.index = null;
  }

  /** Removes folder `name` of `parent` with everything below it. */
  private removeDir(parent: Dir, name: string): void {
    const node = parent.dirs?.get(name);
    if (!node) return;
    parent.dirs!.delete(name);
    const h = high(node);
    bubbleParts(parent, -node.bytes, h ? -h.bytes : 0, -node.alloc, h ? -h.alloc : 0, -node.files);
    // Hard links inside: leave their groups first, then move bytes to names outside the subtree.
    // (A Set: once the carrier left, the next name of the subtree is first in the group too.)
    const orphaned = new Set<LinkGroup>();
    const stack: Dir[] = [node];
    while (stack.length) {
      const d = stack.pop()!;
      this.entries -= 1 + d.names.length;
      if (d.dirs) for (const c of d.dirs.values()) stack.push(c);
      if (d.links) {
        for (const [fileName, group] of d.links) {
          if (group.dirs[0] === d && group.names[0] === fileName) orphaned.add(group);
          this.leaveGroup(group, d, fileName);
        }
      }
    }
    for (const group of orphaned) this.promote(group);
  }

  /** Adds or replaces a regular file. */
  applyAdd(relPath: string, stat: StatLike): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.dirAt(parts, true)!;
    this.addFileIn(dir, name, stat.size, stat.blocks * 512, this.linkKey(stat), false, stat.ino);
  }

  /**
   * After events: tracked names that may be further links of inodes that became hard-linked
   * (e.g. `ln a b` reports only b). The caller lstat's them and applies them again, which puts
   * them in the inode's group so its bytes count once. One pass over the tree per call.
   */
  takeLinkCandidates(): string[] {
    if (this.newLinks.size === 0) return [];
    const inos = new Set(this.newLinks);
    this.newLinks.clear();
    const out: string[] = [];
    const stack: Array<[Dir, string]> = [[this.rootDir, '']];
    while (stack.length) {
      const [d, rel] = stack.pop()!;
      for (let i = 0; i < d.names.length; i++) {
        if (inos.has(d.data[3 * i + 2]) && !d.links?.has(d.names[i])) out.push(rel ? `${rel}/${d.names[i]}` : d.names[i]);
      }
      if (d.dirs) for (const c of d.dirs.values()) stack.push([c, rel ? `${rel}/${c.name}` : c.name]);
    }
    return out;
  }

  private linkKey(stat: StatLike): string | null {
    if (stat.nlink > 1) return `${stat.dev}:${stat.ino}`;
    // A name whose other links were removed (their events may still be on the way) stays in its group.
    if (this.links.size > 0 && (stat.ino !== 0 || stat.dev !== 0)) {
      const key = `${stat.dev}:${stat.ino}`;
      if (this.links.has(key)) return key;
    }
    return null;
  }

  applyChange(relPath: string, stat: StatLike): void {
    this.applyAdd(relPath, stat);
  }

  applyUnlink(relPath: string): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.dirAt(parts, false);
    if (!dir) return;
    if (dir.dirs?.has(name)) this.removeDir(dir, name);
    else this.removeFile(dir, name);
  }

  applyAddDir(relPath: string): void {
    this.dirAt(SizeTree.split(relPath), true);
  }

  /** Another tracked name of the same hard-linked inode as the file at relPath, if any. */
  otherLinkOf(relPath: string): string | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    const dir = name === undefined ? undefined : this.dirAt(parts, false);
    const group = dir?.links?.get(name!);
    if (!group) return undefined;
    const i = group.dirs[0] === dir && group.names[0] === name ? 1 : 0;
    if (i >= group.dirs.length) return undefined;
    const segments = [group.names[i]];
    for (let d: Dir | null = group.dirs[i]; d && d.parent; d = d.parent) segments.push(d.name);
    return segments.reverse().join('/');
  }

  applyUnlinkDir(relPath: string): void {
    this.applyUnlink(relPath);
  }

  /** The folder at relPath (created when missing), for the scanner. */
  dirHandle(relPath: string): DirHandle {
    return this.dirAt(SizeTree.split(relPath), true) as unknown as DirHandle;
  }

  /** Scanner fast path: adds folder `name`, listed once, below `parent`. */
  addScannedDir(parent: DirHandle, name: string): DirHandle {
    const dir = parent as unknown as Dir;
    const next = new Dir(name, dir);
    (dir.dirs ??= new Map()).set(name, next);
    this.entries++;
    return next as unknown as DirHandle;
  }

  /** Scanner fast path: adds file `name`, listed once, below `parent`. */
  addScannedFile(parent: DirHandle, name: string, stat: StatLike): void {
    this.addFileIn(parent as unknown as Dir, name, stat.size, stat.blocks * 512, stat.nlink > 1 ? `${stat.dev}:${stat.ino}` : null, false, stat.ino, true);
  }

  private fileSummary(dir: Dir, slot: number): NodeSummary {
    const name = dir.names[slot];
    const group = dir.links?.get(name);
    const files = group && !(group.dirs[0] === dir && group.names[0] === name) ? 0 : 1;
    return { bytes: dir.data[3 * slot], allocatedBytes: dir.data[3 * slot + 1], files, isDirectory: false };
  }

  get(relPath: string): NodeSummary | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return { bytes: bytesOf(this.rootDir), allocatedBytes: allocOf(this.rootDir), files: this.rootDir.files, isDirectory: true };
    const dir = this.dirAt(parts, false);
    if (!dir) return undefined;
    const sub = dir.dirs?.get(name);
    if (sub) return { bytes: bytesOf(sub), allocatedBytes: allocOf(sub), files: sub.files, isDirectory: true };
    const slot = dir.slotOf(name);
    return slot < 0 ? undefined : this.fileSummary(dir, slot);
  }

  children(relPath: string): EntrySummary[] {
    const dir = this.dirAt(SizeTree.split(relPath), false);
    if (!dir) return [];
    const prefix = relPath === '' ? '' : `${relPath}/`;
    const out: EntrySummary[] = [];
    if (dir.dirs) {
      for (const c of dir.dirs.values()) out.push({ name: c.name, relPath: prefix + c.name, isDirectory: true, bytes: bytesOf(c), allocatedBytes: allocOf(c), files: c.files });
    }
    for (let i = 0; i < dir.names.length; i++) out.push({ name: dir.names[i], relPath: prefix + dir.names[i], ...this.fileSummary(dir, i) });
    return out;
  }

  largest(relPath: string, n: number): EntrySummary[] {
    return this.children(relPath).sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)).slice(0, n);
  }

  /** Names of direct subdirectories (for expanding area patterns). */
  subdirectories(relPath: string): string[] {
    const dir = this.dirAt(SizeTree.split(relPath), false);
    return dir?.dirs ? [...dir.dirs.keys()] : [];
  }

  total(): { bytes: number; allocatedBytes: number; files: number } {
    return { bytes: bytesOf(this.rootDir), allocatedBytes: allocOf(this.rootDir), files: this.rootDir.files };
  }

  /** The exact byte sums of the folder or file at relPath (past 2^53 too). */
  exact(relPath: string): ExactSummary | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    const parent = this.dirAt(parts, false);
    if (!parent) return undefined;
    const dir = name === undefined ? parent : parent.dirs?.get(name);
    if (dir) {
      const h = high(dir);
      return { bytes: BigInt(h?.bytes ?? 0) * BigInt(UNIT) + BigInt(dir.bytes), allocatedBytes: BigInt(h?.alloc ?? 0) * BigInt(UNIT) + BigInt(dir.alloc) };
    }
    const slot = parent.slotOf(name!);
    if (slot < 0) return undefined;
    const file = this.fileSummary(parent, slot);
    return { bytes: BigInt(file.bytes), allocatedBytes: BigInt(file.allocatedBytes) };
  }

  /** The folder-relative path of a folder handle ('' for the root). */
  pathOf(handle: DirHandle): string {
    const segments: string[] = [];
    for (let d: Dir | null = handle as unknown as Dir; d && d.parent; d = d.parent) segments.push(d.name);
    return segments.reverse().join('/');
  }

  /**
   * Empties the folder at relPath, keeping the folder itself: the parallel scan's merge drops the
   * copy of a folder reached twice (bind mount) that scanSync would not have entered.
   */
  emptyFolder(relPath: string): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    const parent = this.dirAt(parts, false);
    if (name === undefined || !parent?.dirs?.has(name)) return;
    this.removeDir(parent, name);
    this.addDirIn(parent, name);
  }

  trackedEntries(): number {
    return this.entries;
  }

  /** The tree as flat arrays (to move it between threads); `SizeTree.deserialize` rebuilds it. */
  serialize(): SerializedTree {
    const dirNames: string[] = [];
    const dirParents: number[] = [];
    const fileNames: string[] = [];
    const fileDirs: number[] = [];
    const sizes: number[] = [];
    const allocs: number[] = [];
    const inos: number[] = [];
    const links: number[] = [];
    const stack: Array<[Dir, number]> = [[this.rootDir, -1]];
    while (stack.length) {
      const [d, parent] = stack.pop()!;
      const id = dirNames.length;
      dirNames.push(d.name);
      dirParents.push(parent);
      for (let i = 0; i < d.names.length; i++) {
        const name = d.names[i];
        const group = d.links?.get(name);
        if (group) {
          links.push(fileNames.length, Number(group.key.slice(0, group.key.indexOf(':'))), group.dirs[0] === d && group.names[0] === name ? 1 : 0);
          sizes.push(group.size);
          allocs.push(group.alloc);
        } else {
          sizes.push(d.data[3 * i]);
          allocs.push(d.data[3 * i + 1]);
        }
        inos.push(d.data[3 * i + 2]);
        fileNames.push(name);
        fileDirs.push(id);
      }
      if (d.dirs) for (const c of d.dirs.values()) stack.push([c, id]);
    }
    return {
      dirNames,
      dirParents: Int32Array.from(dirParents),
      fileNames,
      fileDirs: Int32Array.from(fileDirs),
      fileSizes: Float64Array.from(sizes),
      fileAllocs: Float64Array.from(allocs),
      fileInos: Float64Array.from(inos),
      links: Float64Array.from(links),
    };
  }

  static deserialize(root: string, s: SerializedTree): SizeTree {
    const tree = new SizeTree(root);
    const dirs: Dir[] = [tree.rootDir];
    for (let i = 1; i < s.dirNames.length; i++) dirs.push(tree.addDirIn(dirs[s.dirParents[i]], s.dirNames[i]));
    const linked = new Map<number, [string, boolean]>();
    for (let i = 0; i < s.links.length; i += 3) linked.set(s.links[i], [`${s.links[i + 1]}:${s.fileInos[s.links[i]]}`, s.links[i + 2] === 1]);
    for (let i = 0; i < s.fileNames.length; i++) {
      const link = linked.get(i);
      tree.addFileIn(dirs[s.fileDirs[i]], s.fileNames[i], s.fileSizes[i], s.fileAllocs[i], link ? link[0] : null, link ? link[1] : false, s.fileInos[i], true);
    }
    return tree;
  }

  /** Replaces the subtree at relPath with the same subtree of `other` (a fresh scan). */
  replaceSubtree(relPath: string, other: SizeTree): void {
    const parts = SizeTree.split(relPath);
    if (parts.length === 0) {
      const root = this.rootDir;
      for (const name of [...(root.dirs?.keys() ?? [])]) this.removeDir(root, name);
      for (const name of [...root.names]) this.removeFile(root, name);
    } else {
      const parent = this.dirAt(parts.slice(0, -1), false);
      if (parent) {
        const name = parts[parts.length - 1];
        if (parent.dirs?.has(name)) this.removeDir(parent, name);
        else this.removeFile(parent, name);
      }
    }
    const srcName = parts.pop();
    const srcParent = other.dirAt(parts, false);
    if (!srcParent) return;
    const src = srcName === undefined ? srcParent : srcParent.dirs?.get(srcName);
    if (!src) {
      const slot = srcName === undefined ? -1 : srcParent.slotOf(srcName);
      if (slot >= 0) other.copyFileTo(srcParent, slot, this, this.dirAt(parts, true)!);
      return;
    }
    const stack: Array<[Dir, Dir]> = [[src, this.dirAt(srcName === undefined ? parts : [...parts, srcName], true)!]];
    while (stack.length) {
      const [from, to] = stack.pop()!;
      for (let i = 0; i < from.names.length; i++) other.copyFileTo(from, i, this, to);
      if (from.dirs) for (const c of from.dirs.values()) stack.push([c, this.addDirIn(to, c.name)]);
    }
  }

  private copyFileTo(from: Dir, slot: number, target: SizeTree, to: Dir): void {
    const name = from.names[slot];
    const group = from.links?.get(name);
    // A hard-linked inode joins the target's group (if other names of it are tracked there).
    if (group) target.addFileIn(to, name, group.size, group.alloc, group.key, false, from.data[3 * slot + 2]);
    else target.addFileIn(to, name, from.data[3 * slot], from.data[3 * slot + 1], null, false, from.data[3 * slot + 2]);
  }
}
