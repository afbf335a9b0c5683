// What `.gitignore` files leave out of a folder's counts (workspaceUsage.useGitIgnore), kept
// beside the size tree rather than in it: the scan and the watcher keep measuring everything, so
// live updates need nothing new and the bytes left out stay known (each area shows them as one
// "excluded" figure, so its total is still honest).
//
// The state is the set of maximal ignored entries: an ignored folder stands for its whole subtree
// (git never looks inside one, so nothing below it can be re-included), an ignored file for itself.
// Their sizes are read from the tree when asked, so a file growing inside `work/cache/` changes
// the excluded bytes without any matching. The set is found by one walk that never enters an
// ignored folder; then each batch of tree changes is applied alone:
//   - a changed .gitignore (or .git/info/exclude): its folder's rules are read again and its
//     subtree walked again; a changed folder (new, moved in, or rescanned): the same, since a
//     rescan may have missed edits to the ignore files in it;
//   - a changed file: its folders from the top are checked (a new folder may be ignored), then the
//     file itself: a few matcher tests, no walk;
//   - a removed path: dropped from the set, with what was below it.
import { IGNORE_FILE, INFO_EXCLUDE, IgnoreRules, parentsOf } from './ignoreRules';
import type { ExcludedLookup, ExactExcluded } from './areas';
import type { LargestEntry, SizeTree } from './sizeTree';

const ZERO: ExactExcluded = { bytes: 0n, allocatedBytes: 0n, files: 0 };

