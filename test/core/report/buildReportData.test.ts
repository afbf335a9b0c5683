import { strict as assert } from 'node:assert';
import { dayText } from '../../../src/core/log/tokenBudget';
import { buildReportData, type SnapshotWithResidents } from '../../../src/core/report/buildReportData';
import { RESIDENT_DAYS } from '../../../src/core/report/reportData';

function snapshot(extra: Partial<SnapshotWithResidents> = {}): SnapshotWithResidents {
  return {
    folder: '/w', name: 'w', phase: 'ready', scannedFiles: 0, largest: () => [], records: [], malformed: { count: 0, samples: [] },
    logPath: '/w/.yoi/usage.jsonl', logExists: true, watchMode: 'watching', notes: [], skipped: [], ...extra,
  };
}

describe('report data: resident tokens per day', () => {
  it('carries the last days of the log series to the page, oldest first', () => {
    const series = Array.from({ length: RESIDENT_DAYS + 5 }, (_, i) => ({ day: dayText(20_000 + i), tokens: 100 + i, exposures: 1 }));
    const [folder] = buildReportData([snapshot({ residentByDay: series })], () => null, 0).folders;
    assert.equal(folder.resident_by_day?.length, RESIDENT_DAYS);
    assert.deepEqual(folder.resident_by_day?.[0], { day: dayText(20_005), tokens: 105, exposures: 1 });
    assert.deepEqual(folder.resident_by_day?.at(-1), series.at(-1));
  });

  it('is empty when the snapshot has no series', () => {
    assert.deepEqual(buildReportData([snapshot()], () => null, 0).folders[0].resident_by_day, []);
  });
});
