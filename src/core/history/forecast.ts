// When does an area reach its quota? A least-squares linear trend over the size samples gives
// the growth per day; projected from the latest sample, it gives the day the quota is reached.
// No forecast with fewer than 3 samples, a flat or falling trend, or a quota already reached.
import { formatSize } from '../format/size';
import type { Sample } from './historyStore';

const DAY_MS = 86_400_000;
/** Fewest samples a trend is computed from. */
const MIN_FORECAST_SAMPLES = 3;

export type Forecast =
  | { kind: 'reaches'; days: number; at: number; slopeBytesPerDay: number }
  | { kind: 'none'; reason: 'too-few-samples' | 'flat-or-falling' | 'already-exceeded' | 'no-quota' };

export interface SizePoint {
  /** ms since the epoch */
  at: number;
  bytes: number;
}

/** Least-squares slope in bytes per day, or undefined when the times do not spread. */
export function trendBytesPerDay(points: readonly SizePoint[]): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  // Days relative to the first point keep the sums small and exact enough.
  const t0 = points[0].at;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += (p.at - t0) / DAY_MS;
    sy += p.bytes;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const dx = (p.at - t0) / DAY_MS - mx;
    sxy += dx * (p.bytes - my);
    sxx += dx * dx;
  }
  if (sxx === 0) return undefined;
  return sxy / sxx;
}

/**
 * Forecast for one size series against `quotaBytes`. `days` counts from `now` (never below 0);
 * `at` is the projected time in ms.
 */
export function forecastQuota(samples: readonly SizePoint[], quotaBytes: number, now: number): Forecast {
  const points = samples
    .filter((p) => Number.isFinite(p.at) && Number.isFinite(p.bytes))
    .slice()
    .sort((a, b) => a.at - b.at);
  if (!(quotaBytes > 0) || !Number.isFinite(quotaBytes)) return { kind: 'none', reason: 'no-quota' };
  if (points.length < MIN_FORECAST_SAMPLES) return { kind: 'none', reason: 'too-few-samples' };
  const latest = points[points.length - 1];
  if (latest.bytes >= quotaBytes) return { kind: 'none', reason: 'already-exceeded' };
  const slope = trendBytesPerDay(points);
  if (slope === undefined) return { kind: 'none', reason: 'too-few-samples' };
  // Below one byte a day is noise in integer sizes: that is flat.
  if (!(slope >= 1)) return { kind: 'none', reason: 'flat-or-falling' };
  const at = latest.at + ((quotaBytes - latest.bytes) / slope) * DAY_MS;
  const days = Math.max(0, (at - now) / DAY_MS);
  return { kind: 'reaches', days, at: Math.max(at, now), slopeBytesPerDay: slope };
}

/** "less than a day", "about 1 day", "about 9 days", "about 3 weeks", "about 4 months", "about 2 years". */
export function describeDuration(days: number): string {
  if (days < 1) return 'less than a day';
  if (days < 13.5) {
    const n = Math.round(days);
    return `about ${n} ${n === 1 ? 'day' : 'days'}`;
  }
  if (days < 7 * 8.5) return `about ${Math.round(days / 7)} weeks`;
  if (days < 365.25 * 1.5) {
    const n = Math.round(days / 30.44);
    return `about ${n} ${n === 1 ? 'month' : 'months'}`;
  }
  return `about ${Math.round(days / 365.25)} years`;
}

/** "work reaches its 500 MB quota in about 9 days", or undefined when there is no forecast. */
export function describeForecast(areaName: string, quotaBytes: number, f: Forecast): string | undefined {
  if (f.kind !== 'reaches') return undefined;
  return `${areaName} reaches its ${formatSize(quotaBytes)} quota in ${describeDuration(f.days)}`;
}

export interface AreaForecast {
  area: string;
  /** The area's quota in its latest sample. */
  quota_bytes: number;
  forecast: Forecast;
  /** The sentence for the report and the tooltip, when there is a forecast. */
  message: string | undefined;
}

/**
 * One forecast per area seen in the latest sample, against its latest quota, from the samples
 * that hold the area. Ordered by soonest first, then areas without forecast in sample order.
 */
export function forecastsForAreas(samples: readonly Sample[], now: number): AreaForecast[] {
  const sorted = samples.slice().sort((a, b) => a.at - b.at);
  const latest = sorted[sorted.length - 1];
  if (!latest) return [];
  const result: AreaForecast[] = [];
  for (const [area, current] of Object.entries(latest.areas)) {
    const points = sorted
      .filter((s) => Object.prototype.hasOwnProperty.call(s.areas, area))
      .map((s) => ({ at: s.at, bytes: s.areas[area].bytes }));
    const forecast = forecastQuota(points, current.quota_bytes, now);
    result.push({
      area,
      quota_bytes: current.quota_bytes,
      forecast,
      message: describeForecast(area, current.quota_bytes, forecast),
    });
  }
  const rank = (f: AreaForecast): number =>
    f.forecast.kind === 'reaches' ? f.forecast.days : Number.POSITIVE_INFINITY;
  return result
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

/** The whole folder against its quota, when the samples carry one. */
export function forecastForFolder(
  samples: readonly Sample[],
  now: number,
  label = 'the folder',
): AreaForecast | undefined {
  const sorted = samples.slice().sort((a, b) => a.at - b.at);
  const quota = sorted[sorted.length - 1]?.folder_quota_bytes;
  if (quota === undefined) return undefined;
  const forecast = forecastQuota(
    sorted.map((s) => ({ at: s.at, bytes: s.total_bytes })),
    quota,
    now,
  );
  return { area: label, quota_bytes: quota, forecast, message: describeForecast(label, quota, forecast) };
}
