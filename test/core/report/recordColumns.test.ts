// The one table of record columns behind the report page and the record exports.
import { strict as assert } from 'node:assert';
import type { RecordRow } from '../../../src/core/log/joinRecords';
import { exportReport } from '../../../src/core/report/exportReport';
import {
  nextRecordSort,
  recordColumns,
  recordSortFrom,
  sortRecords,
  DEFAULT_RECORD_SORT,
  RECORD_COLUMNS,
} from '../../../src/core/report/recordColumns';
import { recordRow as row, reportDataOf } from '../../support/reportData';

const text = (key: string, r: RecordRow) =>
  recordColumns('page')
    .find((c) => c.key === key)!
    .text(r);

describe('record columns', () => {
  it('the CSV export has one column per record field, in the table order (path and estimate are local details)', () => {
    const data = reportDataOf('f', [row('k', 's')]);
    const header = exportReport(data, 'csv-records').split('\r\n')[0].split(',');
    const fields = Object.keys(row('k', 's')).filter((k) => k !== 'path' && k !== 'tokens_estimate');
    assert.deepEqual([...header].sort(), ['folder', ...fields].sort());
    assert.deepEqual(
      header.slice(1),
      RECORD_COLUMNS.filter((c) => c.views.includes('csv')).map((c) => c.key),
    );
  });

  it('the page writes sizes with formatSize (negative and non-finite included) and counts grouped', () => {
    assert.equal(text('file_bytes', row('k', 's', { file_bytes: 1536 })), '1.5 kB');
    assert.equal(text('file_bytes', row('k', 's', { file_bytes: -2048 })), '-2 kB');
    assert.equal(text('file_bytes', row('k', 's', { file_bytes: Number.NaN })), '? bytes');
    assert.equal(text('file_bytes', row('k', 's', { file_bytes: null, status: 'missing' })), '—');
    assert.equal(text('use_count', row('k', 's', { use_count: 1234567 })), '1,234,567');
    assert.equal(text('last_used_at', row('k', 's', { last_used_at: null })), '—');
    assert.equal(text('slug', row('k', '<img src=x>')), '<img src=x>');
  });

  it('the page has a header per column and Markdown a subset, same titles', () => {
    const page = recordColumns('page').map((c) => c.title);
    assert.deepEqual(page, [
      'Kind',
      'Slug',
      'Status',
      'Uses',
      'Last used',
      'Resident exposures',
      'Resident tokens',
      'Size',
    ]);
    for (const c of recordColumns('markdown')) assert.ok(page.includes(c.title), c.title);
  });
});

describe('record sort', () => {
  it('sorts by the column, nulls after values ascending, ties by kind then slug', () => {
    const rows = [
      row('b', 'x', { file_bytes: 10 }),
      row('a', 'y', { file_bytes: null }),
      row('a', 'x', { file_bytes: 10 }),
      row('c', 'z', { file_bytes: 3 }),
    ];
    const names = (rs: RecordRow[]) => rs.map((r) => `${r.kind}/${r.slug}`);
    assert.deepEqual(names(sortRecords(rows, { sortKey: 'file_bytes', sortDir: 1 })), ['c/z', 'a/x', 'b/x', 'a/y']);
    assert.deepEqual(names(sortRecords(rows, { sortKey: 'file_bytes', sortDir: -1 })), ['a/y', 'a/x', 'b/x', 'c/z']);
    assert.deepEqual(names(sortRecords(rows, { sortKey: 'slug', sortDir: 1 })), ['a/x', 'b/x', 'a/y', 'c/z']);
    assert.equal(names(rows)[0], 'b/x', 'the input is not sorted in place');
  });

  it('a header click flips its column, or starts a numeric one descending and a text one ascending', () => {
    assert.deepEqual(nextRecordSort(DEFAULT_RECORD_SORT, 'use_count'), { sortKey: 'use_count', sortDir: 1 });
    assert.deepEqual(nextRecordSort({ sortKey: 'use_count', sortDir: 1 }, 'use_count'), {
      sortKey: 'use_count',
      sortDir: -1,
    });
    assert.deepEqual(nextRecordSort(DEFAULT_RECORD_SORT, 'slug'), { sortKey: 'slug', sortDir: 1 });
    assert.deepEqual(nextRecordSort({ sortKey: 'slug', sortDir: 1 }, 'file_bytes'), {
      sortKey: 'file_bytes',
      sortDir: -1,
    });
  });

  it('restores a saved sort, and falls back to the default for anything else', () => {
    assert.deepEqual(recordSortFrom({ sortKey: 'slug', sortDir: 1 }), { sortKey: 'slug', sortDir: 1 });
    for (const saved of [
      undefined,
      null,
      'x',
      {},
      { sortKey: 'path', sortDir: 1 },
      { sortKey: 'source_breakdown', sortDir: 1 },
      { sortKey: 'slug', sortDir: 2 },
      { sortKey: '__proto__', sortDir: -1 },
    ]) {
      assert.deepEqual(recordSortFrom(saved), DEFAULT_RECORD_SORT, JSON.stringify(saved));
    }
  });
});
