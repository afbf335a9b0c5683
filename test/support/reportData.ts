// Report test data: a used record row and a one-folder report around some rows, for the tests of
// what is built from records (the exports, the record columns).
import type { RecordRow } from '../../src/core/log/joinRecords';
import type { FolderReport, ReportData } from '../../src/core/report/reportData';

/** A record used once, on 2025-01-01, 4 bytes on disk, no resident exposure; `more` wins. */
export function recordRow(kind: string, slug: string, more: Partial<RecordRow> = {}): RecordRow {
  return {
    kind,
    slug,
    use_count: 1,
    last_used_at: '2025-01-01T00:00:00Z',
    source_breakdown: { MemoryRead: 1 },
    resident_exposure_count: 0,
    estimated_tokens_per_injection: 0,
    estimated_total_resident_exposure_tokens: 0,
    status: 'used',
    file_bytes: 4,
    path: '/w/x.md',
    tokens_estimate: 1,
    ...more,
  };
}

/** A report of one ready folder named `name` at /w (10 bytes, within quota) with `records`. */
export function reportDataOf(name: string, records: RecordRow[], warnings: string[] = []): ReportData {
  const folder = {
    name,
    folder: '/w',
    phase: 'ready',
    scanned_files: 1,
    usage: {
      folder: '/w',
      total_bytes: 10,
      allocated_bytes: 10,
      files: 1,
      folder_quota_bytes: 100,
      folder_percent: 10,
      folder_level: 'ok',
      areas: [],
      sessions: [],
      other: { bytes: 10, allocated_bytes: 10, files: 1 },
      warnings,
      production_mb: 0,
      work_mb: 0,
      total_mb: 0,
    },
    treemap: [],
    records,
    malformed: { count: 0, samples: [] },
    log_path: '/w/.yoi/usage.jsonl',
    log_exists: true,
    notes: [],
    history: null,
  } as FolderReport;
  return { generated_at: '2025-01-01T00:00:00.000Z', folders: [folder] };
}
