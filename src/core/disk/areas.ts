// Areas and quotas: usage per configured area (a `*` in a pattern yields one row per match, e.g.
// one per session), "other" for everything outside the areas, levels and warning sentences.
import type { Settings } from '../config/settings';
import { formatSize, toWholeMB } from '../format/size';
import { GLOBSTAR, globProblem, globSegments, matchSegment } from '../paths/glob';
import type { SizeTree } from './sizeTree';

export type Level = 'ok' | 'warning' | 'exceeded';

export interface AreaUsage {
  name: string;
  path: string;
  pattern: string;
  bytes: number;
  allocated_bytes: number;
  files: number;
  quota_bytes: number;
  warning_fraction: number;
  percent: number;
  level: Level;
  session_id?: string;
}

export interface UsageReport {
  folder: string;
  total_bytes: number;
  allocated_bytes: number;
  files: number;
  folder_quota_bytes: number;
  folder_percent: number;
  folder_level: Level;
  areas: AreaUsage[];
  sessions: Array<{ id: string; bytes: number; mb: number; area: string }>;
  other: { bytes: number; allocated_bytes: number; files: number };
  warnings: string[];
  production_mb: number;
  work_mb: number;
  total_mb: number;
}

export function levelOf(bytes: number, quota: number, fraction: number): Level {
  if (bytes > quota) return 'exceeded';
  // bytes / quota, not quota * fraction: 25 * 0.28 is 7.000000000000001, so 7 bytes of a 25-byte
  // quota at warningAt 0.28 stayed ok. The quotient is rounded once, to the fraction's own double.
  // A quota of 0 with 0 bytes is a warning, as before.
  if (quota <= 0 || bytes / quota >= fraction) return 'warning';
  return 'ok';
}

/**
 * Expands a pattern against the tree, one folder level per segment (`**` too, as before):
 * [path, the segment matched by the first wildcard]. Uses the shared glob matcher, so a session
 * folder named with a line break is matched, and no pattern backtracks.
 */
function expand(tree: SizeTree, pattern: string): Array<[string, string | undefined]> {
  if (globProblem(pattern) !== undefined) return [];
  let paths: Array<[string, string | undefined]> = [['', undefined]];
  for (const segment of globSegments(pattern)) {
    const part = segment === GLOBSTAR ? '*' : segment;
    const next: Array<[string, string | undefined]> = [];
    for (const [p, id] of paths) {
      if (part.includes('*') || part.includes('?')) {
        for (const name of tree.subdirectories(p).sort()) if (matchSegment(name, part)) next.push([p ? `${p}/${name}` : name, id ?? name]);
      } else next.push([p ? `${p}/${part}` : part, id]);
    }
    paths = next;
  }
  return paths;
}

function sentence(label: string, a: { bytes: number; quota: number; percent: number; level: Level }): string {
  return a.level === 'exceeded'
    ? `${label} exceeds its ${formatSize(a.quota)} quota (${formatSize(a.bytes)}, ${Math.round(a.percent)}%)`
    : `${label} is at ${Math.round(a.percent)}% of its ${formatSize(a.quota)} quota`;
}

export function computeUsage(tree: SizeTree, settings: Settings, folder: string): UsageReport {
  const total = tree.total();
  const areas: AreaUsage[] = [];
  const sessions: UsageReport['sessions'] = [];
  const warnings: string[] = [];
  for (const setting of settings.areas) {
    const fraction = setting.warningAt ?? settings.warningFraction;
    const wildcard = setting.pattern.includes('*');
    for (const [path, id] of expand(tree, setting.pattern)) {
      const node = tree.get(path);
      const bytes = node?.bytes ?? 0;
      const percent = setting.quota > 0 ? (bytes / setting.quota) * 100 : 0;
      const level = levelOf(bytes, setting.quota, fraction);
      const area: AreaUsage = {
        name: wildcard ? `${setting.name}/${id}` : setting.name,
        path,
        pattern: setting.pattern,
        bytes,
        allocated_bytes: node?.allocatedBytes ?? 0,
        files: node?.files ?? 0,
        quota_bytes: setting.quota,
        warning_fraction: fraction,
        percent,
        level,
      };
      if (wildcard && id !== undefined) {
        area.session_id = id;
        sessions.push({ id, bytes, mb: toWholeMB(bytes), area: setting.name });
      }
      areas.push(area);
      if (level !== 'ok') warnings.push(sentence(wildcard ? `${setting.name} ${id}` : setting.name, { bytes, quota: setting.quota, percent, level }));
    }
  }
  // "other": total minus the areas, counting nested areas once.
  const paths = [...new Set(areas.map((a) => a.path))].sort();
  const outer = paths.filter((p) => !paths.some((q) => q !== p && (q === '' || p.startsWith(`${q}/`))));
  // Exact sums (BigInt): past 2^53 bytes, total minus areas in doubles could be off.
  let bytes = 0n;
  let alloc = 0n;
  let files = 0;
  for (const p of outer) {
    const n = tree.get(p);
    const e = tree.exact(p);
    if (n && e) {
      bytes += e.bytes;
      alloc += e.allocatedBytes;
      files += n.files;
    }
  }
  const exactTotal = tree.exact('')!;
  const folderPercent = settings.folderQuota > 0 ? (total.bytes / settings.folderQuota) * 100 : 0;
  const folderLevel = levelOf(total.bytes, settings.folderQuota, settings.warningFraction);
  if (folderLevel !== 'ok') warnings.push(sentence('the folder', { bytes: total.bytes, quota: settings.folderQuota, percent: folderPercent, level: folderLevel }));
  const sumOf = (name: string) => areas.filter((a) => a.name === name).reduce((n, a) => n + a.bytes, 0);
  return {
    folder,
    total_bytes: total.bytes,
    allocated_bytes: total.allocatedBytes,
    files: total.files,
    folder_quota_bytes: settings.folderQuota,
    folder_percent: folderPercent,
    folder_level: folderLevel,
    areas,
    sessions,
    other: { bytes: Number(exactTotal.bytes - bytes), allocated_bytes: Number(exactTotal.allocatedBytes - alloc), files: total.files - files },
    warnings,
    production_mb: toWholeMB(sumOf('production')),
    work_mb: toWholeMB(sumOf('work')),
    total_mb: toWholeMB(total.bytes),
  };
}
