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
import { IGNORE_FILE, INFO_EXCLUDE, IgnoreRules, parentsOf, type RuleChain } from './ignoreRules';
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

interface Entry {
  isDir: boolean;
  /** Its sizes when last looked at (refreshed when a change lands at or below it). */
  sums: ExactExcluded;
}

export class GitIgnored {
  private readonly rules: IgnoreRules;
  /** The maximal ignored entries. */
  private readonly ignored = new Map<string, Entry>();
  /** Per folder (and ignored entry): the sums of the ignored entries at or below it. */
  private readonly below = new Map<string, ExactExcluded>();
  private tree: SizeTree | undefined;
  private readonly pending = new Set<string>();
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

  /** Whether `relPath` is ignored (itself or a folder above it), as of the last lookup. */
  covers(relPath: string): boolean {
    return this.coveredAt(relPath) !== undefined;
  }

  /** What is left out at or below each path of `tree`, brought up to date first. */
  lookup(tree: SizeTree): ExcludedLookup {
    this.update(tree);
    return {
      under: (relPath: string): ExactExcluded => {
        if (this.coveredAt(relPath) !== undefined) return whole(tree, relPath);
        return this.below.get(relPath) ?? ZERO;
      },
    };
  }

  private update(tree: SizeTree): void {
    if (tree !== this.tree) {
      // A new tree (the stored one replaced by the scan's, or a whole-folder rescan): start over.
      this.tree = tree;
      this.pending.clear();
      this.rules.forget('');
      this.ignored.clear();
      this.below.clear();
      this.walk(tree, '');
      return;
    }
    if (this.pending.size === 0) return;
    // Parents first, so a new folder is settled before the files in it.
    const paths = [...this.pending].sort();
    this.pending.clear();
    for (const p of paths) this.apply(tree, p);
    // Sizes changed inside ignored entries: those entries' sums again (no matching).
    const stale = new Set<string>();
    for (const p of paths) {
      const at = this.coveredAt(p);
      if (at !== undefined) stale.add(at);
    }
    for (const at of stale) this.set(at, this.ignored.get(at)!.isDir, whole(tree, at));
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
    if (this.ignoredFolderAbove(tree, p)) return;
    if (this.isIgnored(tree, p, false)) this.set(p, false, whole(tree, p));
    else this.del(p);
  }

  /** Adds the outermost ignored folder above `p` (all of them are looked at); says if one was. */
  private ignoredFolderAbove(tree: SizeTree, p: string): boolean {
    for (const dir of parentsOf(p).reverse().slice(1)) {
      if (this.isIgnored(tree, dir, true)) {
        this.drop(dir);
        this.set(dir, true, whole(tree, dir));
        return true;
      }
    }
    return false;
  }

  /** The subtree at `dir` again: its rules re-read, its entries re-matched. */
  private rewalk(tree: SizeTree, dir: string): void {
    this.rules.forget(dir);
    this.drop(dir);
    if (dir === '') return this.walk(tree, '');
    if (this.coveredAt(dir) !== undefined || this.ignoredFolderAbove(tree, dir)) return;
    if (this.isIgnored(tree, dir, true)) return this.set(dir, true, whole(tree, dir));
    this.walk(tree, dir);
  }

  /** Finds the maximal ignored entries below `top` (which is not ignored), not entering them. */
  private walk(tree: SizeTree, top: string): void {
    const has = this.hasIgnoreFile(tree);
    const stack: Array<{ dir: string; chain: RuleChain }> = [
      { dir: top, chain: top === '' ? [] : this.rules.chainFor(dirName(top), has) },
    ];
    while (stack.length) {
      const { dir, chain: above } = stack.pop()!;
      const children = tree.children(dir);
      // The folder's own .gitignore is known from its listing, without another look-up.
      const rules = this.rules.at(
        dir,
        children.some((c) => !c.isDirectory && c.name === IGNORE_FILE),
      );
      const chain = rules ? [{ dir, rules }, ...above] : above;
      for (const c of children) {
        if (c.isDirectory && c.name === '.git') continue;
        if (!this.rules.ignoredIn(chain, c.relPath, c.isDirectory)) {
          if (c.isDirectory) stack.push({ dir: c.relPath, chain });
        } else if (c.isDirectory) this.set(c.relPath, true, whole(tree, c.relPath));
        // A file's sizes are in its listing: no look-up per ignored file.
        else
          this.set(c.relPath, false, {
            bytes: BigInt(c.bytes),
            allocatedBytes: BigInt(c.allocatedBytes),
            files: c.files,
          });
      }
    }
  }

  private hasIgnoreFile(tree: SizeTree): (dir: string) => boolean {
    return (dir) => {
      const file = tree.get(dir === '' ? IGNORE_FILE : `${dir}/${IGNORE_FILE}`);
      return file !== undefined && !file.isDirectory;
    };
  }

  private isIgnored(tree: SizeTree, relPath: string, isDir: boolean): boolean {
    const has = this.hasIgnoreFile(tree);
    return this.rules.ignoredIn(this.rules.chainFor(dirName(relPath), has), relPath, isDir);
  }

  /** Adds (or updates) an entry and its sums to every folder above it. */
  private set(p: string, isDir: boolean, sums: ExactExcluded): void {
    this.del(p);
    this.ignored.set(p, { isDir, sums });
    this.addBelow(p, sums, 1n);
  }

  private del(p: string): void {
    const old = this.ignored.get(p);
    if (!old) return;
    this.ignored.delete(p);
    this.addBelow(p, old.sums, -1n);
  }

  private addBelow(p: string, s: ExactExcluded, sign: 1n | -1n): void {
    if (s.files === 0 && s.bytes === 0n && s.allocatedBytes === 0n) return;
    const n = Number(sign);
    for (const at of [p, ...parentsOf(p)]) {
      const acc = this.below.get(at) ?? ZERO;
      const next = {
        bytes: acc.bytes + sign * s.bytes,
        allocatedBytes: acc.allocatedBytes + sign * s.allocatedBytes,
        files: acc.files + n * s.files,
      };
      if (next.files === 0 && next.bytes === 0n && next.allocatedBytes === 0n) this.below.delete(at);
      else this.below.set(at, next);
    }
  }

  /** Forgets `p` and every entry below it. */
  private drop(p: string): void {
    this.del(p);
    if (this.ignored.size > 0) for (const k of [...this.ignored.keys()]) if (isBelow(k, p)) this.del(k);
  }

  /** The ignored entry that is `p` or holds it, if any. */
  private coveredAt(p: string): string | undefined {
    if (this.ignored.has(p)) return p;
    if (p === '') return undefined;
    for (const dir of parentsOf(p)) if (dir !== '' && this.ignored.get(dir)?.isDir) return dir;
    return undefined;
  }
}

function whole(tree: SizeTree, p: string): ExactExcluded {
  const node = tree.get(p);
  const exact = tree.exact(p);
  if (!node || !exact) return ZERO;
  return { bytes: exact.bytes, allocatedBytes: tree.exactDiskBytes(p) ?? exact.allocatedBytes, files: node.files };
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
