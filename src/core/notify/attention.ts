// Which areas need the user's attention, and when to tell them: the quota levels of every folder
// and area of the open workspace as one flat list (the status bar, the view badge and the
// notifications read the same list), and the notification policy: one summary when the window
// opens, one notification per later crossing, nothing for muted areas or levels the user's
// `workspaceUsage.notifications` setting leaves out.
import type { AreaUsage, Level } from '../disk/areas';
import { LEVEL_RANK } from '../disk/levels';
import { formatSize } from '../format/size';
import type { FolderSnapshot } from '../monitor/folderSnapshot';

export const NOTIFICATION_MODES = ['all', 'errors', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** One folder or area with a quota, as the user knows it. */
export interface QuotaItem {
  /** Stable across windows: the folder path and the label. Mutes are kept under it. */
  key: string;
  /** What the user reads: the area name, "session <id>", or the folder's name. */
  label: string;
  folder: string;
  bytes: number;
  quota: number;
  percent: number;
  level: Level;
  /** The area's warning steps, ascending (absent or one: a single warning fraction). */
  steps?: readonly number[];
  /** Index in `steps` of the highest step crossed; -1 or absent when none. */
  step?: number;
}

/**
 * The label of an area: "session <id>" for a match of the sessions area's `*`, else its name
 * (for other `*` areas `<area>/<match>`, e.g. "production/blog" in an arawn data dir).
 */
export function areaLabel(area: Pick<AreaUsage, 'name' | 'sessionId' | 'areaName'>): string {
  return area.sessionId !== undefined && area.areaName === 'sessions' ? `session ${area.sessionId}` : area.name;
}

export function quotaKey(folder: string, label: string): string {
  return `${folder}::${label}`;
}

/** Every folder and area with its level, for the folders whose usage is known. */
export function quotaItems(snapshots: readonly FolderSnapshot[]): QuotaItem[] {
  const items: QuotaItem[] = [];
  for (const s of snapshots) {
    const u = s.usage;
    if (!u) continue;
    items.push({
      key: quotaKey(s.folder, s.name),
      label: s.name,
      folder: s.folder,
      bytes: u.totalBytes,
      quota: u.folderQuotaBytes,
      percent: u.folderPercent,
      level: u.folderLevel,
    });
    for (const a of u.areas) {
      const label = areaLabel(a);
      const item: QuotaItem = {
        key: quotaKey(s.folder, label),
        label,
        folder: s.folder,
        bytes: a.bytes,
        quota: a.quotaBytes,
        percent: a.percent,
        level: a.level,
      };
      if (a.warningSteps && a.warningSteps.length > 1) {
        item.steps = a.warningSteps;
        item.step = a.step ?? -1;
      }
      items.push(item);
    }
  }
  return items;
}

/** The most critical item: by level, then by how far into its quota; undefined when all are ok. */
export function mostCritical(items: readonly QuotaItem[]): QuotaItem | undefined {
  return items
    .filter((c) => c.level !== 'ok')
    .sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.percent - a.percent)[0];
}

/** What the badge on the view container says: how many are over their quota, and which. */
export function overQuotaBadge(items: readonly QuotaItem[]): { value: number; tooltip: string } | undefined {
  const over = items.filter((i) => i.level === 'exceeded').sort((a, b) => b.percent - a.percent);
  if (over.length === 0) return undefined;
  const names =
    over
      .slice(0, 5)
      .map((i) => i.label)
      .join(', ') + (over.length > 5 ? ` and ${over.length - 5} more` : '');
  return {
    value: over.length,
    tooltip: `${over.length} ${over.length === 1 ? 'area is' : 'areas are'} over quota: ${names}`,
  };
}

/** The warning step crossed, as a fraction, when the item has several steps and is at warning. */
export function crossedStep(item: Pick<QuotaItem, 'level' | 'steps' | 'step'>): number | undefined {
  if (item.level !== 'warning' || !item.steps || item.steps.length < 2 || item.step === undefined || item.step < 0)
    return undefined;
  return item.steps[item.step];
}

