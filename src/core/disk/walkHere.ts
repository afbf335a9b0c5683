// A walk on the coordinator's own thread that takes part in a parallel scan as one more walker
// (the headless command's and the scan process's: src/cli/scanPath.ts). It walks in slices so the thread can answer its
// workers between them; the coordinator (poolWalk, scanInWorker.ts) asks it to donate, gives it
// work and collects its part as it does a worker's, without a message: it is on the same thread.
// Its part joins the merge as it is (no packing, no copy).
import { PartialScan, type PartialScanOptions, type WorkUnit } from './partialScan';

export class HereWalker {
  readonly scan: PartialScan;
  private asked = false;
  private pendingCount = 0;
  private deadline = Infinity;
  /** Folders the current slice has come to (its pause check counts them, one per folder). */
  private checksInSlice = 0;
  /** Where donated folders go: the coordinator's, once the walker joins a pool. */
  onDonate: ((units: WorkUnit[]) => void) | null = null;
  /** Once in a pool: whether a worker is out of work (the slice then ends at the next folder). */
  workerWaits: (() => boolean) | null = null;

  constructor(
    exclude: string[],
    /** The walk's options (a pool it joins gives its workers the same root device and mount reading). */
    readonly options: PartialScanOptions,
    /** This walk's file count at each progress point; a pool it joins reports its total instead. */
    public onProgress: (files: number) => void,
  ) {
    this.scan = new PartialScan(
      exclude,
      {
        wantsWork: () => this.asked,
        donate: (units) => {
          this.asked = false;
          this.onDonate!(units);
        },
        pending: (n) => (this.pendingCount = n),
        progress: (files) => this.onProgress(files),
        // A waiting worker ends the slice when this walk has folders it could give (the pool's
        // coordinator then asks for them), but only after the slice's first folder: the walk
        // goes on whatever the workers wait for.
        pause: () =>
          performance.now() >= this.deadline ||
          (this.checksInSlice++ > 0 && this.pendingCount > 0 && this.workerWaits !== null && this.workerWaits()),
      },
      options,
    );
  }

  /** The coordinator asks for half of the pending folders (given at the next folder). */
  ask(): void {
    this.asked = this.onDonate !== null;
  }

  /** The request is void (the walk ran out first). */
  clear(): void {
    this.asked = false;
  }

  /** Folders pending on the walk's stack (for the coordinator to pick whom to ask). */
  get pending(): number {
    return this.pendingCount;
  }

  /** Ends the current slice at the next folder (walk() then returns false, the rest pending). */
  pauseNow(): void {
    this.deadline = -Infinity;
  }

  /** Walks `units` and whatever is pending, for about `ms` at most; true when nothing is left. */
  walk(units: WorkUnit[], ms: number): boolean {
    this.deadline = performance.now() + ms;
    this.checksInSlice = 0;
    return this.scan.run(units);
  }
}
