// The usage history of one workspace folder: size samples (total and per area) and daily
// activity (files added and deleted, bytes added and removed, totals at the end of each local
// day), kept in one directory given by the extension (its workspace storage + a folder key).
//
// On disk: one append-only JSONL file, `history.jsonl`. The first line is a header; every later
// line is a sample or the complete state of one day's activity (a later line for the same day
// replaces an earlier one). Appends are fsynced. The file is rewritten (compacted) through a
// temporary file that is fsynced and renamed over it, so at every moment the file on disk is
// either the old or the new complete history; a crash during an append can only leave a torn
// last line, which the reader drops (and the next write repairs). A file that cannot be read
// (not our header, a bad line before the last) is moved aside to `<name>.corrupt-<timestamp>`
// with one warning, and a fresh history starts.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { addLocalDays, localDayKey, systemClock, type Clock } from './clock';
import { csv } from '../format/csv';

export const HISTORY_FILE = 'history.jsonl';
const FORMAT = 'workspace-usage-history';
const VERSION = 1;

/** What a sample is taken from: any usage report of the disk engine fits. */
export interface SampleInput {
  total_bytes: number;
  files: number;
  /** Optional whole-folder quota, kept with the sample when given. */
  folder_quota_bytes?: number;
  areas: ReadonlyArray<{ name: string; bytes: number; files: number; quota_bytes: number }>;
}

export interface AreaSample {
  bytes: number;
  files: number;
  quota_bytes: number;
}

export interface Sample {
  /** When it was taken, ms since the epoch. */
  at: number;
  total_bytes: number;
  files: number;
  folder_quota_bytes?: number;
  /** Per area name. Areas sharing a name (should not happen) are summed. */
  areas: Record<string, AreaSample>;
}

export interface DailyActivity {
  /** Local calendar day, 'YYYY-MM-DD'. */
  day: string;
  files_added: number;
  files_deleted: number;
  bytes_added: number;
  bytes_removed: number;
  /** Folder totals after the day's last event. */
  end_total_bytes: number;
  end_files: number;
}

export type ActivityKind = 'add' | 'unlink' | 'change';

/** Counts of one batch of watcher events (see HistoryStore.addActivity). */
export interface ActivityCounts {
  files_added: number;
  files_deleted: number;
  bytes_added: number;
  bytes_removed: number;
}

export interface HistoryStoreOptions {
  /** Samples kept, and days of activity kept (default 90). */
  retention?: number;
  clock?: Clock;
  /** Called once per problem with one sentence naming the file. */
  onWarning?: (message: string) => void;
  /** Delay before activity is written after the first unsaved event (default 10 s). */
  flushDelayMs?: number;
}

export interface HistoryExport {
  format: typeof FORMAT;
  version: typeof VERSION;
  retention: number;
  samples: Sample[];
  activity: DailyActivity[];
}

// ---- schema ---------------------------------------------------------------------------------

const count = z.number().int().nonnegative();
const bytes = z.number().finite().nonnegative();
const headerSchema = z.object({ type: z.literal('header'), format: z.literal(FORMAT), version: z.literal(VERSION) });
const areaSampleSchema = z.object({ bytes, files: count, quota_bytes: bytes });
const sampleSchema = z.object({
  at: z.number().int().nonnegative(),
  total_bytes: bytes,
  files: count,
  folder_quota_bytes: bytes.optional(),
  areas: z.record(z.string(), areaSampleSchema),
});
const activitySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  files_added: count,
  files_deleted: count,
  bytes_added: bytes,
  bytes_removed: bytes,
  end_total_bytes: bytes,
  end_files: count,
});
const lineSchema = z.discriminatedUnion('type', [
  sampleSchema.extend({ type: z.literal('sample') }),
  activitySchema.extend({ type: z.literal('activity') }),
]);

// ---- reading --------------------------------------------------------------------------------

type ReadResult =
  | { kind: 'missing' }
  | { kind: 'ok'; samples: Sample[]; activity: Map<string, DailyActivity>; lines: number; tornTail: boolean }
  | { kind: 'corrupt'; reason: string };

