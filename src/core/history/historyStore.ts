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
// advisory lock of durableFile.ts and first re-reads the file when another writer changed it, so
// a compaction writes the union of both windows' samples instead of overwriting the other's.
// Activity of a day is last-writer-wins, as in the file (both windows count the same events).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { acquireLock, appendDurable, realFs, removeStrayTemporaries, setAside, writeFileAtomic, type DurableFs, type LockOptions } from '../fs/durableFile';
import { addLocalDays, localDayKey, systemClock, type Clock } from './clock';
import { historyToCSV, historyToJSON, type HistoryExport } from './historyExport';
import {
  activityLine, copySample, countOr0, finiteOr0, parseHistoryText, sampleFrom, sampleKey, sampleLine, serialiseHistory,
  type DailyActivity, type Sample, type SampleInput, type SkippedLine,
} from './historyFormat';
import { mergeRead, setAsideMessage, skippedMessage } from './historyMerge';

export { parseHistoryText, sampleFrom, type AreaSample, type DailyActivity, type ParseResult, type Sample, type SampleInput, type SkippedLine } from './historyFormat';
export type { HistoryExport } from './historyExport';
export { writeFileAtomic } from '../fs/durableFile';

export const HISTORY_FILE = 'history.jsonl';

export type ActivityKind = 'add' | 'unlink' | 'change';

/** Counts of one batch of watcher events (see HistoryStore.addActivity). */
export interface ActivityCounts {
  files_added: number;
  files_deleted: number;
  bytes_added: number;
  bytes_removed: number;
}

/** A problem with the file, found on open or when re-reading it; each is reported once. */
export type HistoryWarning =
  | { kind: 'skipped-records'; file: string; lines: SkippedLine[]; aside: string; message: string }
  | { kind: 'set-aside'; file: string; reason: string; aside: string; message: string };

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

interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export class HistoryStore {
  private samplesList: Sample[] = [];
  private days = new Map<string, DailyActivity>();
  private readonly dirtyDays = new Set<string>();
  /** Keys of samples taken here whose write failed (a rewrite is due for them). */
  private readonly unsaved = new Set<string>();
  /** Samples being written by addSample, not yet in samplesList. */
  private pending: Sample[] = [];
  private linesOnDisk = 0;
  private needsRewrite = false;
  /** The file as this store last read or wrote it; another writer changes it. */
  private seen: FileIdentity | undefined;
  private readonly found: HistoryWarning[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly retentionCount: number;
  private readonly clock: Clock;
  private readonly warn: (message: string) => void;
  private readonly flushDelayMs: number;
  private readonly fsx: DurableFs;
  private readonly lockOptions: LockOptions;

  private constructor(readonly dir: string, readonly file: string, options: HistoryStoreOptions) {
    this.retentionCount = Math.max(1, Math.floor(options.retention ?? 90));
    this.clock = options.clock ?? systemClock;
    this.warn = options.onWarning ?? (() => undefined);
    this.flushDelayMs = options.flushDelayMs ?? 10_000;
    this.fsx = options.fs ?? realFs;
    this.lockOptions = { ...options.lock, fs: this.fsx };
  }

  /** Opens (or starts) the history in `dir`, creating the directory when needed, and repairs it. */
  static async open(dir: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const file = path.join(dir, HISTORY_FILE);
    await fs.mkdir(dir, { recursive: true });
    const store = new HistoryStore(dir, file, options);
    await store.enqueue(() => store.locked(async () => {
      // Under the lock: another window's temporary is in use until its rename.
      await removeStrayTemporaries(file, { fs: store.fsx });
      await store.reconcile();
      if (store.prune()) store.needsRewrite = true;
      if (store.needsRewrite) await store.rewrite();
    }));
    return store;
  }

  get retention(): number {
    return this.retentionCount;
  }

  /** Problems found in the file so far (skipped records, a file set aside), oldest first. */
  warnings(): HistoryWarning[] {
    return this.found.map((w) => ({ ...w }));
  }

  /** The samples, oldest first (copies). */
  samples(): Sample[] {
    return this.samplesList.map(copySample);
  }

  /** The latest sample, if any. */
  lastSample(): Sample | undefined {
    const s = this.samplesList[this.samplesList.length - 1];
    return s && copySample(s);
  }

  /** Daily activity, oldest day first (copies). */
  activity(): DailyActivity[] {
    this.pruneActivity();
    return [...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((d) => ({ ...d }));
  }

  /** True when there is no sample yet or the last one is at least `intervalHours` old. */
  shouldSample(intervalHours: number): boolean {
    const last = this.samplesList[this.samplesList.length - 1];
    if (!last) return true;
    const interval = Math.max(0, intervalHours) * HOUR_MS;
    const elapsed = this.clock.now() - last.at;
    // A clock set back by more than an interval would otherwise stop sampling until it caught up.
    return elapsed >= interval || elapsed <= -interval;
  }

  /** When the next sample is due (ms since the epoch); now when none was taken yet. */
  nextSampleAt(intervalHours: number): number {
    const last = this.samplesList[this.samplesList.length - 1];
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
    this.pending.push(sample);
    let written = false;
    try {
      await this.enqueue(() => this.persist(() => [line]));
      written = true;
    } finally {
      if (this.pending.includes(sample)) this.adopt([sample]);
      if (!written) this.unsaved.add(sampleKey(sample));
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
    this.addActivity({
      files_added: kind === 'add' ? 1 : 0,
      files_deleted: kind === 'unlink' ? 1 : 0,
      bytes_added: kind !== 'unlink' && delta > 0 ? delta : 0,
      bytes_removed: kind === 'unlink' ? Math.abs(delta) : delta < 0 ? -delta : 0,
    }, totalsAfter);
  }

  /**
   * Adds counts for a batch of watcher events to today's (local) activity; every count is taken
   * as given (negative or non-finite ones as 0). `totalsAfter` are the folder totals after it.
   */
  addActivity(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void {
    // Late watcher events after close are ignored rather than thrown into an event handler.
    if (this.closed) return;
    const day = localDayKey(this.clock.now());
    const d = this.days.get(day) ?? { day, files_added: 0, files_deleted: 0, bytes_added: 0, bytes_removed: 0, end_total_bytes: 0, end_files: 0 };
    d.files_added += countOr0(counts.files_added);
    d.files_deleted += countOr0(counts.files_deleted);
    d.bytes_added += finiteOr0(counts.bytes_added);
    d.bytes_removed += finiteOr0(counts.bytes_removed);
    d.end_total_bytes = finiteOr0(totalsAfter.total_bytes);
    d.end_files = countOr0(totalsAfter.files);
    this.days.set(day, d);
    this.dirtyDays.add(day);
    this.pruneActivity();
    this.scheduleFlush();
  }

  /** Writes unsaved activity (and anything a failed write left unsaved) now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.enqueue(async () => {
      // A write that failed earlier left records only in memory: they are unsaved too.
      if (this.dirtyDays.size === 0 && !this.needsRewrite) return;
      // The lines are built after the re-read, which keeps this window's unsaved days.
      const taken = [...this.dirtyDays].sort();
      try {
        await this.persist(() => {
          const lines: string[] = [];
          for (const day of taken) {
            const d = this.days.get(day);
            if (d) lines.push(activityLine(d));
          }
          this.dirtyDays.clear();
          return lines;
        });
      } catch (err) {
        // Still unsaved: the next flush (or close) tries again.
        for (const day of taken) if (this.days.has(day)) this.dirtyDays.add(day);
        throw err;
      }
    });
  }

  /** Rewrites the file now from everything known (this window's and the file's records). */
  async compact(): Promise<void> {
    this.assertOpen();
    await this.enqueue(() => this.locked(async () => {
      await this.reconcile();
      await this.rewrite();
    }));
  }

  /** Flushes and stops the debounce timer; later writes are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  /** Everything, for the JSON export. */
  toJSON(): HistoryExport {
    return historyToJSON(this.retentionCount, this.samples(), this.activity());
  }

  /** CSV exports (RFC 4180, CRLF): samples one row per sample, with columns per area; activity one row per day. */
  toCSV(): { samples: string; activity: string } {
    return historyToCSV(this.samplesList, this.activity());
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new Error('the usage history is closed');
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) => this.warn(`Could not save the usage history ${this.file}: ${err instanceof Error ? err.message : String(err)}`));
    }, this.flushDelayMs);
    this.timer.unref?.();
  }

  /** Drops samples beyond the retention and activity older than the retention in days. */
  private prune(): boolean {
    let changed = false;
    if (this.samplesList.length > this.retentionCount) {
      for (const s of this.samplesList.slice(0, this.samplesList.length - this.retentionCount)) this.unsaved.delete(sampleKey(s));
      this.samplesList = this.samplesList.slice(this.samplesList.length - this.retentionCount);
      changed = true;
    }
    return this.pruneActivity() || changed;
  }

  private pruneActivity(): boolean {
    const oldest = addLocalDays(localDayKey(this.clock.now()), -(this.retentionCount - 1));
    let changed = false;
    for (const day of this.days.keys()) {
      if (day < oldest) {
        this.days.delete(day);
        this.dirtyDays.delete(day);
        changed = true;
      }
    }
    return changed;
  }

  /** Serialises this store's file work so appends and rewrites never interleave. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `fn` under the file's lock, shared with other stores and processes. Where no lock can
   * be created (a read-only folder) it runs unlocked: reading still works, and writes fail there
   * anyway.
   */
  private async locked(fn: () => Promise<void>): Promise<void> {
    const got = await acquireLock(this.file, this.lockOptions);
    if (!got.ok) {
      if (got.reason === 'error' && ['EROFS', 'EACCES', 'EPERM'].includes((got.error as NodeJS.ErrnoException).code ?? '')) return fn();
      if (got.reason === 'error') throw got.error;
      const who = got.holder ? ` (held by process ${got.holder.pid} on ${got.holder.host})` : '';
      throw new Error(`the usage history is locked by another window${who}; gave up waiting`);
    }
    try {
      await fn();
    } finally {
      await got.lock.release();
    }
  }

  /** Moves samples from `pending` into the list, in time order, within the retention. */
  private adopt(samples: Sample[]): void {
    this.pending = this.pending.filter((p) => !samples.includes(p));
    for (const s of samples) {
      this.samplesList.push(s);
      if (this.samplesList.length > 1 && this.samplesList[this.samplesList.length - 2].at > s.at) this.samplesList.sort((a, b) => a.at - b.at);
    }
    this.prune();
  }

  private report(warning: HistoryWarning): void {
    this.found.push(warning);
    this.warn(warning.message);
  }

  private async identity(): Promise<FileIdentity | undefined> {
    try {
      const st = await this.fsx.stat(this.file);
      return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Under the lock: when the file is not as this store left it (another window wrote, or this
   * is the first read), reads it and merges it into memory: samples are united, a day's activity
   * is taken from the file unless this window has unsaved counts for it. Damage is reported and
   * queued for repair; records only memory has (the file lost them) make a rewrite due.
   */
  private async reconcile(): Promise<void> {
    const id = await this.identity();
    if (!id) {
      this.needsRewrite = true;
      this.linesOnDisk = 0;
      return;
    }
    if (this.seen && id.ino === this.seen.ino && id.size === this.seen.size && id.mtimeMs === this.seen.mtimeMs) return;
    const bytes = await this.fsx.readFile(this.file);
    const read = parseHistoryText(bytes.toString('utf8'));
    if (read.kind === 'corrupt') {
      this.needsRewrite = true;
      this.linesOnDisk = 0;
      const aside = await setAside(this.file, bytes, this.clock.now(), { fs: this.fsx });
      const hadCopy = this.samplesList.length > 0 || this.days.size > 0;
      if (aside.created) this.report({ kind: 'set-aside', file: this.file, reason: read.reason, aside: aside.name, message: setAsideMessage(this.file, read.reason, aside.name, hadCopy) });
      return;
    }
    const merged = mergeRead({ samples: this.samplesList, days: this.days, dirtyDays: this.dirtyDays, unsaved: this.unsaved }, read);
    this.samplesList = merged.samples;
    // More than the retention (a smaller one now, or samples this store had pruned coming back
    // from the file): dropped again, and the file is rewritten without them.
    if (this.prune()) this.needsRewrite = true;
    this.linesOnDisk = read.lines;
    if (read.skipped.length) {
      const aside = await setAside(this.file, bytes, this.clock.now(), { fs: this.fsx });
      if (aside.created) this.report({ kind: 'skipped-records', file: this.file, lines: read.skipped, aside: aside.name, message: skippedMessage(this.file, read.skipped, read.samples.length, aside.name) });
    }
    // Only a rewrite clears it: a failed write may have left records only memory has.
    if (read.needsRepair || merged.memoryOnly) this.needsRewrite = true;
    this.seen = id;
  }

  /** Under the lock: appends lines, or rewrites the whole file when due or grown well past the retention. */
  private async persist(prepare: () => string[]): Promise<void> {
    try {
      await this.locked(async () => {
        await this.reconcile();
        const lines = prepare();
        // Samples and one line per day are needed; repeated activity lines for a day are garbage.
        const limit = 4 * this.retentionCount + 64;
        if (this.needsRewrite || this.linesOnDisk + lines.length > limit) {
          await this.rewrite();
          return;
        }
        if (!lines.length) return;
        await appendDurable(this.file, `${lines.join('\n')}\n`, { fs: this.fsx });
        this.linesOnDisk += lines.length;
        this.seen = await this.identity();
      });
    } catch (err) {
      // What did not reach the file is still in memory: the next write rewrites it whole.
      this.needsRewrite = true;
      this.seen = undefined;
      throw err;
    }
  }

  /** Under the lock: writes everything known, atomically. */
  private async rewrite(): Promise<void> {
    // Samples being added go into this write; one that fails is kept by addSample.
    this.adopt([...this.pending]);
    // Everything in memory goes into this write; events after this point mark their day again.
    const dirty = [...this.dirtyDays];
    this.dirtyDays.clear();
    const { text, lines } = serialiseHistory(this.samplesList, this.days.values());
    this.needsRewrite = true;
    try {
      await writeFileAtomic(this.file, text, { fs: this.fsx });
    } catch (err) {
      for (const day of dirty) if (this.days.has(day)) this.dirtyDays.add(day);
      throw err;
    }
    this.needsRewrite = false;
    this.unsaved.clear();
    this.linesOnDisk = lines;
    this.seen = await this.identity();
  }
}
