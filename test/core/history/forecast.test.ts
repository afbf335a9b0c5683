import { strict as assert } from 'node:assert';
import {
  describeDuration,
  describeForecast,
  forecastForFolder,
  forecastQuota,
  forecastsForAreas,
  trendBytesPerDay,
} from '../../../src/core/history/forecast';
import type { Sample } from '../../../src/core/history/historyStore';
import { DAY, MB } from './helpers';

const NOW = Date.UTC(2026, 4, 1, 9, 0, 0);
const series = (...mb: number[]): Array<{ at: number; bytes: number }> =>
  mb.map((m, i) => ({ at: NOW - (mb.length - 1 - i) * DAY, bytes: m * MB }));

describe('forecastQuota', () => {
  it('10 MB a day from 400 MB reaches a 500 MB quota in 10 days', () => {
    const f = forecastQuota(series(380, 390, 400), 500 * MB, NOW);
    assert.equal(f.kind, 'reaches');
    if (f.kind !== 'reaches') return;
    assert.ok(Math.abs(f.slopeBytesPerDay - 10 * MB) < 1e-6, String(f.slopeBytesPerDay));
    assert.ok(Math.abs(f.days - 10) < 1e-9, String(f.days));
    assert.ok(Math.abs(f.at - (NOW + 10 * DAY)) < 1);
    assert.equal(describeForecast('work', 500 * MB, f), 'work reaches its 500 MB quota in about 10 days');
  });

  it('fits a least-squares line through noisy samples', () => {
    // 0, 12, 18, 30 MB over days 0..3: slope = 9.6 MB/day.
    assert.ok(Math.abs(trendBytesPerDay(series(0, 12, 18, 30))! - 9.6 * MB) < 1e-3);
    const f = forecastQuota(series(0, 12, 18, 30), 126 * MB, NOW);
    assert.equal(f.kind, 'reaches');
    if (f.kind === 'reaches') assert.ok(Math.abs(f.days - 10) < 1e-9, String(f.days));
  });

  it('counts from now when the last sample is older', () => {
    const f = forecastQuota(series(380, 390, 400), 500 * MB, NOW + 3 * DAY);
    assert.equal(f.kind, 'reaches');
    if (f.kind === 'reaches') assert.ok(Math.abs(f.days - 7) < 1e-9);
    const late = forecastQuota(series(380, 390, 400), 500 * MB, NOW + 30 * DAY);
    assert.equal(late.kind === 'reaches' && late.days, 0);
  });

  it('ignores the order samples come in', () => {
    const s = series(380, 390, 400);
    assert.deepEqual(forecastQuota([s[2], s[0], s[1]], 500 * MB, NOW), forecastQuota(s, 500 * MB, NOW));
  });

  it('refuses with fewer than 3 samples, a flat or falling trend, or a reached quota', () => {
    assert.deepEqual(forecastQuota(series(390, 400), 500 * MB, NOW), { kind: 'none', reason: 'too-few-samples' });
    assert.deepEqual(forecastQuota([], 500 * MB, NOW), { kind: 'none', reason: 'too-few-samples' });
    assert.deepEqual(forecastQuota(series(400, 400, 400), 500 * MB, NOW), { kind: 'none', reason: 'flat-or-falling' });
    assert.deepEqual(forecastQuota(series(420, 410, 400), 500 * MB, NOW), { kind: 'none', reason: 'flat-or-falling' });
    assert.deepEqual(forecastQuota(series(480, 495, 510), 500 * MB, NOW), { kind: 'none', reason: 'already-exceeded' });
    assert.deepEqual(forecastQuota(series(480, 490, 500), 500 * MB, NOW), { kind: 'none', reason: 'already-exceeded' });
    const sameTime = [1, 2, 3].map((m) => ({ at: NOW, bytes: m * MB }));
    assert.deepEqual(forecastQuota(sameTime, 500 * MB, NOW), { kind: 'none', reason: 'too-few-samples' });
    assert.deepEqual(forecastQuota(series(1, 2, 3), 0, NOW), { kind: 'none', reason: 'no-quota' });
    assert.equal(describeForecast('work', 500 * MB, { kind: 'none', reason: 'flat-or-falling' }), undefined);
  });
});

describe('describeDuration', () => {
  it('rounds sensibly', () => {
    assert.equal(describeDuration(0), 'less than a day');
    assert.equal(describeDuration(0.9), 'less than a day');
    assert.equal(describeDuration(1), 'about 1 day');
    assert.equal(describeDuration(1.4), 'about 1 day');
    assert.equal(describeDuration(1.6), 'about 2 days');
    assert.equal(describeDuration(9.2), 'about 9 days');
    assert.equal(describeDuration(13), 'about 13 days');
    assert.equal(describeDuration(20), 'about 3 weeks');
    assert.equal(describeDuration(100), 'about 3 months');
    assert.equal(describeDuration(800), 'about 2 years');
  });
});

describe('forecastsForAreas', () => {
  const sample = (day: number, work: number, prod: number, folderQuota?: number): Sample => ({
    at: NOW - (2 - day) * DAY,
    total_bytes: (work + prod) * MB,
    files: 1,
    ...(folderQuota !== undefined ? { folder_quota_bytes: folderQuota } : {}),
    areas: {
      production: { bytes: prod * MB, files: 1, quota_bytes: 1024 * MB },
      work: { bytes: work * MB, files: 1, quota_bytes: 500 * MB },
    },
  });

  it('gives a sentence for each growing area, soonest first', () => {
    const samples = [sample(0, 400, 700), sample(1, 420, 700), sample(2, 440, 700)];
    const result = forecastsForAreas(samples, NOW);
    assert.deepEqual(
      result.map((r) => r.area),
      ['work', 'production'],
    );
    assert.equal(result[0].message, 'work reaches its 500 MB quota in about 3 days');
    assert.equal(result[1].message, undefined);
    assert.deepEqual(result[1].forecast, { kind: 'none', reason: 'flat-or-falling' });
    assert.deepEqual(forecastsForAreas([], NOW), []);
  });

  it('uses only the samples that hold the area', () => {
    const a = sample(0, 400, 700);
    delete (a.areas as Record<string, unknown>).work;
    const result = forecastsForAreas([a, sample(1, 420, 700), sample(2, 440, 700)], NOW);
    assert.deepEqual(result.find((r) => r.area === 'work')?.forecast, { kind: 'none', reason: 'too-few-samples' });
  });

  it('forecasts the folder total when the samples carry its quota', () => {
    const samples = [sample(0, 400, 500, 1000 * MB), sample(1, 420, 500, 1000 * MB), sample(2, 440, 500, 1000 * MB)];
    assert.equal(forecastForFolder(samples, NOW, 'demo')?.message, 'demo reaches its 1000 MB quota in about 3 days');
    assert.equal(forecastForFolder([sample(0, 1, 1)], NOW), undefined);
  });
});
