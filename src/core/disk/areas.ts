// Areas and quotas: usage per configured area (a `*` in a pattern yields one row per match, e.g.
// one per session), "other" for everything outside the areas, levels and warning sentences.
//
// This is the domain model every presenter maps (tree views, status bar, report page, exports,
// the CLI, the server): camelCase, no wire names. Wire formats are made at the edges
// (src/core/report/usageWire.ts for the snake_case JSON of the CLI and the exports).
import type { Settings } from '../config/settings';
import { GLOBSTAR, globProblem, globSegments, matchSegment } from '../paths/glob';
import { levelOf, quotaSentence, stepOf, warningSteps, type Level } from './levels';
import type { SizeTree } from './sizeTree';

export { levelOf, type Level } from './levels';

/** What `.gitignore` files leave out (workspaceUsage.useGitIgnore): measured, not counted. */
export interface ExcludedUsage {
  bytes: number;
  allocatedBytes: number;
  files: number;
}

/** Exact sums of what is left out at or below a folder-relative path (gitIgnored.ts). */
export interface ExactExcluded {
  bytes: bigint;
  allocatedBytes: bigint;
  files: number;
}

export interface ExcludedLookup {
  under(relPath: string): ExactExcluded;
}

export interface AreaUsage {
  /** The configured area's name, or `<name>/<match>` for each match of a `*` pattern. */
  name: string;
  /** The configured area this row comes from (its name; for a plain area equal to `name`). */
  areaName: string;
  /** Folder-relative path ('' is the folder). */
  path: string;
  pattern: string;
  bytes: number;
  allocatedBytes: number;
  files: number;
  quotaBytes: number;
  /** The first warning step (where the level turns to warning). */
  warningFraction: number;
  /** Every warning step, ascending (one when the area sets a single fraction). */
  warningSteps?: number[];
  /** Index in warningSteps of the highest step crossed; -1 when none. */
  step?: number;
  percent: number;
  level: Level;
  /** The folder name matched by the pattern's `*` (one per session). */
  sessionId?: string;
  /**
   * With workspaceUsage.useGitIgnore: what .gitignore files leave out of this area. bytes, files
   * and the level count the rest; bytes + excluded.bytes is everything in the area.
   */
  excluded?: ExcludedUsage;
}

export interface UsageReport {
  folder: string;
  totalBytes: number;
  allocatedBytes: number;
  files: number;
  folderQuotaBytes: number;
  folderPercent: number;
  folderLevel: Level;
  areas: AreaUsage[];
  /** Everything outside the areas (nested areas counted once). */
  other: { bytes: number; allocatedBytes: number; files: number };
  warnings: string[];
  /** With workspaceUsage.useGitIgnore: what .gitignore files leave out of the folder (areas and other). */
  excluded?: ExcludedUsage;
  /** Set while what .gitignore leaves out is being found: one sentence on what the figures are meanwhile. */
  excludedPending?: string;
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
        for (const name of tree.subdirectories(p).sort())
          if (matchSegment(name, part)) next.push([p ? `${p}/${name}` : name, id ?? name]);
      } else next.push([p ? `${p}/${part}` : part, id]);
    }
    paths = next;
  }
  return paths;
}

function toUsage(e: ExactExcluded): ExcludedUsage {
  return { bytes: Number(e.bytes), allocatedBytes: Number(e.allocatedBytes), files: e.files };
}

/**
 * The usage report of `tree`. With `excluded` (workspaceUsage.useGitIgnore) what it leaves out is
 * taken off every count, the levels included, and shown beside each area and the folder.
 */
export function computeUsage(
  tree: SizeTree,
  settings: Settings,
  folder: string,
  excluded?: ExcludedLookup,
): UsageReport {
  const none: ExactExcluded = { bytes: 0n, allocatedBytes: 0n, files: 0 };
  const out = (p: string): ExactExcluded => excluded?.under(p) ?? none;
  const measured = tree.total();
  const folderOut = out('');
  const total = {
    bytes: measured.bytes - Number(folderOut.bytes),
    files: measured.files - folderOut.files,
  };
  const areas: AreaUsage[] = [];
  const warnings: string[] = [];
  for (const setting of settings.areas) {
    const steps = warningSteps(setting.warningAt ?? settings.warningFraction);
    const fraction = steps[0];
    const wildcard = setting.pattern.includes('*');
    for (const [path, id] of expand(tree, setting.pattern)) {
      const node = tree.get(path);
      const left = out(path);
      const bytes = (node?.bytes ?? 0) - Number(left.bytes);
      const percent = setting.quota > 0 ? (bytes / setting.quota) * 100 : 0;
      const level = levelOf(bytes, setting.quota, fraction);
      const area: AreaUsage = {
        name: wildcard ? `${setting.name}/${id}` : setting.name,
        areaName: setting.name,
        path,
        pattern: setting.pattern,
        bytes,
        allocatedBytes: tree.diskBytes(path) - Number(left.allocatedBytes), // files and folders, as du -sB1
        files: (node?.files ?? 0) - left.files,
        quotaBytes: setting.quota,
        warningFraction: fraction,
        warningSteps: steps,
        step: stepOf(bytes, setting.quota, steps),
        percent,
        level,
      };
      if (wildcard && id !== undefined) area.sessionId = id;
      if (excluded) area.excluded = toUsage(left);
      areas.push(area);
      if (level !== 'ok')
        warnings.push(
          quotaSentence(wildcard ? `${setting.name} ${id}` : setting.name, {
            bytes,
            quota: setting.quota,
            percent,
            level,
          }),
        );
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
      const left = out(p);
      bytes += e.bytes - left.bytes;
      alloc += (tree.exactDiskBytes(p) ?? 0n) - left.allocatedBytes;
      files += n.files - left.files;
    }
  }
  const exactTotal = tree.exact('')!;
  const folderPercent = settings.folderQuota > 0 ? (total.bytes / settings.folderQuota) * 100 : 0;
  const folderLevel = levelOf(total.bytes, settings.folderQuota, settings.warningFraction);
  if (folderLevel !== 'ok')
    warnings.push(
      quotaSentence('the folder', {
        bytes: total.bytes,
        quota: settings.folderQuota,
        percent: folderPercent,
        level: folderLevel,
      }),
    );
  const report: UsageReport = {
    folder,
    totalBytes: total.bytes,
    allocatedBytes: tree.diskBytes('') - Number(folderOut.allocatedBytes),
    files: total.files,
    folderQuotaBytes: settings.folderQuota,
    folderPercent,
    folderLevel,
    areas,
    other: {
      bytes: Number(exactTotal.bytes - folderOut.bytes - bytes),
      allocatedBytes: Number((tree.exactDiskBytes('') ?? 0n) - folderOut.allocatedBytes - alloc),
      files: total.files - files,
    },
    warnings,
  };
  if (excluded) report.excluded = toUsage(folderOut);
  return report;
}
