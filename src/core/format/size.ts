// One style for human-readable sizes everywhere: 1024-based units with PostgreSQL's
// pg_size_pretty unit names ("bytes", "kB", "MB", ...). Exact byte counts stay available
// to callers; this is only for display.

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
const UNIT_FACTORS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1024 ** 5,
  pib: 1024 ** 5,
};

/** "0 bytes", "1 byte", "1023 bytes", "1 kB", "12.5 GB", "450 MB". One decimal below 100 of a unit. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return '? bytes';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  if (value < 1024) return `${sign}${value} ${value === 1 ? 'byte' : 'bytes'}`;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  let text = value < 100 ? value.toFixed(1) : Math.round(value).toString();
  if (text.endsWith('.0')) text = text.slice(0, -2);
  // Rounding can reach the next unit (1023.96 kB -> "1024 kB"); keep it in the larger unit.
  if (text === '1024' && unit < UNITS.length - 1) return `${sign}1 ${UNITS[unit + 1]}`;
  return `${sign}${text} ${UNITS[unit]}`;
}

/** Whole mebibytes, rounded down (the source API's `*_mb` fields). */
export function toWholeMB(bytes: number): number {
  return Math.floor(bytes / 1024 ** 2);
}

/**
 * Parses a size written by a person: a byte count (number or digits) or a number with a
 * 1024-based unit, e.g. "500 MB", "1.5GiB", "100 gb". Returns undefined when it is not a size.
 */
export function parseSize(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!match) return undefined;
  const factor = match[2] === '' ? 1 : UNIT_FACTORS[match[2].toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}
