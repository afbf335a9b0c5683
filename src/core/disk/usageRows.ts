// What the Usage view lists under a folder, derived here (plain Node, unit-tested) so the view
// only renders: the areas in settings order with the matches of a `*` pattern (one per session)
// grouped under one row named after the configured area, and the largest entries outside every
// area with the bytes inside areas taken off.
import type { AreaUsage, Level, UsageReport } from './areas';
import { LEVEL_RANK } from './levels';
import type { LargestEntry } from './sizeTree';

export type AreaRow =
  | { kind: 'area'; area: AreaUsage }
  | { kind: 'sessions'; name: string; pattern: string; sessions: AreaUsage[]; bytes: number; level: Level };

/** The worst of some levels ('ok' for none). */
export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'ok';
  for (const level of levels) if (LEVEL_RANK[level] > LEVEL_RANK[worst]) worst = level;
  return worst;
}

/**
 * The rows of a folder's areas: each plain area as it comes, and the matches of one `*` pattern
 * as one group placed where its first match is, named after the configured area.
 */
export function areaRows(usage: Pick<UsageReport, 'areas'>): AreaRow[] {
  const groups = new Map<string, AreaUsage[]>();
  for (const area of usage.areas) {
    if (area.sessionId === undefined) continue;
    const list = groups.get(area.pattern);
    if (list) list.push(area);
    else groups.set(area.pattern, [area]);
  }
  const rows: AreaRow[] = [];
  for (const area of usage.areas) {
    if (area.sessionId === undefined) rows.push({ kind: 'area', area });
    else {
      const sessions = groups.get(area.pattern)!;
      if (sessions[0] !== area) continue;
      rows.push({
        kind: 'sessions',
        name: area.areaName,
        pattern: area.pattern,
        sessions,
        bytes: sessions.reduce((sum, s) => sum + s.bytes, 0),
        level: worstLevel(sessions.map((s) => s.level)),
      });
    }
  }
  return rows;
}

/**
 * The largest top-level entries outside the areas: each entry's bytes minus the areas inside it
 * (an area itself counts 0), largest first, at most `n`; entries left with nothing are dropped,
 * except plain files that are not areas.
 */
export function otherEntries(
  areas: ReadonlyArray<Pick<AreaUsage, 'path' | 'bytes'>>,
  entries: readonly LargestEntry[],
  n: number,
): Array<{ entry: LargestEntry; bytes: number }> {
  return entries
    .map((entry) => {
      let bytes = entry.bytes;
      for (const a of areas) {
        if (a.path === entry.relPath) bytes = 0;
        else if (a.path.startsWith(`${entry.relPath}/`)) bytes -= a.bytes;
      }
      return { entry, bytes };
    })
    .filter((x) => x.bytes > 0 || (!x.entry.isDirectory && !areas.some((a) => a.path === x.entry.relPath)))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n);
}
