// The report joined with the records on disk: every record that is in the log or on disk, once.
import type { RecordReport, RecordStats } from './recordReport';
import type { DiskRecord } from './recordsOnDisk';
import { compareUtf8 } from './utf8';

/**
 * - "used": in the log (any event, a resident exposure alone included: the log has evidence
 *   of it) and on disk;
 * - "unused": on disk, never in the log;
 * - "missing": in the log, not on disk.
 */
type RecordStatus = 'used' | 'unused' | 'missing';

export type RecordRow = RecordStats & {
  status: RecordStatus;
  /** Size on disk now; null when missing. */
  file_bytes: number | null;
  /** Absolute path on disk; null when missing. */
  path: string | null;
  /** ceil(file_bytes / 4); null when missing. */
  tokens_estimate: number | null;
};

function unusedStats(kind: string, slug: string): RecordStats {
  return {
    kind,
    slug,
    use_count: 0,
    last_used_at: null,
    source_breakdown: {},
    resident_exposure_count: 0,
    estimated_tokens_per_injection: 0,
    estimated_total_resident_exposure_tokens: 0,
  };
}

/** Sorted by kind then slug, byte-wise as UTF-8, like the report. */
function compareRecords(a: { kind: string; slug: string }, b: { kind: string; slug: string }): number {
  return compareUtf8(a.kind, b.kind) || compareUtf8(a.slug, b.slug);
}

export function joinRecords(report: RecordReport, onDisk: DiskRecord[]): RecordRow[] {
  const disk = new Map<string, Map<string, DiskRecord>>();
  for (const d of onDisk) {
    let slugs = disk.get(d.kind);
    if (!slugs) disk.set(d.kind, (slugs = new Map()));
    slugs.set(d.slug, d);
  }
  const rows: RecordRow[] = [];
  for (const r of report.records) {
    const d = disk.get(r.kind)?.get(r.slug);
    if (d) disk.get(r.kind)!.delete(r.slug);
    rows.push({
      ...r,
      status: d ? 'used' : 'missing',
      file_bytes: d?.file_bytes ?? null,
      path: d?.path ?? null,
      tokens_estimate: d?.tokens_estimate ?? null,
    });
  }
  for (const slugs of disk.values()) {
    for (const d of slugs.values()) {
      rows.push({
        ...unusedStats(d.kind, d.slug),
        status: 'unused',
        file_bytes: d.file_bytes,
        path: d.path,
        tokens_estimate: d.tokens_estimate,
      });
    }
  }
  return rows.sort(compareRecords);
}
