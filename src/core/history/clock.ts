// Time for the usage history: an injectable clock (tests drive it by hand) and local-day keys.
// Days are calendar days in the process's local time zone (process.env.TZ when set), so a day
// ends at local midnight, including on the 23- and 25-hour days of a daylight-saving change.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and replays. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' of the local calendar day holding `ms`. */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDayKey(text: string): boolean {
  const m = DAY_KEY.exec(text);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Local midnight that starts the day `key` ('YYYY-MM-DD'), in ms. */
export function startOfLocalDay(key: string): number {
  const m = DAY_KEY.exec(key);
  if (!m) throw new Error(`not a day key: ${key}`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** The day key `n` calendar days after (or before, when negative) `key`; DST-safe. */
export function addLocalDays(key: string, n: number): string {
  const m = DAY_KEY.exec(key);
  if (!m) throw new Error(`not a day key: ${key}`);
  // Noon avoids any DST gap at midnight (some zones skip 00:00-01:00).
  return localDayKey(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n, 12).getTime());
}
