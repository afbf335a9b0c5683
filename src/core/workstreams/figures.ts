// The one place the server reads the engine's domain model (UsageReport, FolderSnapshot): it
// turns them into plain figures per workstream and area, from which every wire shape (arawn's
// usage endpoint, the storage and quota APIs, the Prometheus metrics, history samples) is built.
// A rename in the domain model touches this file only.
import type { AreaUsage, UsageReport } from '../disk/areas';
import type { Level } from '../disk/levels';
import type { SampleInput } from '../history/historyFormat';
import { sampleInputOf } from '../history/sampleInput';
import type { FolderSnapshot } from '../monitor/folderSnapshot';
import { isValidWorkstreamName, SCRATCH_WORKSTREAM, type Layout } from './layout';

export type { Level } from '../disk/levels';
type AreaRole = 'production' | 'work' | 'session' | 'other';

export interface AreaFigure {
  workstream: string;
  /** The configured area's name: production, work, sessions, or one of the user's. */
  area: string;
  role: AreaRole;
  /** The session of a `sessions/*\/work` area. */
  sessionId?: string;
  /** Unique within the served root, e.g. "blog/production", "scratch/sessions/s-1", "work". */
  label: string;
  /** Relative to the served root. */
  path: string;
  bytes: number;
  allocatedBytes: number;
  files: number;
  quotaBytes: number;
  warningFraction: number;
  level: Level;
}

export interface Figures {
  root: string;
  layout: Layout['kind'];
  totalBytes: number;
  allocatedBytes: number;
  files: number;
  folderQuotaBytes: number;
  folderLevel: Level;
  areas: AreaFigure[];
  /** Workstream names, sorted. */
  workstreams: string[];
}

const figuresCache = new WeakMap<UsageReport, Figures>();

type AreaPlace = Pick<AreaFigure, 'workstream' | 'area' | 'role' | 'sessionId' | 'label'>;

/** Where a report's area stands in the served layout; undefined: not served (no workstream of arawn's, or scratch's empty work/). */
function placeOf(a: AreaUsage, layout: Layout): AreaPlace | undefined {
  const area = a.areaName;
  const workstream = layout.kind === 'arawn' ? a.path.split('/')[0] : layout.name;
  if (layout.kind === 'arawn' && !isValidWorkstreamName(workstream)) return undefined;
  const sessionId = area === 'sessions' ? a.sessionId : undefined;
  // arawn's scratch has no work/ of its own (its work is its sessions): an empty one is no area.
  if (layout.kind === 'arawn' && workstream === SCRATCH_WORKSTREAM && area === 'work' && a.files === 0 && a.bytes === 0)
    return undefined;
  const role: AreaRole =
    sessionId !== undefined ? 'session' : area === 'production' ? 'production' : area === 'work' ? 'work' : 'other';
  const label =
    layout.kind === 'arawn'
      ? sessionId !== undefined
        ? `${workstream}/sessions/${sessionId}`
        : `${workstream}/${area}`
      : a.name;
  return { workstream, area, role, sessionId, label };
}

/** Figures of a report; memoised per report object (the monitor keeps one until something changes). */
export function figuresOf(report: UsageReport, layout: Layout): Figures {
  const cached = figuresCache.get(report);
  if (cached && cached.layout === layout.kind && (layout.kind === 'arawn' || cached.workstreams[0] === layout.name))
    return cached;
  const areas: AreaFigure[] = [];
  for (const a of report.areas) {
    const place = placeOf(a, layout);
    if (!place) continue;
    areas.push({
      ...place,
      path: a.path,
      bytes: a.bytes,
      allocatedBytes: a.allocatedBytes,
      files: a.files,
      quotaBytes: a.quotaBytes,
      warningFraction: a.warningFraction,
      level: a.level,
    });
  }
  const names = layout.kind === 'arawn' ? [...new Set(areas.map((a) => a.workstream))].sort() : [layout.name];
  const figures: Figures = {
    root: report.folder,
    layout: layout.kind,
    totalBytes: report.totalBytes,
    allocatedBytes: report.allocatedBytes,
    files: report.files,
    folderQuotaBytes: report.folderQuotaBytes,
    folderLevel: report.folderLevel,
    areas,
    workstreams: names,
  };
  figuresCache.set(report, figures);
  return figures;
}

/**
 * The server's history sample: the editor's (history/sampleInput.ts, so a sample keeps the same
 * figures in both), with the areas the server serves only, named by their labels ("blog/production"):
 * /api/storage/history keys table_sizes by label, as do the samples already in --state-dir.
 */
export function servedSampleOf(report: UsageReport, layout: Layout): SampleInput {
  const labels = new Map<string, string>();
  for (const a of report.areas) {
    const place = placeOf(a, layout);
    if (place) labels.set(a.name, place.label);
  }
  const sample = sampleInputOf(report);
  return {
    ...sample,
    areas: sample.areas.flatMap((a) => {
      const label = labels.get(a.name);
      return label === undefined ? [] : [{ ...a, name: label }];
    }),
  };
}

interface RecordTotals {
  kind: string;
  status: string;
  records: number;
  uses: number;
  residentExposures: number;
  exposureTokens: number;
}

export interface MonitorFigures {
  phase: FolderSnapshot['phase'];
  watchMode: FolderSnapshot['watchMode'];
  lastScanMs?: number;
  /** Records summed per kind and status: a bounded label set, unlike one series per record. */
  records: RecordTotals[];
  malformedLines: number;
}

export function monitorFiguresOf(s: FolderSnapshot): MonitorFigures {
  const byKey = new Map<string, RecordTotals>();
  for (const r of s.records) {
    const key = `${r.kind}\0${r.status}`;
    let t = byKey.get(key);
    if (!t)
      byKey.set(
        key,
        (t = { kind: r.kind, status: r.status, records: 0, uses: 0, residentExposures: 0, exposureTokens: 0 }),
      );
    t.records++;
    t.uses += r.use_count;
    t.residentExposures += r.resident_exposure_count;
    t.exposureTokens += r.estimated_total_resident_exposure_tokens;
  }
  return {
    phase: s.phase,
    watchMode: s.watchMode,
    lastScanMs: s.lastScanMs,
    records: [...byKey.values()],
    malformedLines: s.malformed.count,
  };
}
