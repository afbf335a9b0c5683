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
//
// The walk tests every path of the folder against the `ignore` package (about 1.5 s at 200,000
// files, most of it in that package's per-path result cache, which no public option turns off),
// so it is written as steps (sched/slices.ts): the CLI runs them at once (lookup, entries), the
// extension host in slices (updateSteps with runSliced; FolderMonitor). A walk of a new tree
// fills a fresh set and swaps it in at its end, so until then the last complete one is still read.
import { runAll, type Steps } from '../sched/slices';
import type { ExcludedLookup, ExactExcluded } from './areas';
import { IgnoredSet, ZERO } from './ignoredSet';
import { IGNORE_FILE, INFO_EXCLUDE, IgnoreRules, parentsOf, type RuleChain } from './ignoreRules';
import { largestFirst, type FolderSizeEntry, type LargestEntry, type SizeTree } from './sizeTree';

/**
 * Entries matched between two checkpoints of a walk. Smaller than sched's CHECKPOINT: a matcher
 * test costs ~5 µs (against well under 1 µs for a tree-building step), so 256 are ~1.5 ms.
 */
export const WALK_CHECKPOINT = 256;

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
  private set = new IgnoredSet();
  /** The tree `set` was found in (undefined before the first walk completed). */
  private tree: SizeTree | undefined;
  private readonly pending = new Set<string>();
  private readonly told = new Set<string>();
  /** Bumped by each walk of a new tree: an older one still suspended then swaps nothing in. */
  private generation = 0;
  /** Batches of changes being applied (their paths are out of `pending` meanwhile). */
  private applying = 0;

  /** `report` hears once of each ignore file that is refused (e.g. a FIFO or over 1 MiB). */
  constructor(folder: string, report: (relPath: string, problem: string) => void) {
    this.rules = new IgnoreRules(folder, (relPath, problem) => {
      const key = `${relPath}\0${problem}`;
      if (this.told.has(key)) return;
      this.told.add(key);
      report(relPath, problem);
    });
  }

  /** Paths where the size tree changed (DiskTracker.onDidChange); applied at the next update. */
  changed(paths: Iterable<string>): void {
    for (const p of paths) this.pending.add(p);
  }

  /** Matcher tests run so far (the work changes cost; for tests and the bench). */
  get tests(): number {
    return this.rules.tests;
  }

  /** Whether the set is that of `tree` as it is now: no walk and no change waiting. */
  isCurrent(tree: SizeTree): boolean {
    return tree === this.tree && this.pending.size === 0 && this.applying === 0;
  }

  /** The maximal ignored entries of `tree`, sorted (brought up to date first, at once). */
  entries(tree: SizeTree): string[] {
    runAll(this.updateSteps(tree));
    return [...this.set.keys()].sort();
  }

  /** Whether `relPath` is ignored (itself or a folder above it), as of the last update. */
  covers(relPath: string): boolean {
    return this.set.coveredAt(relPath) !== undefined;
  }

  /**
   * Whether `relPath` is itself one of the maximal ignored entries (as of the last update): for
   * a walk from the top that skips what is ignored, the same as covers() with no path's parents
   * to list, since it never reaches a path below a skipped one.
   */
  isEntry(relPath: string): boolean {
    return this.set.has(relPath);
  }

  /** What is left out at or below each path of `tree`, brought up to date first (at once). */
  lookup(tree: SizeTree): ExcludedLookup {
    runAll(this.updateSteps(tree));
    return this.lookupAsIs(tree);
  }

  /**
   * The set as it is, without any work: current if isCurrent(tree), else the last one found (for
   * an older tree, or before the latest changes). Sizes of ignored folders are read from `tree`.
   */
  lookupAsIs(tree: SizeTree): ExcludedLookup {
    const set = this.set;
    return {
      under: (relPath: string): ExactExcluded => {
        if (set.coveredAt(relPath) !== undefined) return whole(tree, relPath);
        return set.sumsBelow(relPath);
      },
    };
  }

  /**
   * Brings the set up to date with `tree`: a walk if it is a new tree, then the changes waiting.
   * Stopped between steps (runSliced's signal), it leaves the last complete set in place and the
   * changes it had taken waiting again.
   */
  *updateSteps(tree: SizeTree): Steps<void> {
    if (tree !== this.tree && !(yield* this.walkNewTree(tree))) return;
    while (this.pending.size > 0) {
      if (tree !== this.tree) return; // a newer tree's walk took over
      // Parents first, so a new folder is settled before the files in it.
      const paths = [...this.pending].sort();
      this.pending.clear();
      this.applying++;
      let finished = false;
      try {
        for (const p of paths) yield* this.apply(tree, p);
        // Sizes changed inside ignored entries: those entries' sums again (no matching).
        const stale = new Set<string>();
        for (const p of paths) {
          const at = this.set.coveredAt(p);
          if (at !== undefined) stale.add(at);
        }
        for (const at of stale) this.set.set(at, this.set.isDir(at), whole(tree, at));
        finished = true;
      } finally {
        this.applying--;
        // Stopped midway: applying a path again is harmless, so all of them wait again.
        if (!finished) for (const p of paths) this.pending.add(p);
      }
    }
  }

  /** A new tree (the stored one replaced by the scan's, or a whole-folder rescan): start over. */
  private *walkNewTree(tree: SizeTree): Steps<boolean> {
    const generation = ++this.generation;
    const before = [...this.pending];
    this.pending.clear();
    let swapped = false;
    try {
      this.rules.forget('');
      const next = new IgnoredSet();
      yield* this.walk(tree, '', next);
      if (generation !== this.generation) return false;
      this.set = next;
      this.tree = tree;
      swapped = true;
      // The matchers' per-path caches are of no use once the walk is over (memory, see ignoreRules).
      this.rules.releaseCaches();
      return true;
    } finally {
      if (!swapped && generation === this.generation) for (const p of before) this.pending.add(p);
    }
  }

  private *apply(tree: SizeTree, p: string): Steps<void> {
    if (p === INFO_EXCLUDE) {
      this.rules.forgetInfoExclude();
      return yield* this.rewalk(tree, '');
    }
    if (inGitDir(p)) return;
    if (baseName(p) === IGNORE_FILE) {
      this.rules.forget(dirName(p));
      return yield* this.rewalk(tree, dirName(p));
    }
    const node = tree.get(p);
    if (!node) return this.set.drop(p);
    if (node.isDirectory) return yield* this.rewalk(tree, p);
    if (this.set.coveredAt(p) !== undefined) return;
    // Its folders from the top: a folder made since the last look may itself be ignored.
    if (this.ignoredFolderAbove(tree, p)) return;
    if (this.isIgnored(tree, p, false)) this.set.set(p, false, whole(tree, p));
    else this.set.del(p);
  }

  /** Adds the outermost ignored folder above `p` (all of them are looked at); says if one was. */
  private ignoredFolderAbove(tree: SizeTree, p: string): boolean {
    for (const dir of parentsOf(p).reverse().slice(1)) {
      if (this.isIgnored(tree, dir, true)) {
        this.set.drop(dir);
        this.set.set(dir, true, whole(tree, dir));
        return true;
      }
    }
    return false;
  }

  /** The subtree at `dir` again: its rules re-read, its entries re-matched. */
  private *rewalk(tree: SizeTree, dir: string): Steps<void> {
    this.rules.forget(dir);
    this.set.drop(dir);
    if (dir === '') return yield* this.walk(tree, '', this.set);
    if (this.set.coveredAt(dir) !== undefined || this.ignoredFolderAbove(tree, dir)) return;
    if (this.isIgnored(tree, dir, true)) return this.set.set(dir, true, whole(tree, dir));
    yield* this.walk(tree, dir, this.set);
  }

  /** Finds the maximal ignored entries below `top` (which is not ignored) into `set`, not entering them. */
  private *walk(tree: SizeTree, top: string, set: IgnoredSet): Steps<void> {
    const has = this.hasIgnoreFile(tree);
    const stack: Array<{ dir: string; chain: RuleChain }> = [
      { dir: top, chain: top === '' ? [] : this.rules.chainFor(dirName(top), has) },
    ];
    let sinceCheckpoint = 0;
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
        if (++sinceCheckpoint >= WALK_CHECKPOINT) {
          sinceCheckpoint = 0;
          yield;
        }
        if (c.isDirectory && c.name === '.git') continue;
        if (!this.rules.ignoredIn(chain, c.relPath, c.isDirectory)) {
          if (c.isDirectory) stack.push({ dir: c.relPath, chain });
        } else if (c.isDirectory) set.set(c.relPath, true, whole(tree, c.relPath));
        // A file's sizes are in its listing: no look-up per ignored file.
        else
          set.set(c.relPath, false, {
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
  // No work here (views list entries often): the set as it is, current once FolderMonitor's
  // sliced update has run; meanwhile the last one found, which the excluded row says.
  const lookup = gitIgnored.lookupAsIs(tree);
  const out: LargestEntry[] = [];
  for (const c of tree.children(relPath)) {
    if (gitIgnored.covers(c.relPath)) continue;
    out.push(takeOff(lookup, c, { ...c }));
  }
  return out.sort(largestFirst).slice(0, n);
}

/**
 * Every folder as largestCounted lists it, each before its subfolders (SizeTree.folderSizes): the
 * ignored ones and their subtrees left out, what is ignored inside the others taken off.
 */
export function* folderSizesCounted(tree: SizeTree, gitIgnored: GitIgnored | undefined): Generator<FolderSizeEntry> {
  if (!gitIgnored) return yield* tree.folderSizes();
  const lookup = gitIgnored.lookupAsIs(tree);
  // In place (folderSizes yields a new entry each time), and each folder tested by itself (its
  // parents were, before the walk came down to it). A copy and its sums per folder, and the list
  // of its parents' paths, made a git repository's baseline allocate 18.0 MB at 200,000 files
  // against about 5 MB without the .gitignore (bench/hostAlloc.ts).
  for (const f of tree.folderSizes((rel) => gitIgnored.isEntry(rel))) yield takeOff(lookup, f, f);
}

/** `into` (an entry or a copy of `e`) with `e`'s sums less what is ignored inside `e`. */
function takeOff<T extends Omit<FolderSizeEntry, 'relPath'>>(lookup: ExcludedLookup, e: FolderSizeEntry, into: T): T {
  const left = lookup.under(e.relPath);
  // Clamped: while a new tree's set is being found, the last set's sums may exceed a new size.
  into.bytes = Math.max(0, e.bytes - Number(left.bytes));
  into.allocatedBytes = Math.max(0, e.allocatedBytes - Number(left.allocatedBytes));
  into.files = Math.max(0, e.files - left.files);
  return into;
}
