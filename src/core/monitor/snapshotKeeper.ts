// When a folder's size tree is written to its snapshot (treeSnapshot.ts): right after a first
// scan (the verified numbers), then after a quiet period following changes (30 s after the last
// one, at most every 5 min, and no later than 10 min after the first unsaved change however busy
// the folder is), and once more when the monitor closes (deactivation). Loading turns the stored
// flat arrays back into a SizeTree on this thread, in slices: measured and logged, see load().
import { SizeTree } from '../disk/sizeTree';
import { runSliced } from '../sched/slices';
import type { StoreOutcome } from './scanInProcess';
import { loadTreeSnapshot, saveTreeSnapshot } from './treeSnapshot';

export interface SnapshotKeeperOptions {
  dir: string;
  folder: string;
  fingerprint: string;
  log(level: 'info' | 'warn', message: string): void;
  /** The tree to save now (undefined: nothing verified to save). */
  current(): SizeTree | undefined;
  quietMs?: number;
  minIntervalMs?: number;
  maxDelayMs?: number;
  now?(): number;
}

export class SnapshotKeeper {
  private timer: NodeJS.Timeout | undefined;
  private dirtySince: number | undefined;
  private lastChange = 0;
  private lastSave = -Infinity;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  /** Aborts a load in progress (dispose). */
  private readonly stop = new AbortController();

  constructor(private readonly options: SnapshotKeeperOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The stored tree and when its numbers were taken, or undefined (none, damaged, other settings). */
  async load(): Promise<{ tree: SizeTree; at: number } | undefined> {
    const { dir, folder, fingerprint } = this.options;
    const stored = await loadTreeSnapshot(dir, folder, fingerprint, (m) => this.options.log('warn', m));
    if (!stored) return undefined;
    // ~0.4-2 µs per file, in slices of a few ms (slices.ts): the host's thread is never held long.
    const started = performance.now();
    const tree = await runSliced(SizeTree.deserializeSteps(folder, stored.tree), { signal: this.stop.signal });
    this.options.log(
      'info',
      `loaded stored sizes of ${stored.tree.fileNames.length.toLocaleString('en-US')} files (as of ${new Date(stored.at).toISOString()}) in ${(performance.now() - started).toFixed(1)} ms`,
    );
    return { tree, at: stored.at };
  }

  /** The tree changed: save it after the quiet period. */
  changed(): void {
    if (this.closed) return;
    const now = this.now();
    this.lastChange = now;
    this.dirtySince ??= now;
    if (!this.timer) this.schedule();
  }

  private schedule(): void {
    const { quietMs = 30_000, minIntervalMs = 300_000, maxDelayMs = 600_000 } = this.options;
    const due = Math.min(
      Math.max(this.lastChange + quietMs, this.lastSave + minIntervalMs),
      Math.max(this.dirtySince! + maxDelayMs, this.lastSave + minIntervalMs),
    );
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.closed || this.dirtySince === undefined) return;
        // Changes came meanwhile: wait for quiet again, unless the first unsaved one is old.
        if (this.now() < this.lastChange + quietMs && this.now() < this.dirtySince + maxDelayMs) this.schedule();
        else void this.save();
      },
      Math.max(0, due - this.now()),
    );
    this.timer.unref?.();
  }

  /** Where and for which settings the tree is stored (for a scan process that writes it itself). */
  get target(): { dir: string; fingerprint: string } {
    return { dir: this.options.dir, fingerprint: this.options.fingerprint };
  }

  /**
   * A scan process wrote the tree of a full scan itself (scanInProcess.ts): that counts as a save
   * of the scan's numbers; changes applied since stay unsaved. When it could not, save here.
   */
  storedByScan(outcome: StoreOutcome): void {
    if (this.closed) return;
    if (!outcome.stored) {
      this.options.log('warn', `the scan process did not store the sizes (${outcome.reason}): storing them here`);
      void this.save();
      return;
    }
    this.lastSave = this.now();
    this.options.log(
      'info',
      `stored sizes of ${outcome.files.toLocaleString('en-US')} files (written by the scan process)`,
    );
  }

  /** Writes the current tree now (one write at a time); errors are logged, never thrown. */
  save(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const tree = this.options.current();
    if (!tree) return this.saving;
    this.dirtySince = undefined;
    this.lastSave = this.now();
    const at = Date.now();
    const { dir, folder, fingerprint } = this.options;
    this.saving = this.saving.then(async () => {
      try {
        // In slices (slices.ts); on deactivation the host waits for it anyway.
        const started = performance.now();
        const flat = await runSliced(tree.serializeSteps());
        const serializeMs = performance.now() - started;
        await saveTreeSnapshot(dir, folder, flat, fingerprint, at);
        this.options.log(
          'info',
          `stored sizes of ${flat.fileNames.length.toLocaleString('en-US')} files (serialized in ${serializeMs.toFixed(1)} ms)`,
        );
      } catch (error) {
        this.options.log('warn', `could not store sizes: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.saving;
  }

  /** Saves unsaved changes (on deactivation); later changes are ignored. */
  async close(): Promise<void> {
    if (this.closed) return this.saving;
    const dirty = this.dirtySince !== undefined;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (dirty) return this.save();
    return this.saving;
  }

  dispose(): void {
    this.closed = true;
    this.stop.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
