// "3 minutes ago", "in 2 days": relative times for tree descriptions and the report.
// Never throws: a time that is not a finite number (Date.parse of text it cannot read gives NaN,
// and Intl.RelativeTimeFormat throws a RangeError on NaN) reads "at an unknown time", so one odd
// record cannot take a whole view or command down with it.
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

const formatter = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export const UNKNOWN_TIME = 'at an unknown time';

export function formatRelativeTime(thenMs: number, nowMs: number): string {
  if (typeof thenMs !== 'number' || typeof nowMs !== 'number') return UNKNOWN_TIME;
  let value = (thenMs - nowMs) / 1000;
  if (!Number.isFinite(value)) return UNKNOWN_TIME; // NaN, ±Infinity, or a difference that overflows
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return formatter.format(Math.round(value), unit);
    value /= size;
  }
  return formatter.format(Math.round(value), 'year');
}
