import { strict as assert } from 'node:assert';
import { dayText, type ResidentDay } from '../../../src/core/log/tokenBudget';
import type { FolderSnapshot } from '../../../src/core/monitor/folderSnapshot';
import { buildReportData } from '../../../src/core/report/buildReportData';
import { RESIDENT_DAYS } from '../../../src/core/report/reportData';

function snapshot(series: ResidentDay[], asked: number[] = []): FolderSnapshot {
  return {
    folder: '/w',
    name: 'w',
    phase: 'ready',
    scannedFiles: 0,
    largest: () => [],
    folderSizes: () => [],
    records: [],
    malformed: { count: 0, samples: [] },
    residentByDay: (days) => {
      asked.push(days);
      return series.slice(Math.max(0, series.length - days));
    },
    logPath: '/w/.yoi/usage.jsonl',
    logExists: true,
    watchMode: 'watching',
    notes: [],
    skipped: [],
  };
}

describe('report data: resident tokens per day', () => {
  it('carries the last RESIDENT_DAYS days of the log series to the page, oldest first', () => {
    const series = Array.from({ length: RESIDENT_DAYS + 5 }, (_, i) => ({
      day: dayText(20_000 + i),
      tokens: 100 + i,
      exposures: 1,
    }));
    const asked: number[] = [];
    const [folder] = buildReportData([snapshot(series, asked)], () => null, 0).folders;
    assert.deepEqual(asked, [RESIDENT_DAYS]);
    assert.equal(folder.resident_by_day?.length, RESIDENT_DAYS);
    assert.deepEqual(folder.resident_by_day?.[0], { day: dayText(20_005), tokens: 105, exposures: 1 });
    assert.deepEqual(folder.resident_by_day?.at(-1), series.at(-1));
  });

  it('is empty when the log has no resident exposures', () => {
    assert.deepEqual(buildReportData([snapshot([])], () => null, 0).folders[0].resident_by_day, []);
  });
});
