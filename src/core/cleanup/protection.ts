// Which rows of the Usage view offer which clean-up actions. The rule that keeps `production/`
// safe lives here, once, so the menus, the commands and the tests read the same answer.
//
// The rule: an area is PROTECTED when its configured name is `production` (any case) or a
// segment of its pattern starts with `production` (`production`, `production/*`,
// `production-eu`, an arawn data dir's `workstreams/*/production`...). Nothing
// inside a protected area, and nothing that contains one, is ever offered for Move to Trash or
// Clean Up; everything outside every area ("other") is not offered either: clean-up is for the
// scratch areas (`work/`, `sessions/<id>/work/`, and any other area you configure).
import { isPathWithin } from '../paths/inside';
import { excludeGlobFor } from './excludeGlob';

/** What the rule needs to know of an area: its configured name and pattern, and the matched path. */
export interface AreaRef {
  /** The configured area's name (AreaUsage.areaName). */
  areaName: string;
  pattern: string;
  /** Folder-relative path of this match ('' is the folder). */
  path: string;
}

/** Whether an area is protected from every clean-up action (see the rule above). */
export function isProtectedArea(area: Pick<AreaRef, 'areaName' | 'pattern'>): boolean {
  return (
    area.areaName.toLowerCase() === 'production' ||
    area.pattern.split('/').some((segment) => segment.startsWith('production'))
  );
}

/** Folder-relative paths compare by segment: `work2` is not inside `work`. */
function within(parent: string, child: string): boolean {
  if (parent === '') return true;
  return isPathWithin(`/${parent}`, `/${child}`);
}

/** Whether the path touches a protected area: lies inside one, or contains one. */
export function touchesProtected(relPath: string, areas: readonly AreaRef[]): boolean {
  return areas.some((a) => isProtectedArea(a) && (within(a.path, relPath) || within(relPath, a.path)));
}

/** Whether the path lies in a protected area (what it contains is not asked: a walk skips those). */
export function insideProtected(relPath: string, areas: readonly AreaRef[]): boolean {
  return areas.some((a) => isProtectedArea(a) && within(a.path, relPath));
}

/**
 * The unprotected area strictly containing `relPath` (the deepest one when areas nest), if any.
 * The area's own folder is not "in" it: an area is cleaned up, not trashed whole.
 */
export function trashableArea(relPath: string, areas: readonly AreaRef[]): AreaRef | undefined {
  if (relPath === '' || touchesProtected(relPath, areas)) return undefined;
  let best: AreaRef | undefined;
  for (const a of areas) {
    if (isProtectedArea(a) || a.path === relPath || !within(a.path, relPath)) continue;
    if (!best || a.path.length > best.path.length) best = a;
  }
  return best;
}

/** The words an entry row (a file or folder below an area or "other") adds to its contextValue. */
export function entryActionWords(relPath: string, isDirectory: boolean, areas: readonly AreaRef[]): string[] {
  const words: string[] = [];
  if (trashableArea(relPath, areas)) words.push('trashable');
  if (isDirectory && excludeGlobFor(relPath).ok) words.push('excludable');
  return words;
}

/**
 * The words an area row adds: `cleanable` unless protected, inside a protected area, or the
 * folder itself (a protected area nested in it is skipped by the clean-up), and `excluded` when the folder's excludes hold exactly its glob (Include Again),
 * else `excludable`.
 */
export function areaActionWords(area: AreaRef, excludes: readonly string[], areas: readonly AreaRef[]): string[] {
  const words: string[] = [];
  if (area.path !== '' && !isProtectedArea(area) && !insideProtected(area.path, areas)) words.push('cleanable');
  const glob = excludeGlobFor(area.path);
  if (glob.ok) words.push(excludes.includes(glob.glob) ? 'excluded' : 'excludable');
  return words;
}