/** A percentage for a step: 0.9 is "90", 0.955 is "95.5". */
function stepPercent(fraction: number): string {
  return String(Math.round(fraction * 1000) / 10);
}

export function quotaSentence(
  item: Pick<QuotaItem, 'label' | 'bytes' | 'quota' | 'percent' | 'level' | 'steps' | 'step'>,
): string {
  if (item.level === 'exceeded')
    return `${item.label} exceeds its ${formatSize(item.quota)} quota (${formatSize(item.bytes)}, ${Math.round(item.percent)}%)`;
  const step = crossedStep(item);
  // Only areas with several steps name the step: one step is the level itself.
  const past = step === undefined ? '' : ` (past the ${stepPercent(step)}% step)`;
  return `${item.label} is at ${Math.round(item.percent)}% of its ${formatSize(item.quota)} quota${past}`;
}

/** Rank of an item's attention: its level, then (within warning) its step. */
function attentionRank(item: Pick<QuotaItem, 'level' | 'step'>): [number, number] {
  return [LEVEL_RANK[item.level], item.level === 'warning' ? (item.step ?? 0) : 0];
}

function rises(before: [number, number], now: [number, number]): boolean {
  return now[0] > before[0] || (now[0] === before[0] && now[1] > before[1]);
}

export interface Notice {
  level: Exclude<Level, 'ok'>;
  message: string;
  /** The items the notice is about (the user may mute them). */
  items: QuotaItem[];
}

const LISTED = 5;

/** One notice about several items: worst first, the first few named. */
export function summaryNotice(items: readonly QuotaItem[]): Notice | undefined {
  if (items.length === 0) return undefined;
  const sorted = [...items].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.percent - a.percent);
  const level = sorted[0].level === 'exceeded' ? 'exceeded' : 'warning';
  if (sorted.length === 1) return { level, message: `${quotaSentence(sorted[0])}.`, items: sorted };
  const named = sorted.slice(0, LISTED).map(quotaSentence).join('; ');
  const more = sorted.length > LISTED ? `; and ${sorted.length - LISTED} more` : '';
  return { level, message: `${sorted.length} areas need attention: ${named}${more}.`, items: sorted };
}

/**
 * Decides what to notify. Nothing until every folder has its first numbers; then one summary of
 * everything beyond its level; after that, one notice per item that rises to a higher level, or
 * (within warning) past a higher warning step: 0.8 then 0.9 of [0.8, 0.9] are two crossings.
 * Items that are muted, or whose level the mode leaves out, are tracked but never notified.
 */
export class NotificationPolicy {
  private readonly last = new Map<string, [number, number]>();
  private started = false;

  constructor(
    private mode: NotificationMode,
    private muted: ReadonlySet<string>,
  ) {}

  setMode(mode: NotificationMode): void {
    this.mode = mode;
  }

  setMuted(muted: ReadonlySet<string>): void {
    this.muted = muted;
  }

  private wanted(item: QuotaItem): boolean {
    if (this.muted.has(item.key)) return false;
    if (this.mode === 'off') return false;
    return this.mode === 'errors' ? item.level === 'exceeded' : item.level !== 'ok';
  }

  update(items: readonly QuotaItem[], allReady: boolean): Notice[] {
    if (!this.started) {
      if (!allReady) return [];
      this.started = true;
      for (const item of items) this.last.set(item.key, attentionRank(item));
      const summary = summaryNotice(items.filter((i) => this.wanted(i)));
      return summary ? [summary] : [];
    }
    const notices: Notice[] = [];
    for (const item of items) {
      const before = this.last.get(item.key) ?? attentionRank({ level: 'ok' });
      const now = attentionRank(item);
      this.last.set(item.key, now);
      if (rises(before, now) && this.wanted(item)) notices.push(summaryNotice([item])!);
    }
    return notices;
  }

  /** After mutes are lifted: one summary of the lifted items that are beyond their level now. */
  unmuted(items: readonly QuotaItem[], lifted: ReadonlySet<string>): Notice | undefined {
    if (!this.started) return undefined;
    return summaryNotice(items.filter((i) => lifted.has(i.key) && this.wanted(i)));
  }
}
