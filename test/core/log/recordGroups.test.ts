import { strict as assert } from 'node:assert';
import type { RecordRow } from '../../../src/core/log/joinRecords';
import { isRecordSort, recordsByKind, sortRecords } from '../../../src/core/log/recordGroups';

function row(kind: string, slug: string, uses: number, tokens = 0): RecordRow {
  return {
    kind,
    slug,
    use_count: uses,
    last_used_at: null,
    source_breakdown: {},
    resident_exposure_count: tokens ? 1 : 0,
    estimated_tokens_per_injection: tokens,
    estimated_total_resident_exposure_tokens: tokens,
    status: uses ? 'used' : 'unused',
    file_bytes: 4,
    path: `/w/${slug}.md`,
    tokens_estimate: 1,
  } as RecordRow;
}

describe('record groups', () => {
  it('orders kinds as the memory tree, then other kinds by name', () => {
    const kinds = recordsByKind([
      row('zeta', 'z', 1),
      row('knowledge', 'k', 1),
      row('alpha', 'a', 1),
      row('summary', 's', 1),
      row('decision', 'd', 1),
    ]).map((g) => g.kind);
    assert.deepEqual(kinds, ['summary', 'decision', 'knowledge', 'alpha', 'zeta']);
  });

  it('sorts by uses, tokens or name, ties by slug in byte order', () => {
    const rows = [row('d', 'b', 2, 10), row('d', 'a', 2, 50), row('d', 'É', 7), row('d', 'c', 0)];
    assert.deepEqual(
      sortRecords(rows, 'uses').map((r) => r.slug),
      ['É', 'a', 'b', 'c'],
    );
    assert.deepEqual(
      sortRecords(rows, 'tokens').map((r) => r.slug),
      ['a', 'b', 'c', 'É'],
    );
    assert.deepEqual(
      sortRecords(rows, 'name').map((r) => r.slug),
      ['a', 'b', 'c', 'É'],
    );
  });

  it('knows its sorts', () => {
    assert.equal(isRecordSort('uses'), true);
    assert.equal(isRecordSort('toString'), false);
  });
});
