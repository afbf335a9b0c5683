// Long work on the extension host's thread, cut into slices. Building a size tree of 200,000
// files from flat arrays takes 300-600 ms of one thread; done in one go it holds up every other
// extension on the host (a save participant is aborted after 1,750 ms, a hover waits). Such work
// is written once, as a generator that yields at cheap checkpoints (every few thousand entries),
// and run either at once (runAll: a worker, the CLI, tests) or in slices of a few milliseconds
// with the event loop turning in between (runSliced: the extension host). Same code, same result.

/** Work that yields at checkpoints and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Entries between two checkpoints: small enough for ~1 ms, large enough that a checkpoint costs nothing. */
export const CHECKPOINT = 2048;

/** Runs `steps` to the end on this thread, without pausing. */
export function runAll<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface SliceOptions {
  /** The longest slice, in ms (default 8: well under the 50 ms a long task starts at). */
  sliceMs?: number;
  /** Stops between slices: the promise rejects with 'cancelled'. */
  signal?: AbortSignal;
  /** Called between slices (tests count them). */
  onPause?(): void;
}

/**
 * Resolves on the next turn of the event loop (a setImmediate): timers and I/O callbacks due
 * meanwhile run first. Steps of a start-up awaited one after the other run as separate tasks.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `steps` in slices of at most about `sliceMs`, letting the event loop turn between them. */
export async function runSliced<T>(steps: Steps<T>, options: SliceOptions = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? 8;
  let started = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - started < sliceMs) continue;
    options.onPause?.();
    await nextTurn();
    if (options.signal?.aborted) {
      steps.return(undefined as T);
      throw new Error('cancelled');
    }
    started = performance.now();
  }
}
