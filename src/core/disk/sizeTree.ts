// The size tree: per directory the apparent bytes, allocated bytes and file count of everything
// below it. Updates touch only the path to the root (O(depth)). Hard-linked inodes count once.
// The parts: treeDir.ts (a folder and its file records: no object per file), exactSums.ts (sums
// exact to the byte past 2^53), treeStore.ts (the edits, hard-link groups), serializedTree.ts
// (the flat form between threads); this file adds paths, events and read-outs.
import { allocOf, bytesOf, exactOf, type ExactSummary } from './exactSums';
import type { NameBlockBuilder } from './nameBlock';
import { forEachLink, SerializedTreeWriter, type SerializedTree, type TreeLink } from './serializedTree';
import { compactTree, type Dir, type FileBlock } from './treeDir';
import { CHECKPOINT, runAll, type Steps } from '../sched/slices';
import { NEW, NEW_CARRIER, TreeStore, type FileRecord } from './treeStore';

export type { ExactSummary } from './exactSums';
export type { SerializedTree } from './serializedTree';

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

/** One folder of folderSizes(). */
export interface FolderSizeEntry {
  relPath: string;
  bytes: number;
  allocatedBytes: number;
  files: number;
}

/** A folder of the tree, for the scanner to add entries without path look-ups. */
export type DirHandle = { readonly __dirHandle: never };

/** The order of a largest list: bytes, largest first, then by name. */
export function largestFirst(a: EntrySummary, b: EntrySummary): number {
  return b.bytes - a.bytes || (a.name < b.name ? -1 : 1);
}

function dirSummary(d: Dir): NodeSummary {
  return { bytes: bytesOf(d), allocatedBytes: allocOf(d), files: d.files, isDirectory: true };
}

export class SizeTree extends TreeStore {
  constructor(readonly root: string) {
    super();
  }

