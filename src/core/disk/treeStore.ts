// The size tree's edits: folders and files added and removed, each change bubbled up to the root
// (O(depth)), hard-linked inodes counted once. A hard-linked inode (nlink > 1) has a LinkGroup
// knowing every tracked name of it; the first carries its bytes, and when that name goes, the
// bytes move to a remaining name. SizeTree (sizeTree.ts) adds paths and read-outs on top.
import { bubble, bubbleOut, bubbleRun } from './exactSums';
import { FolderSums } from './folderSums';
import { Dir, type FileBlock, type LinkGroup } from './treeDir';

/** What the tree keeps of a file: its inode's sizes and number; `key` ("dev:ino") when hard-linked. */
export interface FileRecord {
  size: number;
  alloc: number;
  ino: number;
  key: string | null;
}

/**
 * How a file is added. `fresh`: the caller knows the name is new in its folder (a scan listing a
 * folder once, a deserialize). `carries`: this name takes the inode's bytes even if another name
 * has them (deserialize).
 */
export interface Placement {
  readonly fresh: boolean;
  readonly carries: boolean;
}

/** An event's file: whatever had the name is replaced. */
const REPLACE: Placement = Object.freeze({ fresh: false, carries: false });
/** A scanned file: new in its folder. */
export const NEW: Placement = Object.freeze({ fresh: true, carries: false });
/** A deserialized file that carries its inode's bytes. */
export const NEW_CARRIER: Placement = Object.freeze({ fresh: true, carries: true });

export class TreeStore {
  /** The folders' byte sums (before rootDir: fields are set in order). */
  private readonly folderSums = new FolderSums();
  protected readonly rootDir = new Dir('', null, this.folderSums);
  /** Hard-linked inodes by "dev:ino". */
  protected readonly links = new Map<string, LinkGroup>();
  /** Inodes that became hard-linked through an event: other names of them may be tracked unlinked. */
  protected readonly newLinks = new Set<number>();
  protected entries = 1;

  protected static split(relPath: string): string[] {
    return relPath === '' ? [] : relPath.split('/').filter((p) => p !== '');
  }

  protected dirAt(parts: string[], create: boolean): Dir | undefined {
    let dir = this.rootDir;
    for (const part of parts) {
      let next = dir.child(part);
      if (!next) {
        if (!create) return undefined;
        next = this.addDirIn(dir, part);
      }
      dir = next;
    }
    return dir;
  }

  /** Creates folder `name` in `dir` (replacing a file of that name). */
  protected addDirIn(dir: Dir, name: string): Dir {
    const existing = dir.child(name);
    if (existing) return existing;
    if (dir.fileCount && dir.slotOf(name) >= 0) this.removeFile(dir, name);
    return this.addNewDir(dir, name);
  }

  /** Sets folder `dir`'s own allocated bytes (its inode's blocks), summed in it and its ancestors. */
  protected setOwnAlloc(dir: Dir, alloc: number): void {
    const delta = alloc - dir.own;
    if (delta === 0) return;
    dir.own = alloc;
    for (let d: Dir | null = dir; d; d = d.parent) d.folderAlloc += delta;
  }

  /** Creates folder `name` in `dir`, which the caller knows has no entry of that name. */
  protected addNewDir(dir: Dir, name: string): Dir {
    const next = new Dir(name, dir, this.folderSums);
    dir.addChild(next);
    this.entries++;
    return next;
  }

