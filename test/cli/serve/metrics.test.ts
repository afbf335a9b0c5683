// /metrics built in-process from fixed figures: every series, its labels and value, as the
// Prometheus text format prints them (the process gauges only by name: their values change).
import { strict as assert } from 'node:assert';
import { createMetrics } from '../../../src/cli/serve/metrics';
import type { AreaFigure, Figures, MonitorFigures } from '../../../src/core/workstreams/figures';

const area = (over: Partial<AreaFigure>): AreaFigure => ({
  workstream: 'blog',
  area: 'production',
  role: 'production',
  label: 'blog/production',
  path: 'blog/production',
  bytes: 100,
  allocatedBytes: 4096,
  files: 2,
  quotaBytes: 1000,
  warningFraction: 0.9,
  level: 'ok',
  ...over,
});

const figures: Figures = {
  root: '/data/workstreams',
  layout: 'arawn',
  totalBytes: 700,
  allocatedBytes: 8192,
  files: 5,
  folderQuotaBytes: 10_000,
  folderLevel: 'warning',
  areas: [
    area({}),
    area({
      workstream: 'scratch',
      area: 'sessions',
      role: 'session',
      sessionId: 's-1',
      label: 'scratch/sessions/s-1',
      bytes: 600,
      files: 3,
      level: 'exceeded',
    }),
  ],
  workstreams: ['blog', 'scratch'],
};

const monitor: MonitorFigures = {
  phase: 'ready',
  watchMode: 'watching',
  lastScanMs: 1500,
  records: [
    { kind: 'decision', status: 'used', records: 2, uses: 7, residentExposures: 1, exposureTokens: 300 },
    { kind: 'knowledge', status: 'unused', records: 1, uses: 0, residentExposures: 0, exposureTokens: 0 },
  ],
  malformedLines: 4,
};

async function scrape(f: Figures | undefined): Promise<string[]> {
  const registry = createMetrics({ figures: () => f, monitor: () => monitor, lastChangeAt: () => 1_700_000_000_000 });
  return (await registry.metrics()).split('\n');
}

describe('serve /metrics (createMetrics)', () => {
  it('fills every workspace_usage gauge from the figures at scrape time', async () => {
    const lines = await scrape(figures);
    const f = 'folder="/data/workstreams"';
    const series = lines.filter((l) => l.startsWith('workspace_usage_'));
    assert.deepEqual(series, [
      `workspace_usage_area_bytes{${f},workstream="blog",area="production",session=""} 100`,
      `workspace_usage_area_bytes{${f},workstream="scratch",area="sessions",session="s-1"} 600`,
      `workspace_usage_area_allocated_bytes{${f},workstream="blog",area="production",session=""} 4096`,
      `workspace_usage_area_allocated_bytes{${f},workstream="scratch",area="sessions",session="s-1"} 4096`,
      `workspace_usage_area_files{${f},workstream="blog",area="production",session=""} 2`,
      `workspace_usage_area_files{${f},workstream="scratch",area="sessions",session="s-1"} 3`,
      `workspace_usage_area_quota_bytes{${f},workstream="blog",area="production",session=""} 1000`,
      `workspace_usage_area_quota_bytes{${f},workstream="scratch",area="sessions",session="s-1"} 1000`,
      `workspace_usage_area_warning_fraction{${f},workstream="blog",area="production",session=""} 0.9`,
      `workspace_usage_area_warning_fraction{${f},workstream="scratch",area="sessions",session="s-1"} 0.9`,
      `workspace_usage_area_level{${f},workstream="blog",area="production",session=""} 0`,
      `workspace_usage_area_level{${f},workstream="scratch",area="sessions",session="s-1"} 2`,
      `workspace_usage_folder_bytes{${f}} 700`,
      `workspace_usage_folder_allocated_bytes{${f}} 8192`,
      `workspace_usage_folder_files{${f}} 5`,
      `workspace_usage_folder_quota_bytes{${f}} 10000`,
      `workspace_usage_folder_level{${f}} 1`,
      `workspace_usage_last_change_timestamp_seconds{${f}} 1700000000`,
      `workspace_usage_scan_duration_seconds{${f}} 1.5`,
      `workspace_usage_watching{${f}} 1`,
      `workspace_usage_log_malformed_lines{${f}} 4`,
      `workspace_usage_records{${f},kind="decision",status="used"} 2`,
      `workspace_usage_records{${f},kind="knowledge",status="unused"} 1`,
      `workspace_usage_record_uses{${f},kind="decision",status="used"} 7`,
      `workspace_usage_record_uses{${f},kind="knowledge",status="unused"} 0`,
      `workspace_usage_record_resident_exposures{${f},kind="decision",status="used"} 1`,
      `workspace_usage_record_resident_exposures{${f},kind="knowledge",status="unused"} 0`,
      `workspace_usage_record_exposure_tokens{${f},kind="decision",status="used"} 300`,
      `workspace_usage_record_exposure_tokens{${f},kind="knowledge",status="unused"} 0`,
    ]);
    const processGauges = lines.filter((l) => /^process_\w+ \d/.test(l)).map((l) => l.split(' ')[0]);
    assert.deepEqual(processGauges, [
      'process_resident_memory_bytes',
      'process_heap_used_bytes',
      'process_start_time_seconds',
    ]);
    assert.equal(lines.filter((l) => l.startsWith('# TYPE ')).length, 22, 'every metric a gauge with its help');
    assert.ok(lines.filter((l) => l.startsWith('# TYPE ')).every((l) => l.endsWith(' gauge')));
  });

  it('before the first scan: no workspace_usage series, the process gauges still there', async () => {
    const lines = await scrape(undefined);
    assert.deepEqual(
      lines.filter((l) => l.startsWith('workspace_usage_')),
      [],
    );
    assert.equal(lines.filter((l) => /^process_\w+ \d/.test(l)).length, 3);
  });

  it('keeps a series for the 100 largest sessions and sums the rest into session="(other)"', async () => {
    const sessions = Array.from({ length: 103 }, (_, i) =>
      area({
        workstream: 'scratch',
        area: 'sessions',
        role: 'session',
        sessionId: `s-${i}`,
        label: `scratch/sessions/s-${i}`,
        bytes: 1000 - i,
        files: 1,
        level: i === 101 ? 'warning' : 'ok',
      }),
    );
    const lines = await scrape({ ...figures, areas: sessions });
    const bytes = lines.filter((l) => l.startsWith('workspace_usage_area_bytes{'));
    assert.equal(bytes.length, 101);
    assert.ok(
      bytes.includes(
        'workspace_usage_area_bytes{folder="/data/workstreams",workstream="scratch",area="sessions",session="s-99"} 901',
      ),
    );
    assert.equal(
      bytes.at(-1),
      `workspace_usage_area_bytes{folder="/data/workstreams",workstream="scratch",area="sessions",session="(other)"} ${898 + 899 + 900}`,
    );
    assert.ok(
      lines.includes(
        'workspace_usage_area_level{folder="/data/workstreams",workstream="scratch",area="sessions",session="(other)"} 1',
      ),
    );
  });
});
