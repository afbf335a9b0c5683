// The size tree: per directory the apparent bytes, allocated bytes and file count of everything
// below it. Updates touch only the path to the root (O(depth)). Hard-linked inodes count once.
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

class Dir {
  readonly children = new Map<string, Dir | File>();
  bytes = 0;
  alloc = 0;
  files = 0;
  constructor(readonly name: string, readonly parent: Dir | null) {}
}

class File {
  constructor(readonly name: string, public size: number, public alloc: number, public key: string | null, public count = 1) {}
}

export class SizeTree {
  private readonly rootDir = new Dir('', null);
  /** Hard-linked inodes (nlink > 1): how many tracked names refer to each. */
  private readonly links = new Map<string, number>();
  private entries = 1;

  constructor(readonly root: string) {}

  private static split(relPath: string): string[] {
    return relPath === '' ? [] : relPath.split('/').filter((p) => p !== '');
  }

  private dirAt(parts: string[], create: boolean): Dir | undefined {
    let dir = this.rootDir;
    for (const part of parts) {
      let next = dir.children.get(part);
      if (next instanceof File) {
        if (!create) return undefined;
        this.removeNode(dir, part);
        next = undefined;
      }
      if (!next) {
        if (!create) return undefined;
        next = new Dir(part, dir);
        dir.children.set(part, next);
        this.entries++;
      }
      dir = next;
    }
    return dir;
  }

  private bubble(dir: Dir | null, bytes: number, alloc: number, files: number): void {
    for (let d = dir; d; d = d.parent) {
      d.bytes += bytes;
      d.alloc += alloc;
      d.files += files;
    }
  }

  private removeNode(parent: Dir, name: string): void {
    const node = parent.children.get(name);
    if (!node) return;
    parent.children.delete(name);
    if (node instanceof File) {
      this.entries--;
      this.releaseLink(node);
      this.bubble(parent, -node.size, -node.alloc, -node.count);
    } else {
      const stack: Dir[] = [node];
      while (stack.length) {
        const d = stack.pop()!;
        this.entries--;
        for (const c of d.children.values()) {
          if (c instanceof Dir) stack.push(c);
          else {
            this.entries--;
            this.releaseLink(c);
          }
        }
      }
      this.bubble(parent, -node.bytes, -node.alloc, -node.files);
    }
  }

  private releaseLink(file: File): void {
    if (file.key === null) return;
    const n = (this.links.get(file.key) ?? 1) - 1;
    if (n <= 0) this.links.delete(file.key);
    else this.links.set(file.key, n);
  }

