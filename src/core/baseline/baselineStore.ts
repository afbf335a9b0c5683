// The baselines of one workspace folder, in the directory of its usage history (next to
// history.jsonl), written with the history's crash-safe primitives: each file is replaced
// atomically under its advisory lock, and temporaries a crash left are removed on the next write.
// Files: baseline-sample.json.gz (taken with each history sample but the very first), one
// baseline-day-YYYY-MM-DD.json.gz per local day (the day's first sample; kept 8 days) and
// baseline-pinned.json.gz (Pin Baseline). Errors are values: a damaged or unreadable file is
// reported, never thrown.
import { promises as nodeFs } from 'node:fs';
import * as path from 'node:path';
import { addLocalDays, localDayKey } from '../history/clock';
import {
  realFs,
  removeStrayTemporaries,
  withLock,
  writeFileAtomic,
  type DurableFs,
  type LockOptions,
} from '../fs/durableFile';
import { decodeBaselineAsync, type Baseline, type EncodedBaseline } from './baseline';

export type BaselineKind = 'lastSample' | 'yesterday' | 'week' | 'pinned';
export const BASELINE_KINDS: readonly BaselineKind[] = ['lastSample', 'yesterday', 'week', 'pinned'];

export const SAMPLE_FILE = 'baseline-sample.json.gz';
export const PINNED_FILE = 'baseline-pinned.json.gz';
const DAY_FILE = /^baseline-day-(\d{4}-\d{2}-\d{2})\.json\.gz$/;
export const dayFile = (day: string): string => `baseline-day-${day}.json.gz`;
/** Daily baselines kept: "7 days ago" needs the eighth. */
const DAYS_KEPT = 8;

export type StoreResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ChosenBaseline {
  kind: BaselineKind;
  file: string;
  baseline: Baseline;
}

export interface BaselineStoreOptions {
  fs?: DurableFs;
  lock?: LockOptions;
  mkdir?: (dir: string) => Promise<unknown>;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class BaselineStore {
  constructor(
    readonly dir: string,
    private readonly options: BaselineStoreOptions = {},
  ) {}

  private get fs(): DurableFs {
    return this.options.fs ?? realFs;
  }

  private async write(name: string, { data }: EncodedBaseline): Promise<StoreResult<string>> {
    const file = path.join(this.dir, name);
    try {
      await (this.options.mkdir ?? ((d: string) => nodeFs.mkdir(d, { recursive: true })))(this.dir);
      await withLock(
        file,
        async () => {
          await removeStrayTemporaries(file, { fs: this.fs });
          await writeFileAtomic(file, data, { fs: this.fs });
        },
        { ...this.options.lock, fs: this.fs },
      );
      return { ok: true, value: file };
    } catch (error) {
      return { ok: false, error: `Could not save the baseline ${file}: ${message(error)}` };
    }
  }

  pin(baseline: EncodedBaseline): Promise<StoreResult<string>> {
    return this.write(PINNED_FILE, baseline);
  }

  /**
   * The folder sizes at a history sample: the last-sample baseline (not for the first sample of
   * a fresh history: nothing changed since the first scan yet, and a fresh workspace shows no
   * change until it has a baseline from before), today's daily baseline when there is none yet,
   * and the daily baselines older than DAYS_KEPT days removed.
   */
  async recordSample(baseline: EncodedBaseline, firstSample: boolean): Promise<StoreResult<void>> {
    if (!firstSample) {
      const r = await this.write(SAMPLE_FILE, baseline);
      if (!r.ok) return r;
    }
    const today = localDayKey(baseline.at);
    const days = await this.days();
    if (!days.includes(today)) {
      const r = await this.write(dayFile(today), baseline);
      if (!r.ok) return r;
    }
    const oldest = addLocalDays(today, -DAYS_KEPT);
    for (const day of days)
      if (day < oldest) await this.fs.unlink(path.join(this.dir, dayFile(day))).catch(() => undefined);
    return { ok: true, value: undefined };
  }

  /** Days with a daily baseline, oldest first. */
  async days(): Promise<string[]> {
    const names = await this.fs.readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((n) => DAY_FILE.exec(n)?.[1])
      .filter((d): d is string => d !== undefined)
      .sort();
  }

  /** The file a kind of baseline reads at `now`, if it exists. */
  async fileFor(kind: BaselineKind, now: number): Promise<string | undefined> {
    if (kind === 'pinned' || kind === 'lastSample') {
      const name = kind === 'pinned' ? PINNED_FILE : SAMPLE_FILE;
      const names = await this.fs.readdir(this.dir).catch(() => [] as string[]);
      return names.includes(name) ? name : undefined;
    }
    const today = localDayKey(now);
    const before = (await this.days()).filter((d) => d < today);
    if (kind === 'yesterday') return before.length ? dayFile(before[before.length - 1]) : undefined;
    // 7 days ago: the newest on or before that day, else the oldest kept (the label gives its date).
    const target = addLocalDays(today, -7);
    const onOrBefore = before.filter((d) => d <= target);
    const day = onOrBefore.length ? onOrBefore[onOrBefore.length - 1] : before[0];
    return day ? dayFile(day) : undefined;
  }

  /** The baseline of a kind; ok with undefined when there is none yet (no change is shown). */
  async load(kind: BaselineKind, now: number): Promise<StoreResult<ChosenBaseline | undefined>> {
    const name = await this.fileFor(kind, now);
    if (!name) return { ok: true, value: undefined };
    const file = path.join(this.dir, name);
    let data: Buffer;
    try {
      data = await this.fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined };
      return { ok: false, error: `Could not read the baseline ${file}: ${message(error)}` };
    }
    const decoded = await decodeBaselineAsync(data);
    if (!decoded.ok) return { ok: false, error: `The baseline ${file} could not be read: ${decoded.error}` };
    return { ok: true, value: { kind, file, baseline: decoded.baseline } };
  }
}

/** "the last sample", "yesterday", ... for descriptions and the quick pick. */
export function baselineLabel(kind: BaselineKind): string {
  return kind === 'lastSample'
    ? 'the last sample'
    : kind === 'yesterday'
      ? 'yesterday'
      : kind === 'week'
        ? '7 days ago'
        : 'the pinned baseline';
}
