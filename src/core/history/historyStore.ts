// The usage history of one workspace folder: size samples (total and per area) and daily
// activity (files added and deleted, bytes added and removed, totals at the end of each local
// day), kept in one directory given by the extension (its workspace storage + a folder key).
//
// On disk: one append-only JSONL file, `history.jsonl` (format in historyFormat.ts). Nothing in
// it is ever dropped for a fault of the file: a damaged record is skipped and reported with its
// line number, the original is copied aside once (`<name>.corrupt-<timestamp>`) and the file is
// rewritten without it; a torn last line or zero bytes a crash left are repaired on disk the same
// way. Only a file that is not ours (another format or version, nothing readable) is set aside
// whole and a fresh history started.
//
// Two editor windows on the same folder share the file: every append and rewrite runs under the
// advisory lock and first re-reads the file when another writer changed it (historyFile.ts).
// Activity of a day is last-writer-wins, as in the file (both windows count the same events).
// The records in memory are historyMemory.ts; this file is the API and the order of the writes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { realFs, type DurableFs, type LockOptions } from '../fs/durableFile';
import { systemClock, type Clock } from './clock';
import { historyToCSV, historyToJSON, type HistoryExport } from './historyExport';
import { HistoryFile, type HistoryWarning } from './historyFile';
import {
  activityLine,
  copySample,
  sampleFrom,
  sampleKey,
  sampleLine,
  type DailyActivity,
  type Sample,
  type SampleInput,
} from './historyFormat';
import { HistoryMemory, type ActivityCounts } from './historyMemory';

export { parseHistoryText, type DailyActivity, type Sample, type SampleInput } from './historyFormat';
export type { HistoryExport } from './historyExport';
export type { HistoryWarning } from './historyFile';
export type { ActivityCounts } from './historyMemory';

export const HISTORY_FILE = 'history.jsonl';

export type ActivityKind = 'add' | 'unlink' | 'change';

export interface HistoryStoreOptions {
  /** Samples kept, and days of activity kept (default 90). */
  retention?: number;
  clock?: Clock;
  /** Called once per problem with one sentence naming the file. */
  onWarning?: (message: string) => void;
  /** Delay before activity is written after the first unsaved event (default 10 s). */
  flushDelayMs?: number;
  /** File system (tests make writes fail through it). */
  fs?: DurableFs;
  /** Lock timing (defaults in durableFile.ts). */
  lock?: Pick<LockOptions, 'staleMs' | 'timeoutMs' | 'retryMs'>;
}

const HOUR_MS = 3_600_000;

