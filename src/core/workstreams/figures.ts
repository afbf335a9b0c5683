// The one place the server reads the engine's domain model (UsageReport, FolderSnapshot): it
// turns them into plain figures per workstream and area, from which every wire shape (arawn's
// usage endpoint, the storage and quota APIs, the Prometheus metrics, history samples) is built.
// A rename in the domain model touches this file only.
import type { UsageReport } from '../disk/areas';
import type { Level } from '../disk/levels';
import type { SampleInput } from '../history/historyFormat';
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

/** Figures of a report; memoised per report object (the monitor keeps one until something changes). */
export function figuresOf(report: UsageReport, layout: Layout): Figures {
  const cached = figuresCache.get(report);
  if (cached && cached.layout === layout.kind && (layout.kind === 'arawn' || cached.workstreams[0] === layout.name))
    return cached;
  const areas: AreaFigure[] = [];
  for (const a of report.areas) {
    const id = a.sessionId;
    const area = a.areaName;
    let workstream: string;
    let sessionId: string | undefined;
    if (layout.kind === 'arawn') {
      workstream = a.path.split('/')[0];
      if (!isValidWorkstreamName(workstream)) continue;
      sessionId = area === 'sessions' ? id : undefined;
    } else {
      workstream = layout.name;
      sessionId = area === 'sessions' ? id : undefined;
    }
    // arawn's scratch has no work/ of its own (its work is its sessions): an empty one is no area.
    if (
      layout.kind === 'arawn' &&
      workstream === SCRATCH_WORKSTREAM &&
      area === 'work' &&
      a.files === 0 &&
      a.bytes === 0
    )
      continue;
    const role: AreaRole =
      sessionId !== undefined ? 'session' : area === 'production' ? 'production' : area === 'work' ? 'work' : 'other';
    const label =
      layout.kind === 'arawn'
        ? sessionId !== undefined
          ? `${workstream}/sessions/${sessionId}`
          : `${workstream}/${area}`
        : a.name;
    areas.push({
      workstream,
      area,
      role,
      sessionId,
      label,
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

/** A history sample of the served root, areas by label. */
export function sampleInputOf(f: Figures): SampleInput {
  return {
    total_bytes: f.totalBytes,
    files: f.files,
    folder_quota_bytes: f.folderQuotaBytes,
    areas: f.areas.map((a) => ({ name: a.label, bytes: a.bytes, files: a.files, quota_bytes: a.quotaBytes })),
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
