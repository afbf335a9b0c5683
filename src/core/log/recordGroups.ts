// How the Records view orders memory records: kinds in the memory tree's order (summary,
// decisions, requests, workflows, knowledge, then any other kind by name), and records within a
// kind by the user's chosen sort.
import type { RecordRow } from './joinRecords';

export const RECORD_SORTS = {
  uses: { label: 'Most used', detail: 'use count, highest first', short: 'by uses' },
  tokens: { label: 'Most tokens', detail: 'resident exposure tokens, highest first', short: 'by tokens' },
  name: { label: 'Name', detail: 'slug, A to Z', short: 'by name' },
} as const;
export type RecordSort = keyof typeof RECORD_SORTS;

export function isRecordSort(value: unknown): value is RecordSort {
  return typeof value === 'string' && Object.hasOwn(RECORD_SORTS, value);
}

const KIND_ORDER = ['summary', 'decision', 'request', 'workflow', 'knowledge'];

/** Records grouped by kind, kinds in the memory tree's order. */
export function recordsByKind(records: readonly RecordRow[]): Array<{ kind: string; records: RecordRow[] }> {
  const byKind = new Map<string, RecordRow[]>();
  for (const r of records) {
    const list = byKind.get(r.kind);
    if (list) list.push(r);
    else byKind.set(r.kind, [r]);
  }
  const rank = (k: string) => KIND_ORDER.indexOf(k) + 1 || 99;
  return [...byKind.keys()]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((kind) => ({ kind, records: byKind.get(kind)! }));
}

/** A sorted copy; ties by slug in byte order. */
export function sortRecords(records: readonly RecordRow[], sort: RecordSort): RecordRow[] {
  const copy = [...records];
  const byName = (a: RecordRow, b: RecordRow) => Buffer.compare(Buffer.from(a.slug), Buffer.from(b.slug));
  if (sort === 'name') return copy.sort(byName);
  if (sort === 'tokens') {
    return copy.sort(
      (a, b) =>
        (b.estimated_total_resident_exposure_tokens ?? 0) - (a.estimated_total_resident_exposure_tokens ?? 0) ||
        (b.tokens_estimate ?? 0) - (a.tokens_estimate ?? 0) ||
        byName(a, b),
    );
  }
  return copy.sort((a, b) => b.use_count - a.use_count || byName(a, b));
}