function parseLine(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** Reads the history file; tolerant of a torn last line, strict about everything before it. */
export function parseHistoryText(text: string): Exclude<ReadResult, { kind: 'missing' }> {
  // A crash can leave zero bytes after the last complete line on some file systems.
  const trimmed = text.replace(/[\0\s]+$/, '');
  if (trimmed === '') return { kind: 'ok', samples: [], activity: new Map(), lines: 0, tornTail: text.length > 0 };
  const lines = trimmed.split('\n');
  const header = parseLine(lines[0]);
  if (!header.ok) return { kind: 'corrupt', reason: `line 1 is ${header.reason}` };
  const h = headerSchema.safeParse(header.value);
  if (!h.success) return { kind: 'corrupt', reason: 'line 1 is not a usage history header' };
  const samples: Sample[] = [];
  const activity = new Map<string, DailyActivity>();
  let tornTail = false;
  for (let i = 1; i < lines.length; i++) {
    const raw = parseLine(lines[i]);
    let reason: string;
    if (raw.ok) {
      const parsed = lineSchema.safeParse(raw.value);
      if (parsed.success) {
        const line = parsed.data;
        if (line.type === 'sample') {
          const { type: _type, ...sample } = line;
          samples.push(sample);
        } else {
          const { type: _type, ...day } = line;
          activity.set(day.day, day);
        }
        continue;
      }
      reason = issueText(parsed.error);
    } else {
      reason = raw.reason;
    }
    // Only the last line can be torn by a crash during an append.
    if (i === lines.length - 1) {
      tornTail = true;
      break;
    }
    return { kind: 'corrupt', reason: `line ${i + 1}: ${reason}` };
  }
  samples.sort((a, b) => a.at - b.at);
  return { kind: 'ok', samples, activity, lines: lines.length, tornTail };
}

async function readHistory(file: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  return parseHistoryText(text);
}

// ---- writing --------------------------------------------------------------------------------

function headerLine(): string {
  return JSON.stringify({ type: 'header', format: FORMAT, version: VERSION });
}

function sampleLine(s: Sample): string {
  return JSON.stringify({ type: 'sample', ...s });
}

function activityLine(d: DailyActivity): string {
  return JSON.stringify({ type: 'activity', ...d });
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename durable; not supported everywhere (Windows), where it is skipped.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes `text` to `file` atomically: temporary file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

async function appendDurable(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'a');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

function timestampForName(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

// ---- the store ------------------------------------------------------------------------------

function finiteOr0(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function countOr0(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

export function sampleFrom(input: SampleInput, at: number): Sample {
  const areas: Record<string, AreaSample> = {};
  for (const a of input.areas) {
    const prev = Object.prototype.hasOwnProperty.call(areas, a.name) ? areas[a.name] : undefined;
    const cur = { bytes: finiteOr0(a.bytes), files: countOr0(a.files), quota_bytes: finiteOr0(a.quota_bytes) };
    areas[a.name] = prev ? { bytes: prev.bytes + cur.bytes, files: prev.files + cur.files, quota_bytes: prev.quota_bytes + cur.quota_bytes } : cur;
  }
  const sample: Sample = { at: Math.round(at), total_bytes: finiteOr0(input.total_bytes), files: countOr0(input.files), areas };
  if (input.folder_quota_bytes !== undefined && Number.isFinite(input.folder_quota_bytes)) sample.folder_quota_bytes = finiteOr0(input.folder_quota_bytes);
  return sample;
}

const HOUR_MS = 3_600_000;

function copySample(s: Sample): Sample {
  return { ...s, areas: Object.fromEntries(Object.entries(s.areas).map(([k, v]) => [k, { ...v }])) };
}

export class HistoryStore {
  private samplesList: Sample[];
  private days: Map<string, DailyActivity>;
  private readonly dirtyDays = new Set<string>();
  private linesOnDisk: number;
  private needsRewrite: boolean;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly retentionCount: number;
  private readonly clock: Clock;
  private readonly warn: (message: string) => void;
  private readonly flushDelayMs: number;

  private constructor(readonly dir: string, readonly file: string, options: HistoryStoreOptions, state: { samples: Sample[]; activity: Map<string, DailyActivity>; lines: number; needsRewrite: boolean }) {
    this.retentionCount = Math.max(1, Math.floor(options.retention ?? 90));
    this.clock = options.clock ?? systemClock;
    this.warn = options.onWarning ?? (() => undefined);
    this.flushDelayMs = options.flushDelayMs ?? 10_000;
    this.samplesList = state.samples;
    this.days = state.activity;
    this.linesOnDisk = state.lines;
    this.needsRewrite = state.needsRewrite;
  }

  /** Opens (or starts) the history in `dir`, creating the directory when needed. */
  static async open(dir: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const clock = options.clock ?? systemClock;
    const file = path.join(dir, HISTORY_FILE);
    await fs.mkdir(dir, { recursive: true });
    await removeStrayTemporaries(dir);
    const read = await readHistory(file);
    let store: HistoryStore;
    if (read.kind === 'ok') {
      store = new HistoryStore(dir, file, options, { samples: read.samples, activity: read.activity, lines: read.lines, needsRewrite: read.tornTail });
    } else {
      if (read.kind === 'corrupt') {
        let aside = `${file}.corrupt-${timestampForName(clock.now())}`;
        for (let n = 2; await exists(aside); n++) aside = `${file}.corrupt-${timestampForName(clock.now())}-${n}`;
        await fs.rename(file, aside);
        options.onWarning?.(`The usage history ${file} could not be read (${read.reason}); it was moved to ${path.basename(aside)} and a fresh history was started.`);
      }
      store = new HistoryStore(dir, file, options, { samples: [], activity: new Map(), lines: 0, needsRewrite: true });
    }
    if (store.prune()) store.needsRewrite = true;
    if (store.needsRewrite) await store.enqueue(() => store.rewrite());
    return store;
  }

  get retention(): number {
    return this.retentionCount;
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
    this.samplesList.push(sample);
    if (this.samplesList.length > 1 && this.samplesList[this.samplesList.length - 2].at > sample.at) this.samplesList.sort((a, b) => a.at - b.at);
    this.prune();
    await this.enqueue(() => this.persist([sampleLine(sample)]));
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

  /** Writes unsaved activity now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.enqueue(async () => {
      if (this.dirtyDays.size === 0) return;
      const lines: string[] = [];
      for (const day of [...this.dirtyDays].sort()) {
        const d = this.days.get(day);
        if (d) lines.push(activityLine(d));
      }
      this.dirtyDays.clear();
      if (lines.length) await this.persist(lines);
    });
  }

  /** Flushes and stops the debounce timer; later writes are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  /** Everything, for the JSON export. */
  toJSON(): HistoryExport {
    return { format: FORMAT, version: VERSION, retention: this.retentionCount, samples: this.samples(), activity: this.activity() };
  }

  /** CSV exports (RFC 4180, CRLF): samples one row per sample, with columns per area; activity one row per day. */
  toCSV(): { samples: string; activity: string } {
    const samples = this.samplesList;
    const names: string[] = [];
    for (const s of samples) for (const name of Object.keys(s.areas)) if (!names.includes(name)) names.push(name);
    const sampleRows: unknown[][] = [['time', 'total_bytes', 'files', ...names.flatMap((n) => [`${n} bytes`, `${n} files`, `${n} quota_bytes`])]];
    for (const s of samples) {
      sampleRows.push([new Date(s.at).toISOString(), s.total_bytes, s.files, ...names.flatMap((n): unknown[] => {
        const a = Object.prototype.hasOwnProperty.call(s.areas, n) ? s.areas[n] : undefined;
        return a ? [a.bytes, a.files, a.quota_bytes] : ['', '', ''];
      })]);
    }
    const activityRows: unknown[][] = [['day', 'files_added', 'files_deleted', 'bytes_added', 'bytes_removed', 'end_total_bytes', 'end_files']];
    for (const d of this.activity()) activityRows.push([d.day, d.files_added, d.files_deleted, d.bytes_added, d.bytes_removed, d.end_total_bytes, d.end_files]);
    return { samples: csv(sampleRows), activity: csv(activityRows) };
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

  /** Serialises file writes so appends and rewrites never interleave. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Appends lines, or rewrites the whole file when it grew well past the retention or needs repair. */
  private async persist(lines: string[]): Promise<void> {
    // Samples and one line per day are needed; repeated activity lines for a day are garbage.
    const limit = 4 * this.retentionCount + 64;
    if (this.needsRewrite || this.linesOnDisk + lines.length > limit) {
      await this.rewrite();
      return;
    }
    try {
      await appendDurable(this.file, `${lines.join('\n')}\n`);
      this.linesOnDisk += lines.length;
    } catch (err) {
      // A partial append may have reached the file: the next write rewrites it whole.
      this.needsRewrite = true;
      throw err;
    }
  }

  private async rewrite(): Promise<void> {
    this.pruneActivity();
    // Everything in memory goes into this write; events after this point mark their day again.
    this.dirtyDays.clear();
    const lines = [headerLine(), ...this.samplesList.map(sampleLine), ...[...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)).map(activityLine)];
    this.needsRewrite = true;
    await writeFileAtomic(this.file, `${lines.join('\n')}\n`);
    this.needsRewrite = false;
    this.linesOnDisk = lines.length;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Temporary files left by a crash before their rename hold nothing the main file lacks. */
async function removeStrayTemporaries(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const prefix = `${HISTORY_FILE}.tmp-`;
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.unlink(path.join(dir, n)).catch(() => undefined)));
}
