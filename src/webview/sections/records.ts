// The memory records table, its columns from the shared table (recordColumns.ts), sortable by
// any header; and the malformed log lines.
import { recordColumns, sortRecords, type RecordKey, type RecordSort } from '../../core/report/recordColumns';
import type { FolderReport } from '../../core/report/reportData';
import { formatCount } from '../../core/format/numbers';
import { el } from '../dom';

export function recordsTable(f: FolderReport, sort: RecordSort, onSort: (key: RecordKey) => void): HTMLElement | null {
  if (!f.records.length && !f.malformed.count) return null;
  const columns = recordColumns('page');
  const arrow = sort.sortDir > 0 ? ' ▲' : ' ▼';
  const head = el(
    'tr',
    {},
    columns.map((c) => {
      const sorted = sort.sortKey === c.key;
      return el(
        'th',
        {
          scope: 'col',
          class: c.numeric ? 'num' : undefined,
          'aria-sort': sorted ? (sort.sortDir > 0 ? 'ascending' : 'descending') : 'none',
        },
        el(
          'button',
          { class: 'sort', type: 'button', on: { click: () => onSort(c.key) } },
          c.title,
          sorted ? arrow : '',
        ),
      );
    }),
  );
  const body = sortRecords(f.records, sort).map((r) =>
    el(
      'tr',
      { class: `status-${r.status}` },
      columns.map((c) => {
        const attrs = { class: c.numeric ? 'num' : undefined, title: c.hint?.(r) };
        return c.rowHeader ? el('th', { scope: 'row', ...attrs }, c.text(r)) : el('td', attrs, c.text(r));
      }),
    ),
  );
  const section = el(
    'section',
    { 'aria-labelledby': 'records-h' },
    el('h2', { id: 'records-h' }, 'Memory records'),
    el('table', { class: 'records' }, el('thead', {}, head), el('tbody', {}, body)),
  );
  if (f.malformed.count) {
    section.append(
      el(
        'details',
        { class: 'malformed' },
        el('summary', {}, `${formatCount(f.malformed.count)} malformed log lines skipped`),
        el(
          'ul',
          {},
          f.malformed.samples.map((s) => el('li', {}, `line ${s.line}: ${s.reason}`)),
        ),
      ),
    );
  }
  return section;
}