function isBelow(p: string, dir: string): boolean {
  return dir === '' ? p !== '' : p.length > dir.length && p.startsWith(dir) && p.charCodeAt(dir.length) === 47;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** `.git` folders are git's own: never matched against patterns, never entered. */
function inGitDir(p: string): boolean {
  return p === '.git' || p.startsWith('.git/') || p.endsWith('/.git') || p.includes('/.git/');
}

export class GitIgnored {
  private readonly rules: IgnoreRules;
  /** The maximal ignored entries: path -> is a folder. */
  private readonly ignored = new Map<string, boolean>();
  private tree: SizeTree | undefined;
  private readonly pending = new Set<string>();
  private sums: Map<string, ExactExcluded> | undefined;
  private readonly told = new Set<string>();

  /** `report` hears once of each ignore file that is refused (e.g. a FIFO or over 1 MiB). */
  constructor(folder: string, report: (relPath: string, problem: string) => void) {
    this.rules = new IgnoreRules(folder, (relPath, problem) => {
      const key = `${relPath}\0${problem}`;
      if (this.told.has(key)) return;
      this.told.add(key);
      report(relPath, problem);
    });
  }

  /** Paths where the size tree changed (DiskTracker.onDidChange); applied at the next lookup. */
  changed(paths: Iterable<string>): void {
    for (const p of paths) this.pending.add(p);
    this.sums = undefined;
  }

  /** Matcher tests run so far (the work changes cost; for tests and the bench). */
  get tests(): number {
    return this.rules.tests;
  }

  /** The maximal ignored entries of `tree`, sorted. */
  entries(tree: SizeTree): string[] {
    this.update(tree);
    return [...this.ignored.keys()].sort();
  }

  /** What is left out at or below each path of `tree`, brought up to date first. */
  lookup(tree: SizeTree): ExcludedLookup {
    this.update(tree);
    const sums = (this.sums ??= this.sum(tree));
    return {
      under: (relPath: string): ExactExcluded => {
        if (this.coveredAt(relPath) !== undefined) return this.whole(tree, relPath);
        return sums.get(relPath) ?? ZERO;
      },
    };
  }

  /** Whether `relPath` is ignored (itself or a folder above it), as of the last lookup. */
  covers(relPath: string): boolean {
    return this.coveredAt(relPath) !== undefined;
  }

  private update(tree: SizeTree): void {
    if (tree !== this.tree) {
      // A new tree (the stored one replaced by the scan's, or a whole-folder rescan): start over.
      this.tree = tree;
      this.pending.clear();
      this.rules.forget('');
      this.ignored.clear();
      this.sums = undefined;
      this.walk(tree, '');
      return;
    }
    if (this.pending.size === 0) return;
    // Parents first, so a new folder is settled before the files in it.
    const paths = [...this.pending].sort();
    this.pending.clear();
    for (const p of paths) this.apply(tree, p);
  }

  private apply(tree: SizeTree, p: string): void {
    if (p === INFO_EXCLUDE) {
      this.rules.forgetInfoExclude();
      return this.rewalk(tree, '');
    }
    if (inGitDir(p)) return;
    if (baseName(p) === IGNORE_FILE) {
      this.rules.forget(dirName(p));
      return this.rewalk(tree, dirName(p));
    }
    const node = tree.get(p);
    if (!node) return this.drop(p);
    if (node.isDirectory) return this.rewalk(tree, p);
    if (this.coveredAt(p) !== undefined) return;
    // Its folders from the top: a folder made since the last look may itself be ignored.
    const dirs = parentsOf(p).reverse().slice(1);
    for (const dir of dirs) {
      if (this.isIgnored(tree, dir, true)) return this.add(dir, true);
    }
    if (this.isIgnored(tree, p, false)) this.ignored.set(p, false);
    else this.ignored.delete(p);
  }

  /** The subtree at `dir` again: its rules re-read, its entries re-matched. */
  private rewalk(tree: SizeTree, dir: string): void {
    this.rules.forget(dir);
    this.drop(dir);
    if (dir === '') return this.walk(tree, '');
    if (this.coveredAt(dir) !== undefined) return;
    for (const d of [...parentsOf(dir).reverse().slice(1), dir]) {
      if (this.isIgnored(tree, d, true)) return this.add(d, true);
    }
    this.walk(tree, dir);
  }

  /** Finds the maximal ignored entries below `top` (which is not ignored), not entering them. */
  private walk(tree: SizeTree, top: string): void {
    const stack = [top];
    while (stack.length) {
      const dir = stack.pop()!;
      const children = tree.children(dir);
      // The folder's own .gitignore is known from its listing, without another look-up.
      this.rules.at(
        dir,
        children.some((c) => !c.isDirectory && c.name === IGNORE_FILE),
      );
      for (const c of children) {
        if (c.isDirectory && c.name === '.git') continue;
        if (this.isIgnored(tree, c.relPath, c.isDirectory)) this.ignored.set(c.relPath, c.isDirectory);
        else if (c.isDirectory) stack.push(c.relPath);
      }
    }
  }

  private isIgnored(tree: SizeTree, relPath: string, isDir: boolean): boolean {
    return this.rules.ignored(relPath, isDir, (dir) => {
      const file = tree.get(dir === '' ? IGNORE_FILE : `${dir}/${IGNORE_FILE}`);
      return file !== undefined && !file.isDirectory;
    });
  }

  private add(p: string, isDir: boolean): void {
    if (isDir) for (const k of [...this.ignored.keys()]) if (isBelow(k, p)) this.ignored.delete(k);
    this.ignored.set(p, isDir);
  }

  /** Forgets `p` and every entry below it. */
  private drop(p: string): void {
    this.ignored.delete(p);
    if (this.ignored.size > 0) for (const k of [...this.ignored.keys()]) if (isBelow(k, p)) this.ignored.delete(k);
  }

  /** The ignored entry that is `p` or holds it, if any. */
  private coveredAt(p: string): string | undefined {
    if (this.ignored.has(p)) return p;
    if (p === '') return undefined;
    for (const dir of parentsOf(p)) if (dir !== '' && this.ignored.get(dir)) return dir;
    return undefined;
  }

  private whole(tree: SizeTree, p: string): ExactExcluded {
    const node = tree.get(p);
    const exact = tree.exact(p);
    if (!node || !exact) return ZERO;
    return { bytes: exact.bytes, allocatedBytes: tree.exactDiskBytes(p) ?? exact.allocatedBytes, files: node.files };
  }

  /** Each ignored entry's sizes added to itself and every folder above it. */
  private sum(tree: SizeTree): Map<string, ExactExcluded> {
    const sums = new Map<string, ExactExcluded>();
    for (const p of this.ignored.keys()) {
      const s = this.whole(tree, p);
      if (s.files === 0 && s.bytes === 0n && s.allocatedBytes === 0n) continue;
      for (const at of [p, ...parentsOf(p)]) {
        const acc = sums.get(at);
        sums.set(
          at,
          acc
            ? {
                bytes: acc.bytes + s.bytes,
                allocatedBytes: acc.allocatedBytes + s.allocatedBytes,
                files: acc.files + s.files,
              }
            : s,
        );
      }
    }
    return sums;
  }
}

/**
 * A folder's largest entries as the views list them with workspaceUsage.useGitIgnore: the
 * ignored ones left out, the others with what is ignored inside them taken off.
 */
export function largestCounted(
  tree: SizeTree,
  relPath: string,
  n: number,
  gitIgnored: GitIgnored | undefined,
): LargestEntry[] {
  if (!gitIgnored) return tree.largest(relPath, n);
  const lookup = gitIgnored.lookup(tree);
  const out: LargestEntry[] = [];
  for (const c of tree.children(relPath)) {
    if (gitIgnored.covers(c.relPath)) continue;
    const left = lookup.under(c.relPath);
    out.push({
      ...c,
      bytes: c.bytes - Number(left.bytes),
      allocatedBytes: c.allocatedBytes - Number(left.allocatedBytes),
      files: c.files - left.files,
    });
  }
  return out.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)).slice(0, n);
}
