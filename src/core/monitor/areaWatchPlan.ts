// Which areas the editor's watcher leaves out, and how we watch them instead. VS Code's
// workspace watcher reports nothing under `files.watcherExclude`; an area folder (production/,
// work/, sessions/<id>/work/) whose contents all lie under such a glob would otherwise change on
// screen only at the periodic reconcile. Those areas get a watcher of our own:
//  - 'deep': chokidar on the area, folders only, as long as the entries (files and folders) of
//    every deep area together stay within workspaceUsage.watch.maxEntries (chokidar's crawl
//    costs about 5 KB of peak memory per entry: README, "Watching");
//  - 'shallow': past that budget, a non-recursive editor watcher on the area folder (cheap, and
//    not subject to files.watcherExclude, but it reports the first level only); deeper changes
//    wait for the reconcile.
// No `vscode` import: the editor layer (src/extension/areaWatches.ts) runs the plan.
import { matchesAnyGlob } from '../paths/glob';

export interface AreaFolder {
  /** Folder-relative path, '/'-separated. */
  path: string;
  /** Files and folders inside it (counted up to a limit: more is as good as over budget). */
  entries: number;
}

export interface AreaWatchPlan {
  /** Areas watched in depth by a watcher of ours (chokidar). */
  deep: string[];
  /** Areas over the budget: their first level only, through a non-recursive editor watcher. */
  shallow: string[];
}

/**
 * A name no glob segment but a wildcard run (`*`, `**`) can match: a NUL cannot appear in a
 * glob (globProblem refuses it), and two characters keep a single `?` from matching it.
 */
const ANY_CHILD = '\0\0';

/**
 * Whether the editor's watcher reports nothing inside `relPath`: a glob matches the folder (or
 * a folder above it), or matches any name directly inside it (`**\/work/**`, `work/*`). A glob
 * that leaves out only some of its contents (`**\/work/*.tmp`) does not count: the rest is live.
 */
export function unwatchedByEditor(relPath: string, watcherExclude: readonly string[]): boolean {
  if (relPath === '' || watcherExclude.length === 0) return false;
  return matchesAnyGlob(relPath, watcherExclude) || matchesAnyGlob(`${relPath}/${ANY_CHILD}`, watcherExclude);
}

/**
 * The plan for a folder's areas. `countExcluded`: areas left out of the counts altogether
 * (workspaceUsage.exclude) need no watcher. An area inside another planned one is covered by it.
 * The budget goes to the smallest areas first, so as many areas as possible are live in depth.
 */
export function planAreaWatches(
  areas: readonly AreaFolder[],
  watcherExclude: readonly string[],
  maxEntries: number,
  countExcluded: (relPath: string) => boolean = () => false,
): AreaWatchPlan {
  const wanted = new Map<string, number>();
  for (const a of areas)
    if (unwatchedByEditor(a.path, watcherExclude) && !countExcluded(a.path))
      wanted.set(a.path, Math.max(wanted.get(a.path) ?? 0, a.entries));
  const paths = [...wanted.keys()].sort();
  const outer = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
  const bySize = outer.sort((a, b) => wanted.get(a)! - wanted.get(b)! || (a < b ? -1 : 1));
  const plan: AreaWatchPlan = { deep: [], shallow: [] };
  let budget = maxEntries;
  for (const p of bySize) {
    const entries = wanted.get(p)!;
    if (entries <= budget) {
      plan.deep.push(p);
      budget -= entries;
    } else plan.shallow.push(p);
  }
  plan.deep.sort();
  plan.shallow.sort();
  return plan;
}

/** What the entry count reads of a size tree (SizeTree fits). */
export interface TreeCounts {
  get(relPath: string): { files: number; isDirectory: boolean } | undefined;
  subdirectories(relPath: string): string[];
}

/**
 * Files and folders inside `relPath` (files from the tree's totals, folders by a walk that stops
 * past `limit`, so a huge area costs no more than the budget to count); undefined when it is not
 * a folder of the tree.
 */
export function countEntries(tree: TreeCounts, relPath: string, limit: number): number | undefined {
  const node = tree.get(relPath);
  if (!node?.isDirectory) return undefined;
  let entries = node.files;
  const stack = [relPath];
  while (stack.length > 0 && entries <= limit) {
    const dir = stack.pop()!;
    for (const name of tree.subdirectories(dir)) {
      entries++;
      stack.push(dir ? `${dir}/${name}` : name);
    }
  }
  return entries;
}
