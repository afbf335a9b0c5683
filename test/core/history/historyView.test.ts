import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { manualClock } from '../../../src/core/history/clock';
import { HistoryStore } from '../../../src/core/history/historyStore';
import { buildHistoryView } from '../../../src/core/history/historyView';
import { DAY, MB, tempDir } from './helpers';

describe('buildHistoryView', () => {
  it('combines chart, forecast sentences, activity and sample count for the report', async () => {
    const dir = await tempDir();
    try {
      const clock = manualClock(Date.UTC(2026, 3, 1, 12));
      const store = await HistoryStore.open(dir, { retention: 90, clock });
      for (const mb of [380, 390, 400]) {
        await store.addSample({
          total_bytes: mb * MB,
          files: 1,
          areas: [{ name: 'work', bytes: mb * MB, files: 1, quota_bytes: 500 * MB }],
        });
        store.recordActivity('add', 10 * MB, { total_bytes: mb * MB, files: 1 });
        clock.advance(DAY);
      }
      clock.advance(-DAY);
      const view = buildHistoryView(store, clock.now());
      assert.deepEqual(view.forecasts, ['work reaches its 500 MB quota in about 10 days']);
      assert.equal(view.samples, 3);
      assert.equal(view.activity.length, 3);
      assert.equal((view.chart_svg.match(/<polyline/g) ?? []).length, 2);
      await store.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