  /** Adds or replaces a regular file. */
  applyAdd(relPath: string, stat: StatLike): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.dirAt(parts, true)!;
    if (dir.children.has(name)) this.removeNode(dir, name);
    let size = stat.size;
    let alloc = stat.blocks * 512;
    let key: string | null = null;
    let count = 1;
    if (stat.nlink > 1) {
      key = `${stat.dev}:${stat.ino}`;
      const seen = this.links.get(key) ?? 0;
      this.links.set(key, seen + 1);
      if (seen > 0) {
        size = 0;
        alloc = 0;
        count = 0;
      }
    }
    dir.children.set(name, new File(name, size, alloc, key, count));
    this.entries++;
    this.bubble(dir, size, alloc, count);
  }

  applyChange(relPath: string, stat: StatLike): void {
    this.applyAdd(relPath, stat);
  }

  applyUnlink(relPath: string): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.dirAt(parts, false);
    if (dir) this.removeNode(dir, name);
  }

  applyAddDir(relPath: string): void {
    this.dirAt(SizeTree.split(relPath), true);
  }

  applyUnlinkDir(relPath: string): void {
    this.applyUnlink(relPath);
  }

  private nodeAt(relPath: string): Dir | File | undefined {
    const parts = SizeTree.split(relPath);
    const name = parts.pop();
    if (name === undefined) return this.rootDir;
    return this.dirAt(parts, false)?.children.get(name);
  }

  get(relPath: string): NodeSummary | undefined {
    const n = this.nodeAt(relPath);
    if (!n) return undefined;
    return n instanceof Dir
      ? { bytes: n.bytes, allocatedBytes: n.alloc, files: n.files, isDirectory: true }
      : { bytes: n.size, allocatedBytes: n.alloc, files: n.count, isDirectory: false };
  }

  children(relPath: string): EntrySummary[] {
    const n = this.nodeAt(relPath);
    if (!(n instanceof Dir)) return [];
    const prefix = relPath === '' ? '' : `${relPath}/`;
    return [...n.children.values()].map((c) =>
      c instanceof Dir
        ? { name: c.name, relPath: prefix + c.name, isDirectory: true, bytes: c.bytes, allocatedBytes: c.alloc, files: c.files }
        : { name: c.name, relPath: prefix + c.name, isDirectory: false, bytes: c.size, allocatedBytes: c.alloc, files: c.count },
    );
  }

  largest(relPath: string, n: number): EntrySummary[] {
    return this.children(relPath).sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)).slice(0, n);
  }

  /** Names of direct subdirectories (for expanding area patterns). */
  subdirectories(relPath: string): string[] {
    const n = this.nodeAt(relPath);
    return n instanceof Dir ? [...n.children.values()].filter((c) => c instanceof Dir).map((c) => c.name) : [];
  }

  total(): { bytes: number; allocatedBytes: number; files: number } {
    return { bytes: this.rootDir.bytes, allocatedBytes: this.rootDir.alloc, files: this.rootDir.files };
  }

  trackedEntries(): number {
    return this.entries;
  }

  /** Every file as [relPath, size, blocks, dev, ino, nlink] (to move a tree between threads). */
  serialize(): Array<[string, number, number, number, number, number]> & { dirs?: string[] } {
    const out: Array<[string, number, number, number, number, number]> = [];
    const stack: Array<[Dir, string]> = [[this.rootDir, '']];
    while (stack.length) {
      const [d, p] = stack.pop()!;
      for (const c of d.children.values()) {
        const rel = p ? `${p}/${c.name}` : c.name;
        if (c instanceof Dir) {
          out.push([rel, -1, 0, 0, 0, 0]);
          stack.push([c, rel]);
        } else out.push([rel, c.size, c.alloc / 512, 0, 0, c.key ? 2 : 1]);
      }
    }
    return out;
  }

  private markUncounted(relPath: string): void {
    const parts = SizeTree.split(relPath);
    const name = parts.pop()!;
    const dir = this.dirAt(parts, false);
    const f = dir?.children.get(name);
    if (f instanceof File && f.count === 1) {
      f.count = 0;
      this.bubble(dir!, 0, 0, -1);
    }
  }

  /** Replaces the subtree at relPath with the same subtree of `other` (a fresh scan). */
  replaceSubtree(relPath: string, other: SizeTree): void {
    const parts = SizeTree.split(relPath);
    if (parts.length === 0) {
      for (const name of [...this.rootDir.children.keys()]) this.removeNode(this.rootDir, name);
    } else {
      const name = parts[parts.length - 1];
      const parent = this.dirAt(parts.slice(0, -1), false);
      if (parent) this.removeNode(parent, name);
    }
    const src = other.nodeAt(relPath);
    if (!src) return;
    if (src instanceof File) {
      this.applyAdd(relPath, { size: src.size, blocks: src.alloc / 512, ino: 0, dev: 0, nlink: 1 });
      return;
    }
    this.dirAt(parts, true);
    const stack: Array<[Dir, string]> = [[src, relPath]];
    while (stack.length) {
      const [d, p] = stack.pop()!;
      for (const c of d.children.values()) {
        const rel = p ? `${p}/${c.name}` : c.name;
        if (c instanceof Dir) {
          this.applyAddDir(rel);
          stack.push([c, rel]);
        } else {
          // Sizes were already de-duplicated by the scan that built `other`.
          this.applyAdd(rel, { size: c.size, blocks: c.alloc / 512, ino: 0, dev: 0, nlink: 1 });
          if (c.count === 0) this.markUncounted(rel);
        }
      }
    }
  }
}
