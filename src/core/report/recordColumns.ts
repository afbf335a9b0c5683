// The one table of record columns: key, title, numeric or not, how each presenter writes the
// cell. It feeds the report page's records table (built for the browser) and the Markdown and
// CSV record exports, so a new field is added here once and every view follows (the compiler
// checks that `key` is a field of RecordRow).
import type { RecordRow } from '../log/joinRecords';
import { formatSize } from '../format/size';
import { formatCount } from '../format/numbers';

/** Where a column appears. */
export type RecordView = 'page' | 'markdown' | 'csv';

export type RecordKey = keyof RecordRow;

export interface RecordColumn {
  /** The RecordRow field; also the CSV header and the page's sort key. */
  key: RecordKey;
  /** The heading on the page and in Markdown. */
  title: string;
  numeric: boolean;
  views: readonly RecordView[];
  /** The row's header cell on the page (scope="row"). */
  rowHeader?: boolean;
  /** The exact value: a CSV or Markdown cell, and what the page sorts by. null: empty cell. */
  value(r: RecordRow): string | number | null;
  /** What a person reads on the page. */
  text(r: RecordRow): string;
  /** Hover text on the page. */
  hint?(r: RecordRow): string;
}

const NONE = '—';

function field(key: RecordKey): (r: RecordRow) => string | number | null {
  return (r) => r[key] as string | number | null;
}

function column(
  key: RecordKey,
  title: string,
  views: readonly RecordView[],
  options: Partial<RecordColumn> = {},
): RecordColumn {
  const value = options.value ?? field(key);
  const numeric = options.numeric ?? false;
  const text = numeric
    ? (r: RecordRow) => {
        const v = value(r);
        return v === null ? NONE : formatCount(Number(v));
      }
    : (r: RecordRow) => String(value(r) ?? NONE);
  return { key, title, numeric, views, value, text, ...options };
}

const ALL: readonly RecordView[] = ['page', 'markdown', 'csv'];

export const RECORD_COLUMNS: readonly RecordColumn[] = [
  column('kind', 'Kind', ALL),
  column('slug', 'Slug', ALL, { rowHeader: true }),
  column('status', 'Status', ALL),
  column('use_count', 'Uses', ALL, { numeric: true }),
  column('last_used_at', 'Last used', ALL, {
    // The instant as written in the log on hover, the reader's local time in the cell.
    text: (r) => (r.last_used_at ? new Date(r.last_used_at).toLocaleString() : NONE),
    hint: (r) => r.last_used_at ?? '',
  }),
  column('resident_exposure_count', 'Resident exposures', ALL, { numeric: true }),
  column('estimated_tokens_per_injection', 'Tokens per injection', ['csv'], { numeric: true }),
  column('estimated_total_resident_exposure_tokens', 'Resident tokens', ALL, { numeric: true }),
  column('file_bytes', 'Size', ['page', 'csv'], {
    numeric: true,
    text: (r) => (r.file_bytes === null ? NONE : formatSize(r.file_bytes)),
  }),
  column('source_breakdown', 'Sources', ['csv'], {
    value: (r) =>
      Object.entries(r.source_breakdown)
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
  }),
];

export function recordColumns(view: RecordView): RecordColumn[] {
  return RECORD_COLUMNS.filter((c) => c.views.includes(view));
}

/** The page's sort: a column key and a direction (1 ascending, -1 descending). */
export interface RecordSort {
  sortKey: RecordKey;
  sortDir: 1 | -1;
}

export const DEFAULT_RECORD_SORT: RecordSort = { sortKey: 'use_count', sortDir: -1 };

/** The sort saved by the page (vscode.getState), or the default when it is not one. */
export function recordSortFrom(saved: unknown): RecordSort {
  if (saved === null || typeof saved !== 'object') return { ...DEFAULT_RECORD_SORT };
  const { sortKey, sortDir } = saved as { sortKey?: unknown; sortDir?: unknown };
  const ok = recordColumns('page').some((c) => c.key === sortKey) && (sortDir === 1 || sortDir === -1);
  return ok ? { sortKey: sortKey as RecordKey, sortDir } : { ...DEFAULT_RECORD_SORT };
}

/** After a click on `key`'s header: the same column flips; another starts descending when numeric. */
export function nextRecordSort(sort: RecordSort, key: RecordKey): RecordSort {
  if (sort.sortKey === key) return { sortKey: key, sortDir: sort.sortDir === 1 ? -1 : 1 };
  const numeric = RECORD_COLUMNS.find((c) => c.key === key)?.numeric ?? false;
  return { sortKey: key, sortDir: numeric ? -1 : 1 };
}

function compareValues(x: string | number | null, y: string | number | null): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : 1;
}

const byKey = (key: RecordKey) => RECORD_COLUMNS.find((c) => c.key === key)?.value ?? field(key);

/** A sorted copy; ties by kind, then slug. */
export function sortRecords(rows: readonly RecordRow[], sort: RecordSort): RecordRow[] {
  const value = byKey(sort.sortKey);
  const kind = byKey('kind');
  const slug = byKey('slug');
  return rows
    .slice()
    .sort(
      (a, b) =>
        sort.sortDir * compareValues(value(a), value(b)) ||
        compareValues(kind(a), kind(b)) ||
        compareValues(slug(a), slug(b)),
    );
}
