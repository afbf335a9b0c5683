// RFC 3339 timestamps of the usage log ("2025-01-02T03:04:05.123+09:00"), compared as instants
// with nanosecond precision (Date.parse keeps only milliseconds, and mishandles years 0-99).
//
// Leap seconds: `:60` is accepted (RFC 3339 allows it, and so does the source's parser, chrono).
// For ordering it is the instant after :59.999999999 and before the next :00 (nanos of 1e9 and
// more, as chrono keeps it); for display, timestampToMs normalises it to the next second
// (2016-12-31T23:59:60Z shows as 2017-01-01T00:00:00Z), since JavaScript's Date and
// Date.parse have no leap seconds (Date.parse gives NaN for it). The text in the report stays
// as written. Display code must use timestampToMs, never Date.parse, on log timestamps.

/** The grammar parseRfc3339 accepts (before range checks), as a regular expression. */
export const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** An instant: whole seconds since the Unix epoch, and nanoseconds (1e9 and above only for a leap second :60). */
export interface Instant {
  seconds: number;
  nanos: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses an RFC 3339 date-time: a time zone (`Z` or `±HH:MM`) is required, fractional seconds are
 * optional (digits past nanoseconds are ignored), `T` may be `t` or a space, `:60` is a leap second.
 * Returns undefined when the text is not such a timestamp or names an impossible date or time.
 * Hand-written (no regex, no allocation but the result) because it runs once per log line;
 * RFC3339_PATTERN is the same grammar, and a test checks they agree.
 */
export function parseRfc3339(text: string): Instant | undefined {
  const len = text.length;
  if (len < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  let second = digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32))
    return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let i = 19;
  let nanos = 0;
  if (text.charCodeAt(i) === 46) {
    i++;
    const from = i;
    let scale = 100_000_000;
    for (; i < len; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      nanos += d * scale;
      scale /= 10;
      if (scale < 1) scale = 0;
    }
    if (i === from) return undefined;
  }
  let offset = 0;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return undefined;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== len || text.charCodeAt(i + 3) !== 58) return undefined;
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    offset = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return undefined;
  }
  if (second === 60) {
    second = 59;
    nanos += 1e9;
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos };
}

export function isRfc3339(text: string): boolean {
  return parseRfc3339(text) !== undefined;
}

/** Negative when a is earlier than b, 0 at the same instant, positive when later. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/**
 * Milliseconds since the epoch of a timestamp that parseRfc3339 accepts (a leap second :60 as
 * the next second's start plus its fraction), for display; undefined when it does not parse.
 */
export function timestampToMs(text: string): number | undefined {
  const at = parseRfc3339(text);
  return at === undefined ? undefined : instantToMs(at);
}

function instantToMs(at: Instant): number {
  return at.seconds * 1000 + Math.floor(at.nanos / 1e6);
}
