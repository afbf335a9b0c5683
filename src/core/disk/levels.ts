// The quota vocabulary, declared once: the levels an area or folder can be at, their order, how
// a level follows from bytes, quota and warning fraction, and the sentence that tells it.
import { formatSize } from '../format/size';

const LEVELS = ['ok', 'warning', 'exceeded'] as const;
export type Level = (typeof LEVELS)[number];

/** Each level's rank, in LEVELS order: a higher rank is worse. */
export const LEVEL_RANK = Object.fromEntries(LEVELS.map((level, i) => [level, i])) as Record<Level, number>;

export function levelOf(bytes: number, quota: number, fraction: number): Level {
  if (bytes > quota) return 'exceeded';
  // bytes / quota, not quota * fraction: 25 * 0.28 is 7.000000000000001, so 7 bytes of a 25-byte
  // quota at warningAt 0.28 stayed ok. The quotient is rounded once, to the fraction's own double.
  // A quota of 0 with 0 bytes is a warning, as before.
  if (quota <= 0 || bytes / quota >= fraction) return 'warning';
  return 'ok';
}

/** Warning steps from a setting (one fraction or several): ascending, each once. */
export function warningSteps(warningAt: number | readonly number[]): number[] {
  const steps = typeof warningAt === 'number' ? [warningAt] : [...warningAt];
  return [...new Set(steps)].sort((a, b) => a - b);
}

/**
 * The index of the highest warning step crossed (-1: none), with levelOf's arithmetic, so step 0
 * is crossed exactly when the level leaves 'ok'. Over the quota every step is crossed.
 */
export function stepOf(bytes: number, quota: number, steps: readonly number[]): number {
  if (bytes > quota || quota <= 0) return steps.length - 1;
  const share = bytes / quota;
  let step = -1;
  for (let i = 0; i < steps.length && share >= steps[i]; i++) step = i;
  return step;
}

/** "work exceeds its 500 MB quota (520 MB, 104%)" or "work is at 85% of its 500 MB quota". */
export function quotaSentence(
  label: string,
  a: { bytes: number; quota: number; percent: number; level: Level },
): string {
  return a.level === 'exceeded'
    ? `${label} exceeds its ${formatSize(a.quota)} quota (${formatSize(a.bytes)}, ${Math.round(a.percent)}%)`
    : `${label} is at ${Math.round(a.percent)}% of its ${formatSize(a.quota)} quota`;
}
