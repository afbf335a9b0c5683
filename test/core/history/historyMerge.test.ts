import { strict as assert } from 'node:assert';
import {
  parseHistoryText,
  sampleFrom,
  sampleKey,
  serialiseHistory,
  type DailyActivity,
} from '../../../src/core/history/historyFormat';
import { mergeRead } from '../../../src/core/history/historyMerge';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function day(key: string, files_added: number): DailyActivity {
  return {
    day: key,
    files_added,
    files_deleted: 0,
    bytes_added: 0,
    bytes_removed: 0,
    end_total_bytes: 0,
    end_files: 0,
  };
}

function read(text: string) {
  const r = parseHistoryText(text);
  assert.equal(r.kind, 'ok');
  return r as Extract<typeof r, { kind: 'ok' }>;
}

describe('mergeRead', () => {
  it('takes a sample read back from the file for the one in memory, whatever its key order', () => {
    // Built samples put folder_quota_bytes last; parsed ones in schema order.
    const mine = sampleFrom(
      {
        total_bytes: 5,
        files: 1,
        folder_quota_bytes: 100,
        areas: [
          { name: 'b', bytes: 1, files: 1, quota_bytes: 0 },
          { name: 'a', bytes: 2, files: 1, quota_bytes: 0 },
        ],
      },
      T0,
    );
    const other = sampleFrom({ total_bytes: 6, files: 1, areas: [] }, T0 + 1);
    const file = read(serialiseHistory([mine, other], []).text);
    const merged = mergeRead({ samples: [mine], days: new Map(), dirtyDays: new Set(), unsaved: new Set() }, file);
    assert.deepEqual(
      merged.samples.map((s) => s.total_bytes),
      [5, 6],
    );
    assert.equal(merged.memoryOnly, false);
  });

  it("keeps this window's unsaved days and takes the others from the file", () => {
    const days = new Map([
      ['2026-01-09', day('2026-01-09', 1)],
      ['2026-01-10', day('2026-01-10', 2)],
    ]);
    const file = read(serialiseHistory([], [day('2026-01-09', 7), day('2026-01-10', 8)]).text);
    mergeRead({ samples: [], days, dirtyDays: new Set(['2026-01-10']), unsaved: new Set() }, file);
    assert.deepEqual(
      [...days.values()].map((d) => d.files_added),
      [7, 2],
    );
  });

  it('says when memory holds a record the file lost', () => {
    const s = sampleFrom({ total_bytes: 5, files: 1, areas: [] }, T0);
    const empty = read(serialiseHistory([], []).text);
    assert.equal(
      mergeRead({ samples: [s], days: new Map(), dirtyDays: new Set(), unsaved: new Set() }, empty).memoryOnly,
      true,
    );
    assert.equal(
      mergeRead(
        {
          samples: [],
          days: new Map([['2026-01-09', day('2026-01-09', 1)]]),
          dirtyDays: new Set(),
          unsaved: new Set(),
        },
        empty,
      ).memoryOnly,
      true,
    );
    // One whose write failed is known to be missing: a rewrite is already due for it.
    const unsaved = new Set<string>();
    const state = { samples: [s], days: new Map(), dirtyDays: new Set<string>(), unsaved };
    unsaved.add(sampleKey(s));
    assert.equal(mergeRead(state, empty).memoryOnly, false);
  });
});
