// What a store does with the file as read: merges another writer's records into its memory, and
// words the warnings about damage. Pure; the store (historyStore.ts) does the file work.
import { sampleKey, type DailyActivity, type ParseResult, type Sample, type SkippedLine } from './historyFormat';

export interface MemoryState {
  samples: Sample[];
  days: Map<string, DailyActivity>;
  /** Days with counts not yet written: this window's version wins for them. */
  dirtyDays: ReadonlySet<string>;
  /** Keys of samples not yet known to be on disk; the file may lack them without loss. */
  unsaved: Set<string>;
}

/**
 * Merges the file's records into `state`: samples are united (the same when their sampleKey
 * is), a day's activity is taken from the file unless it is dirty here (last writer wins, as in
 * the file). Updates `state.days` and `state.unsaved` in place; returns the samples in time order
 * and whether memory holds records the file lacks (it lost them: a rewrite is due).
 */
export function mergeRead(
  state: MemoryState,
  read: Extract<ParseResult, { kind: 'ok' }>,
): { samples: Sample[]; memoryOnly: boolean } {
  const onDisk = new Set<string>();
  const inMemory = new Set(state.samples.map(sampleKey));
  const samples = [...state.samples];
  let added = false;
  for (const s of read.samples) {
    const key = sampleKey(s);
    onDisk.add(key);
    state.unsaved.delete(key);
    if (!inMemory.has(key)) {
      inMemory.add(key);
      samples.push(s);
      added = true;
    }
  }
  if (added) samples.sort((a, b) => a.at - b.at);
  let memoryOnly = samples.some((s) => {
    const key = sampleKey(s);
    return !onDisk.has(key) && !state.unsaved.has(key);
  });
  for (const [day, d] of read.activity) if (!state.dirtyDays.has(day)) state.days.set(day, d);
  for (const day of state.days.keys()) if (!read.activity.has(day) && !state.dirtyDays.has(day)) memoryOnly = true;
  return { samples, memoryOnly };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Names "could not be read" (the recorder keys its once-only warnings on it). */
export function skippedMessage(file: string, skipped: readonly SkippedLine[], kept: number, aside: string): string {
  const list = skipped.map((s) => `line ${s.line}: ${s.reason}`).join('; ');
  const n = skipped.length;
  return `${plural(n, 'record')} of the usage history ${file} could not be read (${list}); ${n === 1 ? 'it was' : 'they were'} skipped, the ${plural(kept, 'sample')} around kept, and the file repaired (the original is kept as ${aside}).`;
}

export function setAsideMessage(file: string, reason: string, aside: string, hadCopy: boolean): string {
  const then = hadCopy ? "it is written again from this window's copy" : 'a fresh history was started';
  return `The usage history ${file} could not be read (${reason}); it was moved to ${aside} and ${then}.`;
}
