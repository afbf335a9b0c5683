// Keeps the usage history of each workspace folder: one HistoryStore per folder in a directory
// the editor gives (its workspace storage), a size sample when the folder's first scan is ready
// and the last sample is older than the sampling interval, then one each interval on a timer, and
// the daily activity fed from the folder monitor's batches of watcher events. No `vscode`
// import; the clock and the timer are injectable so tests drive time by hand.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { systemClock, type Clock } from './clock';
import { forecastsForAreas } from './forecast';
import { HistoryStore, type ActivityCounts, type HistoryExport, type SampleInput } from './historyStore';
import { buildHistoryView, type HistoryViewData } from './historyView';

export interface HistorySettings {
  /** Hours between samples (workspaceUsage.history.sampleIntervalHours). */
  sampleIntervalHours: number;
  /** Samples and days of activity kept (workspaceUsage.history.retention). */
  retention: number;
}

/** Runs `fn` after `ms`; returns a way to cancel it. */
export type Scheduler = (fn: () => void, ms: number) => { cancel(): void };

const defaultScheduler: Scheduler = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref?.();
  return { cancel: () => clearTimeout(timer) };
};

/** Longest delay setTimeout honours (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const FORECAST_CACHE_MS = 60_000;

export interface HistoryRecorderOptions {
  /** Directory that holds the history of `folder`; see historyDirName. */
  dirFor(folder: string): string;
  /** A problem the user should hear about once per `key` (e.g. a corrupt history file). */
  warn(key: string, message: string): void;
  /** Logged only. */
  log?(message: string): void;
  /** The history of a folder changed (opened, a sample was taken). */
  onChange?(folder: string): void;
  /** A sample was taken; `first` when the history had none before (the baselines hook here). */
  onSample?(folder: string, sample: { at: number; first: boolean }): void;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Delay before activity is written (HistoryStore default: 10 s). */
  flushDelayMs?: number;
}

/** A stable directory name for a folder's history: a hash of its absolute path. */
export function historyDirName(folder: string): string {
  return createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 16);
}

/** The history of one folder. */
export class FolderHistory {
  private store: HistoryStore | undefined;
  private opening: Promise<void> = Promise.resolve();
  private source: (() => SampleInput | undefined) | undefined;
  private timer: { cancel(): void } | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private closed = false;
  private forecastCache: { at: number; samples: number; last: number; byArea: Map<string, string> } | undefined;

