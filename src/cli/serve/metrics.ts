// `/metrics` in the Prometheus text format through prom-client: every gauge is filled at scrape
// time from the figures in memory (no scan per scrape). Label sets stay bounded: records are
// summed per kind and status (never one series per record), and only the largest sessions get a
// series of their own.
import { Gauge, Registry } from 'prom-client';
import type { Figures, MonitorFigures } from '../../core/workstreams/figures';

export interface MetricsSource {
  figures(): Figures | undefined;
  monitor(): MonitorFigures | undefined;
  /** When the sizes last changed (ms since the epoch), if they did. */
  lastChangeAt(): number | undefined;
}

/** Sessions beyond this many (the smallest) are summed into one series, session="(other)". */
const MAX_SESSION_SERIES = 100;
/** Record kinds beyond this many are summed into kind="(other)". */
const MAX_RECORD_KINDS = 20;

const LEVEL_VALUE = { ok: 0, warning: 1, exceeded: 2 } as const;

type AreaValue = 'bytes' | 'allocatedBytes' | 'files' | 'quotaBytes' | 'warningFraction' | 'level';

interface AreaRow {
  labels: { folder: string; workstream: string; area: string; session: string };
  values: Record<AreaValue, number>;
}

/** One row per area; the smallest sessions beyond the bound are summed. */
function areaRows(f: Figures): AreaRow[] {
  const rows: AreaRow[] = [];
  const sessions = f.areas.filter((a) => a.role === 'session').sort((a, b) => b.bytes - a.bytes);
  const kept = new Set(sessions.slice(0, MAX_SESSION_SERIES));
  const rest = new Map<string, AreaRow>();
  for (const a of f.areas) {
    const values = {
      bytes: a.bytes,
      allocatedBytes: a.allocatedBytes,
      files: a.files,
      quotaBytes: a.quotaBytes,
      warningFraction: a.warningFraction,
      level: LEVEL_VALUE[a.level],
    };
    if (a.role !== 'session' || kept.has(a)) {
      rows.push({
        labels: { folder: f.root, workstream: a.workstream, area: a.area, session: a.sessionId ?? '' },
        values,
      });
      continue;
    }
    const key = `${a.workstream}\0${a.area}`;
    const row = rest.get(key);
    if (!row)
      rest.set(key, {
        labels: { folder: f.root, workstream: a.workstream, area: a.area, session: '(other)' },
        values: { ...values },
      });
    else {
      for (const k of ['bytes', 'allocatedBytes', 'files'] as const) row.values[k] += values[k];
      row.values.level = Math.max(row.values.level, values.level);
    }
  }
  return [...rows, ...rest.values()];
}

/** One series of a gauge: its labels (none for a process gauge) and its value. */
interface Series {
  labels: Record<string, string>;
  value: number;
}

