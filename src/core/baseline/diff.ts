// What changed between two folder-size baselines: folders added, removed, grown and shrunk (a
// renamed folder shows as one removed and one added: a baseline keeps sizes, not identities), and
// the "grew most" ranking: the folders that grew most, each followed by its changed subfolders.
import { childIndex, type Baseline, type FolderSize } from './baseline';

export interface FolderChange {
  relPath: string;
  before: number;
  after: number;
  /** after - before, in bytes. */
  delta: number;
  filesBefore: number;
  filesAfter: number;
}

export interface BaselineDiff {
  added: FolderChange[];
  removed: FolderChange[];
  grown: FolderChange[];
  shrunk: FolderChange[];
}

function change(relPath: string, b: FolderSize | undefined, a: FolderSize | undefined): FolderChange {
  const before = b?.bytes ?? 0;
  const after = a?.bytes ?? 0;
  return { relPath, before, after, delta: after - before, filesBefore: b?.files ?? 0, filesAfter: a?.files ?? 0 };
}

const byDelta = (x: FolderChange, y: FolderChange) => y.delta - x.delta || (x.relPath < y.relPath ? -1 : 1);

export function diffBaselines(before: Baseline, after: Baseline): BaselineDiff {
  const out: BaselineDiff = { added: [], removed: [], grown: [], shrunk: [] };
  for (const [rel, a] of after.folders) {
    const b = before.folders.get(rel);
    if (!b) out.added.push(change(rel, undefined, a));
    else if (a.bytes > b.bytes) out.grown.push(change(rel, b, a));
    else if (a.bytes < b.bytes) out.shrunk.push(change(rel, b, a));
  }
  for (const [rel, b] of before.folders) if (!after.folders.has(rel)) out.removed.push(change(rel, b, undefined));
  out.added.sort(byDelta);
  out.grown.sort(byDelta);
  out.shrunk.sort(byDelta);
  out.removed.sort(byDelta);
  return out;
}

export interface GrowthRow extends FolderChange {
  /** 0 for a ranked folder, 1 for its changed subfolders, and so on. */
  depth: number;
  status: 'added' | 'removed' | 'changed';
}

export interface GrewMostOptions {
  /** Only folders under this one (default: the whole workspace folder). */
  under?: string;
  /** Ranked folders (default 10). */
  top?: number;
  /** Levels of changed subfolders under each (default 2). */
  depth?: number;
  /** Changed subfolders listed per folder (default 5). */
  perFolder?: number;
}

/**
 * Changed direct subfolders of `relPath` in either baseline, largest growth first (so shrunk and
 * removed folders come last). For the view's "Sort by Growth" and for grewMost.
 */
export function changedChildren(
  before: Baseline,
  after: Baseline,
  relPath: string,
  indexes?: { before: Map<string, string[]>; after: Map<string, string[]> },
): Array<FolderChange & { status: GrowthRow['status'] }> {
  const ix = indexes ?? { before: childIndex(before), after: childIndex(after) };
  const names = new Set([...(ix.before.get(relPath) ?? []), ...(ix.after.get(relPath) ?? [])]);
  const rows: Array<FolderChange & { status: GrowthRow['status'] }> = [];
  for (const rel of names) {
    const b = before.folders.get(rel);
    const a = after.folders.get(rel);
    const c = change(rel, b, a);
    if (c.delta === 0 && b && a && b.files === a.files) continue;
    rows.push({ ...c, status: !b ? 'added' : !a ? 'removed' : 'changed' });
  }
  return rows.sort(byDelta);
}

/**
 * The folders that grew most: the deepest folders are not simply ranked with their ancestors
 * (the root would always win); instead the subfolders of `under` that grew are ranked by growth,
 * each followed by its changed subfolders down to `depth` levels.
 */
export function grewMost(before: Baseline, after: Baseline, options: GrewMostOptions = {}): GrowthRow[] {
  const indexes = { before: childIndex(before), after: childIndex(after) };
  const perFolder = options.perFolder ?? 5;
  const maxDepth = options.depth ?? 2;
  const rows: GrowthRow[] = [];
  const visit = (rel: string, depth: number): void => {
    if (depth > maxDepth) return;
    for (const c of changedChildren(before, after, rel, indexes).slice(0, perFolder)) {
      rows.push({ ...c, depth });
      visit(c.relPath, depth + 1);
    }
  };
  const top = changedChildren(before, after, options.under ?? '', indexes)
    .filter((c) => c.delta > 0)
    .slice(0, options.top ?? 10);
  for (const c of top) {
    rows.push({ ...c, depth: 0 });
    visit(c.relPath, 1);
  }
  return rows;
}

/**
 * The current subfolders of a folder that changed since the baseline, most growth first, then
 * those the baseline has and the folder no longer does (with no bytes now: removed or renamed).
 * For the view's Sort by Growth, from the entries listed now (no full walk).
 */
export function changedNow<
  E extends { name: string; relPath: string; isDirectory: boolean; bytes: number; files: number },
>(
  baseline: Baseline,
  index: Map<string, string[]>,
  relPath: string,
  current: readonly E[],
  gone: (name: string, relPath: string) => E,
): E[] {
  const rows: Array<{ entry: E; delta: number }> = [];
  const seen = new Set<string>();
  for (const e of current) {
    if (!e.isDirectory) continue;
    seen.add(e.relPath);
    const before = baseline.folders.get(e.relPath);
    const delta = e.bytes - (before?.bytes ?? 0);
    if (delta !== 0 || !before || before.files !== e.files) rows.push({ entry: e, delta });
  }
  for (const rel of index.get(relPath) ?? []) {
    if (!seen.has(rel))
      rows.push({
        entry: gone(rel.slice(rel.lastIndexOf('/') + 1), rel),
        delta: -(baseline.folders.get(rel)?.bytes ?? 0),
      });
  }
  return rows.sort((a, b) => b.delta - a.delta || (a.entry.name < b.entry.name ? -1 : 1)).map((r) => r.entry);
}