export class HistoryStore {
  private readonly memory: HistoryMemory;
  private readonly disk: HistoryFile;
  private readonly found: HistoryWarning[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly clock: Clock;
  private readonly warn: (message: string) => void;
  private readonly flushDelayMs: number;

  private constructor(
    readonly dir: string,
    readonly file: string,
    options: HistoryStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.warn = options.onWarning ?? (() => undefined);
    this.flushDelayMs = options.flushDelayMs ?? 10_000;
    this.memory = new HistoryMemory(Math.max(1, Math.floor(options.retention ?? 90)), this.clock);
    const fsx = options.fs ?? realFs;
    this.disk = new HistoryFile(file, this.memory, {
      fs: fsx,
      lock: { ...options.lock, fs: fsx },
      clock: this.clock,
      report: (w) => this.report(w),
    });
  }

  /** Opens (or starts) the history in `dir`, creating the directory when needed, and repairs it. */
  static async open(dir: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const file = path.join(dir, HISTORY_FILE);
    await fs.mkdir(dir, { recursive: true });
    const store = new HistoryStore(dir, file, options);
    await store.enqueue(() => store.disk.open());
    return store;
  }

  get retention(): number {
    return this.memory.retention;
  }

  /** Problems found in the file so far (skipped records, a file set aside), oldest first. */
  warnings(): HistoryWarning[] {
    return this.found.map((w) => ({ ...w }));
  }

  /** The samples, oldest first (copies). */
  samples(): Sample[] {
    return this.memory.samples.map(copySample);
  }

  /** The latest sample, if any. */
  lastSample(): Sample | undefined {
    const s = this.memory.samples[this.memory.samples.length - 1];
    return s && copySample(s);
  }

  /** Daily activity, oldest day first (copies). */
  activity(): DailyActivity[] {
    return this.memory.activity();
  }

  /** True when there is no sample yet or the last one is at least `intervalHours` old. */
  shouldSample(intervalHours: number): boolean {
    const last = this.memory.samples[this.memory.samples.length - 1];
    if (!last) return true;
    const interval = Math.max(0, intervalHours) * HOUR_MS;
    const elapsed = this.clock.now() - last.at;
    // A clock set back by more than an interval would otherwise stop sampling until it caught up.
    return elapsed >= interval || elapsed <= -interval;
  }

  /** When the next sample is due (ms since the epoch); now when none was taken yet. */
  nextSampleAt(intervalHours: number): number {
    const last = this.memory.samples[this.memory.samples.length - 1];
    const now = this.clock.now();
    if (!last) return now;
    const due = last.at + Math.max(0, intervalHours) * HOUR_MS;
    return due < now - Math.max(0, intervalHours) * HOUR_MS ? now : due;
  }

  /** Takes a sample now and persists it; the oldest samples beyond the retention are dropped. */
  async addSample(input: SampleInput): Promise<Sample> {
    this.assertOpen();
    const sample = sampleFrom(input, this.clock.now());
    const line = sampleLine(sample);
    // Visible once its write settled (callers schedule the next one after that); a rewrite in
    // between takes it along. A sample whose write failed is kept for the next write.
    this.memory.pending.push(sample);
    let written = false;
    try {
      await this.enqueue(() => this.disk.persist(() => [line]));
      written = true;
    } finally {
      if (this.memory.pending.includes(sample)) this.memory.adopt([sample]);
      if (!written) this.memory.unsaved.add(sampleKey(sample));
    }
    return copySample(sample);
  }

  /**
   * Counts one watcher event on today's (local) activity. `bytesDelta` is the change in bytes
   * the event caused: positive adds to bytes_added, negative to bytes_removed (an unlink always
   * counts its size as removed). `totalsAfter` are the folder totals after the event.
   */
  recordActivity(kind: ActivityKind, bytesDelta: number, totalsAfter: { total_bytes: number; files: number }): void {
    const delta = Number.isFinite(bytesDelta) ? bytesDelta : 0;
    this.addActivity(
      {
        files_added: kind === 'add' ? 1 : 0,
        files_deleted: kind === 'unlink' ? 1 : 0,
        bytes_added: kind !== 'unlink' && delta > 0 ? delta : 0,
        bytes_removed: kind === 'unlink' ? Math.abs(delta) : delta < 0 ? -delta : 0,
      },
      totalsAfter,
    );
  }

  /**
   * Adds counts for a batch of watcher events to today's (local) activity; every count is taken
   * as given (negative or non-finite ones as 0). `totalsAfter` are the folder totals after it.
   */
  addActivity(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void {
    // Late watcher events after close are ignored rather than thrown into an event handler.
    if (this.closed) return;
    this.memory.addActivity(counts, totalsAfter);
    this.scheduleFlush();
  }

  /** Writes unsaved activity (and anything a failed write left unsaved) now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const { memory } = this;
    await this.enqueue(async () => {
      // A write that failed earlier left records only in memory: they are unsaved too.
      if (memory.dirtyDays.size === 0 && !this.disk.needsRewrite) return;
      // The lines are built after the re-read, which keeps this window's unsaved days.
      const taken = [...memory.dirtyDays].sort();
      try {
        await this.disk.persist(() => {
          const lines: string[] = [];
          for (const day of taken) {
            const d = memory.days.get(day);
            if (d) lines.push(activityLine(d));
          }
          memory.dirtyDays.clear();
          return lines;
        });
      } catch (err) {
        // Still unsaved: the next flush (or close) tries again.
        for (const day of taken) if (memory.days.has(day)) memory.dirtyDays.add(day);
        throw err;
      }
    });
  }

  /** Rewrites the file now from everything known (this window's and the file's records). */
  async compact(): Promise<void> {
    this.assertOpen();
    await this.enqueue(() => this.disk.compact());
  }

  /** Flushes and stops the debounce timer; later writes are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  /** Everything, for the JSON export. */
  toJSON(): HistoryExport {
    return historyToJSON(this.memory.retention, this.samples(), this.activity());
  }

  /** CSV exports (RFC 4180, CRLF): samples one row per sample, with columns per area; activity one row per day. */
  toCSV(): { samples: string; activity: string } {
    return historyToCSV(this.memory.samples, this.activity());
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new Error('the usage history is closed');
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) =>
        this.warn(`Could not save the usage history ${this.file}: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, this.flushDelayMs);
    this.timer.unref?.();
  }

  /** Serialises this store's file work so appends and rewrites never interleave. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private report(warning: HistoryWarning): void {
    this.found.push(warning);
    this.warn(warning.message);
  }
}