  /** Adds or replaces a regular file. */
  applyAdd(relPath: string, stat: StatLike): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.dirAt(parts, true)!;
    this.addFileIn(dir, name, { size: stat.size, alloc: stat.blocks * 512, ino: stat.ino, key: this.linkKey(stat) });
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
    if (dir.child(name)) this.removeDir(dir, name);
    else this.removeFile(dir, name);
  }

  /** Adds a folder; with its stat, its own allocated blocks are counted (as du counts them). */
  applyAddDir(relPath: string, stat?: Pick<StatLike, 'blocks'>): void {
    const dir = this.dirAt(SizeTree.split(relPath), true)!;
    if (stat) this.setOwnAlloc(dir, stat.blocks * 512);
  }

  /** Another tracked name of the same hard-linked inode as the file at relPath, if any. */
  otherLinkOf(relPath: string): string | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    const dir = name === undefined ? undefined : this.dirAt(parts, false);
    const group = dir?.linkOf(name!);
    if (!group) return undefined;
    const i = group.dirs[0] === dir && group.names[0] === name ? 1 : 0;
    if (i >= group.dirs.length) return undefined;
    const folder = group.dirs[i].path();
    return folder ? `${folder}/${group.names[i]}` : group.names[i];
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
    return this.addNewDir(parent as unknown as Dir, name) as unknown as DirHandle;
  }

  /** Scanner: the listed folder's own allocated bytes (st_blocks * 512 of its inode). */
  setScannedDirAlloc(dir: DirHandle, alloc: number): void {
    this.setOwnAlloc(dir as unknown as Dir, alloc);
  }

  /** Scanner fast path: adds file `name`, listed once, below `parent`. */
  addScannedFile(parent: DirHandle, name: string, stat: StatLike): void {
    const file: FileRecord = {
      size: stat.size,
      alloc: stat.blocks * 512,
      ino: stat.ino,
      key: stat.nlink > 1 ? `${stat.dev}:${stat.ino}` : null,
    };
    this.addFileIn(parent as unknown as Dir, name, file, NEW);
  }

  private fileSummary(dir: Dir, slot: number, name = dir.nameAt(slot)): NodeSummary {
    return {
      bytes: dir.sizeAt(slot),
      allocatedBytes: dir.allocAt(slot),
      files: dir.carries(name) ? 1 : 0,
      isDirectory: false,
    };
  }

  get(relPath: string): NodeSummary | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return dirSummary(this.rootDir);
    const dir = this.dirAt(parts, false);
    if (!dir) return undefined;
    const sub = dir.child(name);
    if (sub) return dirSummary(sub);
    const slot = dir.slotOf(name);
    return slot < 0 ? undefined : this.fileSummary(dir, slot);
  }

  children(relPath: string): EntrySummary[] {
    const dir = this.dirAt(SizeTree.split(relPath), false);
    if (!dir) return [];
    const prefix = relPath === '' ? '' : `${relPath}/`;
    const out: EntrySummary[] = [];
    for (const c of dir.subdirs())
      out.push({
        name: c.name,
        relPath: prefix + c.name,
        isDirectory: true,
        bytes: bytesOf(c),
        allocatedBytes: allocOf(c),
        files: c.files,
      });
    const names = dir.names;
    for (let i = 0; i < names.length; i++)
      out.push({ name: names[i], relPath: prefix + names[i], ...this.fileSummary(dir, i, names[i]) });
    return out;
  }

  largest(relPath: string, n: number): EntrySummary[] {
    return this.children(relPath).sort(largestFirst).slice(0, n);
  }

  /**
   * Every folder below the root, each before its subfolders, with its sums: what a baseline keeps
   * (baseline.ts). From the folders themselves: no path look-up and no entry per file (listing
   * every folder's entries through largest() allocated 14.6 MB at 45,000 files in the editor's
   * first seconds; see the README). `skip` leaves a folder and its subtree out. The tree may change
   * between two steps (a walk in slices): a folder removed meanwhile, or inside one, is not listed.
   */
  *folderSizes(skip?: (relPath: string) => boolean): Generator<FolderSizeEntry> {
    const root = this.rootDir;
    const attached = (dir: Dir): boolean => {
      let d = dir;
      for (; d.parent; d = d.parent) if (d.parent.child(d.name) !== d) return false;
      return d === root;
    };
    // Folders and their paths on two stacks: no pair per folder (at 200,000 files, 20,000 folders,
    // the pairs and the iterators over subfolders were a third of a baseline's allocations).
    const dirs: Dir[] = [];
    const paths: string[] = [];
    const push = (dir: Dir, relPath: string) => {
      const subs = dir.subdirList();
      if (subs.length === 0) return;
      const prefix = dir === root ? '' : `${relPath}/`;
      for (let i = 0; i < subs.length; i++) {
        dirs.push(subs[i]);
        paths.push(prefix + subs[i].name);
      }
    };
    push(root, '');
    while (dirs.length) {
      const dir = dirs.pop()!;
      const relPath = paths.pop()!;
      if (!attached(dir) || skip?.(relPath)) continue;
      push(dir, relPath);
      yield { relPath, bytes: bytesOf(dir), allocatedBytes: allocOf(dir), files: dir.files };
    }
  }

  /** Names of direct subdirectories (for expanding area patterns). */
  subdirectories(relPath: string): string[] {
    const dir = this.dirAt(SizeTree.split(relPath), false);
    return dir ? Array.from(dir.subdirs(), (c) => c.name) : [];
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
    const dir = name === undefined ? parent : parent.child(name);
    if (dir) return exactOf(dir);
    const slot = parent.slotOf(name!);
    if (slot < 0) return undefined;
    const file = this.fileSummary(parent, slot);
    return { bytes: BigInt(file.bytes), allocatedBytes: BigInt(file.allocatedBytes) };
  }

  /**
   * What `du -sB1` says of the folder or file at relPath (0 when not tracked): the allocated bytes
   * of its files (hard links once) plus those of its folders' own inodes, itself included.
   */
  diskBytes(relPath: string): number {
    const d = this.dirOf(relPath);
    if (d) return allocOf(d) + d.folderAlloc;
    return this.get(relPath)?.allocatedBytes ?? 0;
  }

  /** diskBytes, exact past 2^53 (undefined when not tracked). */
  exactDiskBytes(relPath: string): bigint | undefined {
    const d = this.dirOf(relPath);
    if (d) return exactOf(d).allocatedBytes + BigInt(d.folderAlloc);
    return this.exact(relPath)?.allocatedBytes;
  }

  private dirOf(relPath: string): Dir | undefined {
    return this.dirAt(SizeTree.split(relPath), false);
  }

  /** The folder-relative path of a folder handle ('' for the root). */
  pathOf(handle: DirHandle): string {
    return (handle as unknown as Dir).path();
  }

  /**
   * Empties the folder at relPath, keeping the folder itself: the parallel scan's merge drops the
   * copy of a folder reached twice (bind mount) that scanSync would not have entered.
   */
  emptyFolder(relPath: string): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    const parent = this.dirAt(parts, false);
    if (name === undefined || !parent?.child(name)) return;
    this.removeDir(parent, name);
    this.addDirIn(parent, name);
  }

  /** After a bulk load: every folder's records in their compact form (treeDir.ts, Dir.compact). */
  compact(): void {
    runAll(compactTree(this.rootDir));
  }

  trackedEntries(): number {
    return this.entries;
  }

  /** The tree as flat arrays (to move it between threads); `SizeTree.deserialize` rebuilds it. */
  serialize(): SerializedTree {
    return runAll(this.serializeSteps());
  }

  /**
   * serialize() with checkpoints (slices.ts). Run in slices, edits may land between two of them:
   * each folder is read whole at one moment, so the result is a tree as a scan taken over those
   * milliseconds would see it (what a stored snapshot is: verified by the next scan).
   */
  *serializeSteps(): Steps<SerializedTree> {
    // Sized first (one pass over the folders), so the arrays are filled in place, not regrown.
    let files = 0;
    let nameBytes = 0;
    for (const stack = [this.rootDir]; stack.length;) {
      const d = stack.pop()!;
      files += d.fileCount;
      nameBytes += d.nameBytes();
      const subs = d.subdirList();
      for (let i = 0; i < subs.length; i++) stack.push(subs[i]);
    }
    yield;
    const out = new SerializedTreeWriter(files, nameBytes);
    const stack: Array<[Dir, number]> = [[this.rootDir, -1]];
    let done = 0;
    while (stack.length) {
      if (done >= CHECKPOINT) {
        done = 0;
        yield;
      }
      const [d, parent] = stack.pop()!;
      const id = parent < 0 ? 0 : out.addDir(parent, d.name);
      if (d.own) out.setDirAlloc(id, d.own);
      const n = d.fileCount;
      done += n + 1;
      const run = d.hasLinks ? null : d.run();
      // A block-backed folder without hard links: its run copied at once.
      if (run) out.addFileRun(id, run.block, run.first, run.count);
      else {
        for (let i = 0; i < n; i++) {
          // Names are copied as bytes (no string per file); hard-linked ones are looked up by name.
          const group = d.linkOf(d.nameAt(i));
          const name = (names: NameBlockBuilder) => d.writeName(i, names);
          if (group) {
            // Every name of a hard-linked inode has the inode's sizes; one of them carries them.
            const file = out.addFile(id, name, group.size, group.alloc, d.inoAt(i));
            out.addLink(file, {
              dev: Number(group.key.slice(0, group.key.indexOf(':'))),
              carries: d.carries(d.nameAt(i)),
            });
          } else out.addFile(id, name, d.sizeAt(i), d.allocAt(i), d.inoAt(i));
        }
      }
      for (const c of d.subdirs()) stack.push([c, id]);
    }
    return out.finish();
  }

  /** See deserializeSteps (which takes ownership of `s`'s file arrays). */
  static deserialize(root: string, s: SerializedTree | readonly SerializedTree[]): SizeTree {
    return runAll(SizeTree.deserializeSteps(root, s));
  }

  /**
   * deserialize() with checkpoints (slices.ts): the tree is not shared until it is returned.
   *
   * Takes ownership of `s`'s file arrays (fileNames, fileSizes, fileAllocs, fileInos): a folder
   * whose files are one contiguous run of them (a worker's part, a snapshot, serialize()'s
   * output) adopts that run as it is (treeDir.ts, FileBlock), and hard-linked names that do not
   * carry their inode's bytes are zeroed in place. Do not use `s` afterwards (clone it first).
   * The rest (runs split over the arrays, a folder joined from several parts) is added file by
   * file and packed into a block of its own at the end.
   */
  static *deserializeSteps(root: string, s: SerializedTree | readonly SerializedTree[]): Steps<SizeTree> {
    const tree = new SizeTree(root);
    // Several trees (a parallel scan's parts): as concatTrees would join them, each adopted as is.
    for (const part of Array.isArray(s) ? s : [s]) yield* tree.adoptSteps(part as SerializedTree);
    yield* compactTree(tree.rootDir);
    return tree;
  }

  /** Adds `s` to this tree (see deserializeSteps). */
  private *adoptSteps(s: SerializedTree): Steps<void> {
    const dirs: Dir[] = [this.rootDir];
    for (let i = 1; i < s.dirNames.length; i++) {
      // addDirIn: a folder of the same path from another part of a parallel scan is joined.
      const d = this.addDirIn(dirs[s.dirParents[i]], s.dirNames[i]);
      // Only the part that listed a folder knows its blocks; the others' copies say 0.
      const alloc = s.dirAllocs?.[i] ?? 0;
      if (alloc) this.setOwnAlloc(d, alloc);
      dirs.push(d);
      if (i % CHECKPOINT === 0) yield;
    }
    const runs = yield* fileRuns(s);
    const linked = new Map<number, TreeLink>();
    forEachLink(s, (_k, file, link) => linked.set(file, link));
    // The hard-linked files in file order: a run is asked about each of its files (recordOf) only
    // when one of them is in it (at 200,000 files, 2 % of them linked, the lookups for every file
    // were 9-20 ms of the merge).
    const linkedFiles = Int32Array.from(linked.keys()).sort();
    let nextLinked = 0;
    const recordOf = (i: number): { file: FileRecord; how: typeof NEW } | undefined => {
      const link = linked.get(i);
      if (!link) return undefined;
      const file: FileRecord = {
        size: s.fileSizes[i],
        alloc: s.fileAllocs[i],
        ino: s.fileInos[i],
        key: `${link.dev}:${s.fileInos[i]}`,
      };
      return { file, how: link.carries ? NEW_CARRIER : NEW };
    };
    const block: FileBlock = { names: s.fileNames, sizes: s.fileSizes, allocs: s.fileAllocs, inos: s.fileInos };
    const n = s.fileNames.length;
    let done = 0;
    // In file order, so hard-linked names join their groups in the order a file-by-file load has.
    for (let i = 0; i < n;) {
      const d = s.fileDirs[i];
      const target = dirs[d];
      const count = runs.start[d] === i ? runs.count[d] : 0;
      if (count > 0 && target.fileCount === 0) {
        while (nextLinked < linkedFiles.length && linkedFiles[nextLinked] < i) nextLinked++;
        const anyLinked = nextLinked < linkedFiles.length && linkedFiles[nextLinked] < i + count;
        this.adoptFiles(target, block, i, count, anyLinked ? recordOf : null);
        i += count;
        done += count;
      } else {
        const record = recordOf(i);
        const file = record?.file ?? { size: s.fileSizes[i], alloc: s.fileAllocs[i], ino: s.fileInos[i], key: null };
        this.addFileIn(target, s.fileNames.at(i), file, record?.how ?? NEW);
        i++;
        done++;
      }
      if (done >= CHECKPOINT) {
        done = 0;
        yield;
      }
    }
    // Only the part that listed the root knows its blocks.
    if (s.dirAllocs?.[0]) this.setOwnAlloc(this.rootDir, s.dirAllocs[0]);
  }

  /** Replaces the subtree at relPath with the same subtree of `other` (a fresh scan). */
  replaceSubtree(relPath: string, other: SizeTree): void {
    const parts = SizeTree.split(relPath);
    if (parts.length === 0) {
      const root = this.rootDir;
      for (const name of Array.from(root.subdirs(), (c) => c.name)) this.removeDir(root, name);
      for (const name of [...root.names]) this.removeFile(root, name);
    } else {
      const parent = this.dirAt(parts.slice(0, -1), false);
      if (parent) {
        const name = parts[parts.length - 1];
        if (parent.child(name)) this.removeDir(parent, name);
        else this.removeFile(parent, name);
      }
    }
    const srcName = parts.pop();
    const srcParent = other.dirAt(parts, false);
    if (!srcParent) return;
    const src = srcName === undefined ? srcParent : srcParent.child(srcName);
    if (!src) {
      const slot = srcName === undefined ? -1 : srcParent.slotOf(srcName);
      if (slot >= 0) this.copyFileFrom(srcParent, slot, this.dirAt(parts, true)!);
      return;
    }
    const top = this.dirAt(srcName === undefined ? parts : [...parts, srcName], true)!;
    const stack: Array<[Dir, Dir]> = [[src, top]];
    while (stack.length) {
      const [from, to] = stack.pop()!;
      const names = from.names;
      this.setOwnAlloc(to, from.own);
      for (let i = 0; i < names.length; i++) this.copyFileFrom(from, i, to, names[i]);
      for (const c of from.subdirs()) stack.push([c, this.addDirIn(to, c.name)]);
    }
    runAll(compactTree(top));
  }

  /** Adds file `slot` of another tree's folder `from` to `to`. */
  private copyFileFrom(from: Dir, slot: number, to: Dir, name = from.nameAt(slot)): void {
    const group = from.linkOf(name);
    // A hard-linked inode joins this tree's group (if other names of it are tracked here).
    const file: FileRecord = group
      ? { size: group.size, alloc: group.alloc, ino: from.inoAt(slot), key: group.key }
      : { size: from.sizeAt(slot), alloc: from.allocAt(slot), ino: from.inoAt(slot), key: null };
    this.addFileIn(to, name, file);
  }
}

/**
 * Per folder of `s`: the index of its first file and the length of its run when all its files
 * are one contiguous run of the file arrays (start -1 otherwise: then its files are added one by
 * one). One pass, a checkpoint every CHECKPOINT files.
 */
function* fileRuns(s: SerializedTree): Steps<{ start: Int32Array; count: Int32Array }> {
  const start = new Int32Array(s.dirNames.length).fill(-1);
  const count = new Int32Array(s.dirNames.length);
  const split = new Uint8Array(s.dirNames.length);
  const n = s.fileNames.length;
  for (let i = 0; i < n; i++) {
    if (i % CHECKPOINT === 0) yield;
    const d = s.fileDirs[i];
    if (start[d] === -1) {
      start[d] = i;
      count[d] = 1;
    } else if (start[d] + count[d] === i) count[d]++;
    else split[d] = 1;
  }
  for (let d = 0; d < split.length; d++) if (split[d]) start[d] = -1;
  return { start, count };
}