  constructor(
    readonly folder: string,
    readonly dir: string,
    private settings: HistorySettings,
    private readonly options: HistoryRecorderOptions,
    private label: string,
  ) {
    this.reopen();
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** Resolves once the store is open (or failed to open). */
  whenOpen(): Promise<void> {
    return this.opening;
  }

  /** Applies new settings; a new retention reopens the store (pruning it). */
  configure(settings: HistorySettings, label: string): void {
    this.label = label;
    const retentionChanged = settings.retention !== this.settings.retention;
    this.settings = settings;
    if (retentionChanged) this.reopen();
    else void this.opening.then(() => this.schedule());
  }

  private reopen(): void {
    const previous = this.store;
    this.store = undefined;
    this.opening = this.opening.then(async () => {
      await previous?.close().catch(() => undefined);
      if (this.closed) return;
      try {
        this.store = await HistoryStore.open(this.dir, {
          retention: this.settings.retention,
          clock: this.clock,
          flushDelayMs: this.options.flushDelayMs,
          onWarning: (message) =>
            this.options.warn(
              `history:${this.folder}:${/could not be read/.test(message) ? 'corrupt' : 'write'}`,
              message,
            ),
        });
        this.forecastCache = undefined;
        this.options.onChange?.(this.folder);
      } catch (error) {
        this.options.warn(
          `history:${this.folder}:open`,
          `The usage history of ${this.label} could not be opened in ${this.dir} (${error instanceof Error ? error.message : String(error)}); no history is kept for it in this session.`,
        );
      }
    });
    void this.opening.then(() => this.maybeSample());
  }

  /**
   * The folder's numbers are ready (its first scan finished): takes a sample when the last one is
   * older than the interval, then samples on a timer. `source` gives the current numbers, or
   * undefined while there are none (e.g. during a rescan after a settings change).
   */
  scanReady(source: () => SampleInput | undefined): Promise<void> {
    this.source = source;
    return this.opening.then(() => this.maybeSample());
  }

  /** Takes a sample when one is due, then schedules the next (calls run one after another). */
  maybeSample(): Promise<void> {
    this.sampling = this.sampling.then(() => this.sampleIfDue()).catch(() => undefined);
    return this.sampling;
  }

  private async sampleIfDue(): Promise<void> {
    const store = this.store;
    if (!store || this.closed) return;
    const input = this.source?.();
    if (input && store.shouldSample(this.settings.sampleIntervalHours)) {
      try {
        const first = store.samples().length === 0;
        await store.addSample(input);
        this.options.onSample?.(this.folder, { at: this.clock.now(), first });
        this.forecastCache = undefined;
        this.options.log?.(`${this.label}: usage history sample taken (${store.samples().length} kept)`);
        this.options.onChange?.(this.folder);
      } catch (error) {
        this.options.warn(
          `history:${this.folder}:write`,
          `Could not save the usage history ${store.file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    this.schedule();
  }

  private schedule(): void {
    this.timer?.cancel();
    this.timer = undefined;
    const store = this.store;
    if (!store || this.closed || !this.source) return;
    const due = store.nextSampleAt(this.settings.sampleIntervalHours);
    // At least a minute: a clock that disagrees with the store never spins the timer.
    const delay = Math.min(MAX_TIMER_MS, Math.max(60_000, due - this.clock.now()));
    this.timer = (this.options.scheduler ?? defaultScheduler)(() => {
      this.timer = undefined;
      void this.maybeSample();
    }, delay);
  }

  /** Counts a batch of watcher events on today's activity. */
  recordActivity(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void {
    if (
      counts.files_added === 0 &&
      counts.files_deleted === 0 &&
      counts.bytes_added === 0 &&
      counts.bytes_removed === 0
    )
      return;
    this.store?.addActivity(counts, totalsAfter);
  }

  /** What the report shows; null until the store is open. */
  view(now = this.clock.now()): HistoryViewData | null {
    return this.store ? buildHistoryView(this.store, now, { folderLabel: this.label }) : null;
  }

  /** "work reaches its 500 MB quota in about 9 days" for an area, when there is a forecast. */
  forecastFor(area: string): string | undefined {
    const store = this.store;
    if (!store) return undefined;
    const now = this.clock.now();
    const last = store.lastSample();
    const count = store.samples().length;
    const c = this.forecastCache;
    if (!c || now - c.at > FORECAST_CACHE_MS || c.samples !== count || c.last !== (last?.at ?? 0)) {
      const byArea = new Map<string, string>();
      for (const f of forecastsForAreas(store.samples(), now)) if (f.message) byArea.set(f.area, f.message);
      this.forecastCache = { at: now, samples: count, last: last?.at ?? 0, byArea };
    }
    return this.forecastCache!.byArea.get(area);
  }

  toJSON(): HistoryExport | undefined {
    return this.store?.toJSON();
  }

  toCSV(): { samples: string; activity: string } | undefined {
    return this.store?.toCSV();
  }

  /** Writes pending activity and stops the timer. */
  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.opening;
    await this.store?.close().catch(() => undefined);
  }
}

/** The histories of all workspace folders, surviving folder monitor rebuilds. */
export class HistoryRecorder {
  private readonly folders = new Map<string, FolderHistory>();
  private readonly sampleListeners = new Set<NonNullable<HistoryRecorderOptions['onSample']>>();
  private readonly options: HistoryRecorderOptions;

  constructor(options: HistoryRecorderOptions) {
    this.options = {
      ...options,
      onSample: (folder, sample) => {
        options.onSample?.(folder, sample);
        for (const listener of this.sampleListeners) listener(folder, sample);
      },
    };
  }

  /** Listens for the samples of every folder (see HistoryRecorderOptions.onSample). */
  onSample(listener: NonNullable<HistoryRecorderOptions['onSample']>): { dispose(): void } {
    this.sampleListeners.add(listener);
    return { dispose: () => this.sampleListeners.delete(listener) };
  }

  /** The history of `folder`, opened on first use; later calls apply changed settings. */
  attach(folder: string, label: string, settings: HistorySettings): FolderHistory {
    let history = this.folders.get(folder);
    if (history) history.configure(settings, label);
    else {
      history = new FolderHistory(folder, this.options.dirFor(folder), settings, this.options, label);
      this.folders.set(folder, history);
    }
    return history;
  }

  get(folder: string): FolderHistory | undefined {
    return this.folders.get(folder);
  }

  /** Closes the history of a folder that left the workspace. */
  detach(folder: string): Promise<void> {
    const history = this.folders.get(folder);
    this.folders.delete(folder);
    return history?.close() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    const all = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(all.map((h) => h.close()));
  }
}
