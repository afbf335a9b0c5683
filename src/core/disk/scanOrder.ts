// Order keys of a parallel scan: where scanSync's walk would meet a folder or a file, so the
// merge can decide as scanSync does whichever worker met it (see parallelScan.ts).
//
// Every folder gets an order key (its listing positions from the scan's start folder); a
// hard-linked file's key is its folder's key plus its position. scanSync's stack pops folders in
// reverse listing order (depth first) and handles a folder's files, in listing order, before any
// folder below it; so a smaller key is met first.

/** A folder handed between threads. */
export interface WorkUnit {
  /** Absolute path: a string, or its raw bytes when a name on it is not valid UTF-8. */
  path: string | Uint8Array;
  rel: string;
  /** Order key (see the header). */
  key: number[];
}

/** A subfolder's key step: the later in its parent's listing, the earlier the walk meets it. */
export const DIR_STEP_BASE = 2 ** 40;

/** The order key of folder `dir` of a part: its unit's key, then the steps down to it. */
export function keyOfDir(
  dir: number,
  parents: ArrayLike<number>,
  steps: ArrayLike<number>,
  unitKeys: Map<number, number[]>,
): number[] {
  const path: number[] = [];
  let d = dir;
  for (let base = unitKeys.get(d); base === undefined; base = unitKeys.get(d)) {
    path.push(steps[d]);
    d = parents[d];
  }
  return unitKeys.get(d)!.concat(path.reverse());
}

/** Lexicographic; a missing key sorts last. */
export function compareKeys(a: number[] | undefined, b: number[] | undefined): number {
  if (!a) return b ? 1 : 0;
  if (!b) return -1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The start unit of a scan of `root` (or of its subtree `relPath`). */
export function startUnit(root: string, relPath = ''): WorkUnit {
  return { path: relPath ? `${root}/${relPath}` : root, rel: relPath, key: [] };
}
