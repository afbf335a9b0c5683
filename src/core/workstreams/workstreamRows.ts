// The Usage view of an arawn data dir: one row per workstream with its production, its work and
// (scratch) its sessions, from the areas a monitor computes with arawnAreas(). Plain Node,
// unit-tested; the view only renders.
import type { AreaUsage, Level } from '../disk/areas';
import { worstLevel } from '../disk/usageRows';
import { SCRATCH_WORKSTREAM } from './layout';

export interface WorkstreamRow {
  name: string;
  /** Folder-relative path of the workstream. */
  path: string;
  /** production and work, in that order, when present. */
  areas: AreaUsage[];
  /** scratch's sessions, largest first. */
  sessions: AreaUsage[];
  bytes: number;
  level: Level;
}

/**
 * Groups the areas under `root` (folder-relative: '' or 'workstreams') by workstream, the path
 * segment right under it; areas elsewhere are left out.
 */
export function workstreamRows(areas: readonly AreaUsage[], root: string): WorkstreamRow[] {
  const prefix = root ? `${root}/` : '';
  const rows = new Map<string, WorkstreamRow>();
  for (const area of areas) {
    if (!area.path.startsWith(prefix)) continue;
    const ws = area.path.slice(prefix.length).split('/')[0];
    if (!ws) continue;
    // arawn's scratch has no work/ of its own (its work is its sessions): an empty one is no area.
    if (ws === SCRATCH_WORKSTREAM && area.areaName === 'work' && area.files === 0 && area.bytes === 0) continue;
    let row = rows.get(ws);
    if (!row)
      rows.set(ws, (row = { name: ws, path: `${prefix}${ws}`, areas: [], sessions: [], bytes: 0, level: 'ok' }));
    if (area.areaName === 'sessions') row.sessions.push(area);
    else row.areas.push(area);
  }
  const order = (a: AreaUsage) => (a.areaName === 'production' ? 0 : a.areaName === 'work' ? 1 : 2);
  for (const row of rows.values()) {
    row.areas.sort((a, b) => order(a) - order(b));
    row.sessions.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
    const all = [...row.areas, ...row.sessions];
    row.bytes = all.reduce((n, a) => n + a.bytes, 0);
    row.level = worstLevel(all.map((a) => a.level));
  }
  return [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