export function createMetrics(source: MetricsSource): Registry {
  const registry = new Registry();
  /** The one gauge factory: at each scrape the gauge is emptied and holds just `series()`. */
  const gauge = (name: string, help: string, labelNames: readonly string[], series: () => Iterable<Series>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of series()) this.set(s.labels, s.value);
      },
    });

  // A few process gauges instead of prom-client's default metrics, whose nodejs_*_total gauges
  // `promtool check metrics` rejects (a _total suffix is for counters).
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  const processGauge = (name: string, help: string, value: () => number) =>
    gauge(name, help, [], () => [{ labels: {}, value: value() }]);
  processGauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  processGauge('process_heap_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed);
  processGauge(
    'process_start_time_seconds',
    'Start time of the process since the epoch, in seconds.',
    () => startSeconds,
  );

  let rowsFor: Figures | undefined;
  let rows: AreaRow[] = [];
  const currentRows = (): AreaRow[] => {
    const f = source.figures();
    if (f !== rowsFor) {
      rowsFor = f;
      rows = f ? areaRows(f) : [];
    }
    return rows;
  };
  const areaGauge = (name: string, help: string, value: AreaValue) =>
    gauge(name, help, ['folder', 'workstream', 'area', 'session'], () =>
      currentRows().map((r) => ({ labels: r.labels, value: r.values[value] })),
    );
  areaGauge(
    'workspace_usage_area_bytes',
    'Apparent size of the files in the area, in bytes (hard links once).',
    'bytes',
  );
  areaGauge(
    'workspace_usage_area_allocated_bytes',
    'Disk space allocated to the files in the area, in bytes.',
    'allocatedBytes',
  );
  areaGauge('workspace_usage_area_files', 'Files in the area.', 'files');
  areaGauge('workspace_usage_area_quota_bytes', 'Quota of the area, in bytes.', 'quotaBytes');
  areaGauge(
    'workspace_usage_area_warning_fraction',
    'Fraction of the quota at which the area turns to warning.',
    'warningFraction',
  );
  areaGauge(
    'workspace_usage_area_level',
    'Level of the area: 0 ok, 1 warning (at the warning fraction), 2 over quota.',
    'level',
  );

  /** A gauge with one series per served folder; `value` undefined: no series this scrape. */
  const folderGauge = (name: string, help: string, value: (f: Figures) => number | undefined) =>
    gauge(name, help, ['folder'], () => {
      const f = source.figures();
      const v = f && value(f);
      return f && v !== undefined ? [{ labels: { folder: f.root }, value: v }] : [];
    });
  folderGauge(
    'workspace_usage_folder_bytes',
    'Apparent size of the whole served folder, in bytes.',
    (f) => f.totalBytes,
  );
  folderGauge(
    'workspace_usage_folder_allocated_bytes',
    'Disk space allocated to the whole served folder, in bytes.',
    (f) => f.allocatedBytes,
  );
  folderGauge('workspace_usage_folder_files', 'Files in the whole served folder.', (f) => f.files);
  folderGauge(
    'workspace_usage_folder_quota_bytes',
    'Quota of the whole served folder, in bytes.',
    (f) => f.folderQuotaBytes,
  );
  folderGauge(
    'workspace_usage_folder_level',
    'Level of the whole folder: 0 ok, 1 warning, 2 over quota.',
    (f) => LEVEL_VALUE[f.folderLevel],
  );
  folderGauge(
    'workspace_usage_last_change_timestamp_seconds',
    'When the sizes last changed (a watcher event or a rescan applied), seconds since the epoch.',
    () => (source.lastChangeAt() ?? 0) / 1000,
  );

  const monitorGauge = (name: string, help: string, value: (m: MonitorFigures) => number | undefined) =>
    folderGauge(name, help, () => {
      const m = source.monitor();
      return m && value(m);
    });
  monitorGauge('workspace_usage_scan_duration_seconds', 'Wall time of the first full scan, in seconds.', (m) =>
    m.lastScanMs === undefined ? undefined : m.lastScanMs / 1000,
  );
  monitorGauge(
    'workspace_usage_watching',
    '1 when changes are followed live by a file watcher, 0 when only periodic rescans run.',
    (m) => (m.watchMode === 'watching' ? 1 : 0),
  );
  monitorGauge('workspace_usage_log_malformed_lines', 'Malformed lines in the usage log.', (m) => m.malformedLines);

  /** Records summed per kind and status; kinds beyond the bound are summed into kind="(other)". */
  const recordGauge = (
    name: string,
    help: string,
    value: 'records' | 'uses' | 'residentExposures' | 'exposureTokens',
  ) =>
    gauge(name, help, ['folder', 'kind', 'status'], () => {
      const f = source.figures();
      const m = source.monitor();
      if (!f || !m) return [];
      const kinds = [...new Set(m.records.map((r) => r.kind))].sort();
      const keep = new Set(kinds.slice(0, MAX_RECORD_KINDS));
      const sums = new Map<string, Series>();
      for (const r of m.records) {
        const kind = keep.has(r.kind) ? r.kind : '(other)';
        const key = `${kind}\0${r.status}`;
        const s = sums.get(key) ?? { labels: { folder: f.root, kind, status: r.status }, value: 0 };
        s.value += r[value];
        sums.set(key, s);
      }
      return sums.values();
    });
  recordGauge('workspace_usage_records', 'Memory records, per kind and status (used, unused, missing).', 'records');
  recordGauge('workspace_usage_record_uses', 'Uses of memory records in the usage log, per kind and status.', 'uses');
  recordGauge(
    'workspace_usage_record_resident_exposures',
    'Resident exposures of memory records in the usage log, per kind and status.',
    'residentExposures',
  );
  recordGauge(
    'workspace_usage_record_exposure_tokens',
    'Estimated tokens of the resident exposures, per kind and status.',
    'exposureTokens',
  );
  return registry;
}
