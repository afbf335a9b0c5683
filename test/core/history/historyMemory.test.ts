// The history's records in memory, without a file: retention of samples and days, samples
// adopted in time order, and a day's activity summed from batches.
import { strict as assert } from 'node:assert';
import { manualClock } from '../../../src/core/history/clock';
import { sampleFrom, sampleKey } from '../../../src/core/history/historyFormat';
import { HistoryMemory } from '../../../src/core/history/historyMemory';
import { DAY, withTimeZone } from './helpers';

const sample = (at: number, bytes = 1) => sampleFrom({ total_bytes: bytes, files: 1, areas: [] }, at);
const START = Date.UTC(2026, 0, 10, 12);

describe('HistoryMemory', () => {
  it('adopts pending samples in time order and keeps only the retention, forgetting their unsaved marks', () => {
    const memory = new HistoryMemory(3, manualClock(START));
    const [a, b, c, d] = [sample(START + 4), sample(START + 1), sample(START + 3), sample(START + 2)];
    memory.pending.push(a, b, c, d);
    memory.unsaved.add(sampleKey(b));
    memory.adopt([a, b]);
    assert.deepEqual(
      memory.samples.map((s) => s.at),
      [START + 1, START + 4],
    );
    assert.deepEqual(memory.pending, [c, d]);
    memory.adopt([c, d]);
    assert.deepEqual(
      memory.samples.map((s) => s.at),
      [START + 2, START + 3, START + 4],
    );
    assert.equal(memory.unsaved.has(sampleKey(b)), false, 'the dropped sample is no longer due');
  });

  it("sums a day's batches, takes the last totals, counts bad numbers as 0 and marks the day dirty", () =>
    withTimeZone('UTC', () => {
      const memory = new HistoryMemory(90, manualClock(START));
      memory.addActivity(
        { files_added: 2, files_deleted: 0, bytes_added: 100, bytes_removed: 0 },
        { total_bytes: 1000, files: 10 },
      );
      memory.addActivity(
        { files_added: -5, files_deleted: 1, bytes_added: Number.NaN, bytes_removed: 40 },
        { total_bytes: 960, files: 9 },
      );
      assert.deepEqual(memory.activity(), [
        {
          day: '2026-01-10',
          files_added: 2,
          files_deleted: 1,
          bytes_added: 100,
          bytes_removed: 40,
          end_total_bytes: 960,
          end_files: 9,
        },
      ]);
      assert.deepEqual([...memory.dirtyDays], ['2026-01-10']);
    }));

  it('drops days older than the retention in days, dirty or not', () =>
    withTimeZone('UTC', () => {
      const clock = manualClock(START);
      const memory = new HistoryMemory(2, clock);
      const counts = { files_added: 1, files_deleted: 0, bytes_added: 1, bytes_removed: 0 };
      for (let i = 0; i < 3; i++) {
        memory.addActivity(counts, { total_bytes: i, files: i });
        clock.advance(DAY);
      }
      clock.advance(-DAY);
      assert.deepEqual(
        memory.activity().map((d) => d.day),
        ['2026-01-11', '2026-01-12'],
      );
      assert.deepEqual([...memory.dirtyDays].sort(), ['2026-01-11', '2026-01-12']);
      clock.advance(DAY);
      assert.equal(memory.prune(), true);
      assert.equal(memory.prune(), false);
    }));
});