  /**
   * Adds file `name` to `dir` (replacing whatever had that name unless `how.fresh`): a
   * hard-linked inode's bytes are counted at one name only (see Placement).
   */
  protected addFileIn(dir: Dir, name: string, file: FileRecord, how: Placement = REPLACE): void {
    const { size, alloc, key, ino } = file;
    if (!how.fresh) {
      if (dir.child(name)) this.removeDir(dir, name);
      else if (dir.fileCount) {
        const slot = dir.slotOf(name);
        if (slot >= 0) {
          const group = dir.linkOf(name) ?? null;
          if ((group?.key ?? null) === key && dir.inoAt(slot) === ino) {
            // Same inode as before (a change): update in place.
            if (group) this.setGroupBytes(group, size, alloc);
            else {
              bubble(dir, size - dir.sizeAt(slot), alloc - dir.allocAt(slot), 0);
              dir.setBytes(slot, size, alloc);
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
      count = this.joinGroup(dir, name, file, how);
      if (count === 0) {
        bytes = 0;
        allocated = 0;
      }
    }
    dir.pushFile(name, bytes, allocated, ino);
    this.entries++;
    bubble(dir, bytes, allocated, count);
  }

  /**
   * Puts hard-linked `dir`/`name` in its inode's group (see Placement); returns 1 when this name
   * carries the inode's bytes (its slot is to count them), 0 when another name does.
   */
  private joinGroup(dir: Dir, name: string, file: FileRecord, how: Placement): number {
    const { size, alloc, ino } = file;
    const key = file.key!;
    let count = 1;
    let group = this.links.get(key);
    if (!group) {
      group = { key, size, alloc, dirs: [], names: [] };
      this.links.set(key, group);
      if (!how.fresh) this.newLinks.add(ino);
    }
    if (group.dirs.length > 0 && !how.carries) {
      // Another name carries the inode's bytes; bring them up to date with this stat.
      this.setGroupBytes(group, size, alloc);
      group.dirs.push(dir);
      group.names.push(name);
      count = 0;
    } else if (group.dirs.length > 0) {
      // This name takes over the bytes: the old carrier drops them.
      const d = group.dirs[0];
      d.setBytes(d.slotOf(group.names[0]), 0, 0);
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
    dir.setLink(name, group);
    return count;
  }

  /**
   * Takes slots first..first+count-1 of `block` as the files of `dir`, which has none (a bulk
   * load: the block's arrays become the tree's, not copied). `linked(slot)` says which of them are
   * hard-linked (FileRecord with its key, and whether it carries): their slots are zeroed in the
   * block and counted through their inode's group, so an inode's bytes still count once.
   */
  protected adoptFiles(
    dir: Dir,
    block: FileBlock,
    first: number,
    count: number,
    linked: ((i: number) => { file: FileRecord; how: Placement } | undefined) | null,
  ): void {
    const end = first + count;
    // Hard-linked files of the run (none in most runs: no array for those).
    let joins: Array<[number, FileRecord, Placement]> | undefined;
    if (linked) {
      for (let i = first; i < end; i++) {
        const link = linked(i);
        if (!link) continue;
        (joins ??= []).push([i - first, link.file, link.how]);
        block.sizes[i] = 0;
        block.allocs[i] = 0;
      }
    }
    dir.adopt(block, first, count);
    this.entries += count;
    bubbleRun(dir, block.sizes, block.allocs, first, end, count - (joins?.length ?? 0));
    if (joins === undefined) return;
    for (const [slot, file, how] of joins) {
      if (this.joinGroup(dir, dir.nameAt(slot), file, how) === 0) continue;
      dir.setBytes(slot, file.size, file.alloc);
      bubble(dir, file.size, file.alloc, 1);
    }
  }

  private setGroupBytes(group: LinkGroup, size: number, alloc: number): void {
    if (group.size === size && group.alloc === alloc) return;
    const d = group.dirs[0];
    d.setBytes(d.slotOf(group.names[0]), size, alloc);
    bubble(d, size - group.size, alloc - group.alloc, 0);
    group.size = size;
    group.alloc = alloc;
  }

  /** Removes the file at `name` from `dir` and its sizes from the folders above. */
  protected removeFile(dir: Dir, name: string): void {
    const slot = dir.slotOf(name);
    if (slot < 0) return;
    const bytes = dir.sizeAt(slot);
    const alloc = dir.allocAt(slot);
    let count = 1;
    const group = dir.linkOf(name);
    if (group) {
      const carried = dir.carries(name);
      dir.deleteLink(name);
      count = carried ? 1 : 0;
      this.leaveGroup(group, dir, name);
      if (carried) this.promote(group);
    }
    dir.removeSlot(slot);
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
    d.setBytes(d.slotOf(group.names[0]), group.size, group.alloc);
    bubble(d, group.size, group.alloc, 1);
  }

  /** Removes folder `name` of `parent` with everything below it. */
  protected removeDir(parent: Dir, name: string): void {
    const node = parent.removeChild(name);
    if (!node) return;
    bubbleOut(parent, node);
    for (let d: Dir | null = parent; d; d = d.parent) d.folderAlloc -= node.folderAlloc;
    // Hard links inside: leave their groups first, then move bytes to names outside the subtree.
    // (A Set: once the carrier left, the next name of the subtree is first in the group too.)
    const orphaned = new Set<LinkGroup>();
    const stack: Dir[] = [node];
    while (stack.length) {
      const d = stack.pop()!;
      this.entries -= 1 + d.fileCount;
      for (const c of d.subdirs()) stack.push(c);
      this.folderSums.release(d);
      if (d.hasLinks) {
        for (const [fileName, group] of d.linkEntries()) {
          if (group.dirs[0] === d && group.names[0] === fileName) orphaned.add(group);
          this.leaveGroup(group, d, fileName);
        }
      }
    }
    for (const group of orphaned) this.promote(group);
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
      // Inodes first: only the matching names are decoded (block-backed folders have no strings).
      for (let i = 0; i < d.fileCount; i++) {
        if (!inos.has(d.inoAt(i))) continue;
        const name = d.nameAt(i);
        if (!d.linkOf(name)) out.push(rel ? `${rel}/${name}` : name);
      }
      for (const c of d.subdirs()) stack.push([c, rel ? `${rel}/${c.name}` : c.name]);
    }
    return out;
  }
}
