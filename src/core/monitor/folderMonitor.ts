// Keeps one workspace folder's numbers current: a first full scan off the main thread, then
// file events (a WatchSource, chokidar by default) applied incrementally to the size tree, the
// usage log and memory records followed (recordsFollower.ts), and periodic reconcile scans that
// repair drift from missed events. No `vscode` import: the editor layer renders its snapshots,
// and it runs the same in plain Node. This file orchestrates; the jobs are in the files named
// here and in folderWatch.ts, activityDiff.ts (activity for the history) and restrictedMode.ts.
import * as path from 'node:path';
import type { Settings } from '../config/settings';
import { computeUsage, type UsageReport } from '../disk/areas';
import { DiskTracker, type ScanControl } from '../disk/diskTracker';
import { folderSizesCounted, GitIgnored, largestCounted } from '../disk/gitIgnored';
import type { SizeTree } from '../disk/sizeTree';
import type { ActivityCounts } from '../history/historyStore';
import { scanInWorker } from '../disk/scanInWorker';
import { ScanTooLarge, scanSync, type ScanResult } from '../disk/scanner';
import { ScanProcessUnavailable, scanInProcess } from './scanInProcess';
import { isInside } from '../log/resolveLogPath';
import { matchesAnyGlob } from '../paths/glob';
import { nextTurn, runSliced } from '../sched/slices';
import { ActivityDiff } from './activityDiff';
import { countEntries } from './areaWatchPlan';
import { chokidarWatchSource } from './chokidarWatchSource';
import type { FolderSnapshot, LargestEntry } from './folderSnapshot';
import { FolderWatch } from './folderWatch';
import { RecordsFollower } from './recordsFollower';
import { SnapshotKeeper } from './snapshotKeeper';
import { settingsFingerprint } from './treeSnapshot';
import { allowedExcludes, restrictedPolicy } from './restrictedMode';
import { testScanDelay } from './testScanDelay';
import { excludedBy, type WatchEvent, type WatchSource, type WatchSourceFactory } from './watchSource';

export type { WatchEvent, WatchHandlers, WatchTarget } from './watchSource';

export type LogLevel = 'info' | 'warn' | 'error';

export interface FolderMonitorOptions {
  folder: string;
  name: string;
  settings: Settings;
  /** The bundled scan worker script (dist/scanWorker.js). */
  workerPath: string;
  /**
   * The bundled scan process (dist/scanProcess.js): the full scan then runs in a child process,
   * whose memory the system takes back when it exits (scanInProcess.ts); none: worker threads.
   */
  scanProcessPath?: string;
  /** False in Restricted Mode: paths from settings that leave the folder are ignored. */
  trusted: boolean;
  /** Globs not to watch (the editor's files.watcherExclude); still counted by scans. */
  watcherExclude: string[];
  log(level: LogLevel, message: string): void;
  /** A problem the user should hear about once (e.g. watching failed). */
  warnUser(key: string, message: string): void;
  /** Something in the snapshot changed. */
  onChange(): void;
  /** Chokidar's polling mode (for file systems without inotify); default false. */
  usePolling?: boolean;
  /** The first scan finished and usage() has numbers (e.g. to take a history sample). */
  onScanned?(): void;
  /** A batch of watcher events was applied to the size tree (see activityDiff.ts). */
  onActivity?(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void;
  /** The source of file events, started after the first scan; default: chokidar. */
  watchSource?: WatchSourceFactory;
  /** The watch source is shared (the editor's watcher): no crawl of ours, so watch.maxEntries does not apply; it may start late (see scheduleCatchUps). */
  sharedWatchSource?: boolean;
  /**
   * The first scan of a folder of at most this many entries runs on the caller's thread (a walk
   * given up past the bound, then the scan process as for any folder); default 0: never. The
   * extension sets ON_THREAD_ENTRIES.
   */
  firstScanOnThread?: number;
  /** Catch-up rescans for a shared watcher (default CATCH_UPS; tests: none, or their own). */
  catchUps?: { afterMs: readonly number[]; maxEntries: number; onThreadEntries?: number };
  /** Where the folder's sizes are kept between sessions (treeSnapshot.ts); none: not kept. */
  snapshotDir?: string;
  /**
   * Someone waits for the first numbers: the first full scan starts at the normal CPU priority and
   * drops to the background one at the first call of this signal (scanInProcess's onYield: the
   * editor's edits and saves). Without it every scan runs in the background from its start.
   */
  onYield?(lower: () => void): () => void;
  /** The slices the .gitignore walk runs in (runSliced): their length (tests: 0) and a hook between them. */
  gitIgnoreSlices?: { sliceMs?: number; onPause?(): void };
}

const LOG_POLL_MS = 2000;
/** Changes during the first scan replayed one by one; past this many, one rescan. */
const EARLY_LIMIT = 10_000;
/**
 * Entries a walk on the extension host's thread may take: 1,000 files in 12 ms (29 ms cold),
 * where starting a worker takes 75 ms and the scan process 0.5 s while the window loads (the
 * sample workspace's 23 files: 517-666 ms from the first scan's start to its tree, of which the
 * walk 19-134 ms; bench/editor.ts).
 */
export const ON_THREAD_ENTRIES = 1000;

/**
 * Catch-up rescans while a shared watcher may still be starting (see scheduleCatchUps): when, in
 * ms after the first scan, and the largest folder (tracked entries) that gets them. Such a rescan
 * takes a few hundred ms of the scan process; up to `onThreadEntries` it is walked on the
 * extension host's thread instead.
 */
const CATCH_UPS = {
  afterMs: [2000, 5000, 10_000, 20_000],
  maxEntries: 20_000,
  onThreadEntries: ON_THREAD_ENTRIES,
};

export class FolderMonitor {
  private tracker: DiskTracker | undefined;
  private readonly watch: FolderWatch;
  private readonly follower: RecordsFollower;
  private phase: FolderSnapshot['phase'] = 'scanning';
  private scannedFiles = 0;
  private error: string | undefined;
  private readonly notes: string[];
  private skipped: Array<{ path: string; reason: string }> = [];
  private usageCache: UsageReport | undefined;
  private readonly logPath: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  /** The running scan's (first scan or rescan), for cancel(). */
  private scanAbort: AbortController | undefined;
  private busy: FolderSnapshot['busy'];
  /** Set when a rescan was cancelled, until the next one completes. */
  private rescanCancelled: string | undefined;
  private lastScanMs: number | undefined;
  private disposed = false;
  private reconciling: Promise<void> | undefined;
  /** Size-tree states before queued watcher events, for the activity of each batch. */
  private readonly activity = new ActivityDiff();
  private readonly keeper: SnapshotKeeper | undefined;
  /** The stored sizes shown until the first scan finishes (see FolderSnapshot.stale). */
  private stored: { tree: SizeTree; at: number } | undefined;
  /** The running watch source, once startWatcher ran. */
  private source: WatchSource | undefined;
  /** Paths the watcher reported during the first scan, latest event each (see replayEarly). */
  private early: Map<string, WatchEvent> | undefined;
  /** Watcher events seen before the watcher said it was ready (see startWatcher). */
  private eventsBeforeReady = 0;
  /** Whether the watcher has reported a change in the folder yet (see scheduleCatchUps). */
  private eventSeen = false;
  /** With workspaceUsage.useGitIgnore: what .gitignore files leave out (gitIgnored.ts). */
  private readonly gitIgnored: GitIgnored | undefined;
  /** The sliced update of the ignored set running now, for the tree it brings it up to (settleExcluded). */
  private excludedJob: { tree: SizeTree; abort: AbortController; done: Promise<boolean> } | undefined;
  /** The last report counted with a current ignored set: shown, marked, while the next is found. */
  private counted: UsageReport | undefined;

  constructor(private readonly options: FolderMonitorOptions) {
    const { folder, name, settings, trusted } = options;
    const policy = restrictedPolicy(folder, settings, trusted);
    this.logPath = policy.logPath;
    this.gitIgnored = settings.useGitIgnore
      ? new GitIgnored(folder, (rel, problem) =>
          options.warnUser(`gitignore:${folder}:${rel}`, `${name}: ${rel} ${problem}: its rules are not used.`),
        )
      : undefined;
    this.notes = policy.notes;
    const hooks = {
      log: (level: LogLevel, message: string) => options.log(level, message),
      warnUser: (key: string, message: string) => options.warnUser(key, message),
      onChange: () => options.onChange(),
    };
    this.follower = new RecordsFollower({ ...hooks, folder, name, logPath: this.logPath, trusted });
    this.watch = new FolderWatch({
      ...hooks,
      name,
      reconcileIntervalMinutes: () => settings.reconcileIntervalMinutes,
      // The log is small and cheap to follow without a watcher.
      onPeriodic: () => this.timers.push(setInterval(() => void this.follower.refreshLog(), LOG_POLL_MS)),
    });
    if (options.snapshotDir) {
      this.keeper = new SnapshotKeeper({
        dir: options.snapshotDir,
        folder,
        fingerprint: settingsFingerprint({ exclude: this.excludeGlobs() }),
        log: (level, message) => options.log(level, `${name}: ${message}`),
        current: () => this.tracker?.tree,
      });
    }
  }

  get folder(): string {
    return this.options.folder;
  }

  /**
   * Starts watching, following the log and the first scan, each in a task of its own on the
   * caller's thread: in the editor's CPU profile (bench/editor.ts --profile, 200,000 files) the
   * three in one task with the extension's reading of the settings held the extension host for
   * 73 ms (settings 25, watcher 10, the log's first read 10, the scan process's fork 18; all of it
   * code running for the first time).
   */
  async start(): Promise<void> {
    // Shown as scanning (and cancellable) from the start; the rest after the caller's task (the
    // extension's reads the folder's settings first).
    const first = this.beginFirstScan();
    await nextTurn();
    if (this.disposed) return;
    // The editor's watcher costs nothing: listen before the scan, so the changes it reports while
    // the first scan runs are kept and applied after it (see onFileEvent; it may itself start
    // after the scan: scheduleCatchUps).
    if (this.options.sharedWatchSource) {
      this.early = new Map();
      this.startWatcher();
      await nextTurn();
      if (this.disposed) return;
    }
    this.follower.start();
    await nextTurn();
    if (this.disposed) return;
    // The stored sizes load beside the first scan (reading the file is asynchronous; a scan that
    // finishes first wins: they are then not used).
    const loading = this.loadStored();
    await this.firstScan(first);
    await loading;
  }

  private async loadStored(): Promise<void> {
    const stored = await this.keeper?.load().catch(() => undefined);
    if (!stored || this.disposed || this.tracker || this.phase !== 'scanning') return;
    // Shown only with what .gitignore leaves out of it (found in slices; the scan's tree cancels it).
    if (!(await this.settleExcluded(stored.tree)) || this.disposed || this.tracker || this.phase !== 'scanning') return;
    this.stored = stored;
    this.usageCache = undefined;
    this.options.onChange();
  }

  /** Writes the folder's sizes now if they changed since the last write (on deactivation). */
  saveSnapshot(): Promise<void> {
    return this.keeper?.close() ?? Promise.resolve();
  }

  /**
   * The whole folder scanned: in the scan process if there is one, else in worker threads. In the
   * background, but for the first scan given onYield (`first`), which steps back when told to.
   */
  private async fullScan(
    { signal, onProgress }: ScanControl,
    first = false,
  ): Promise<ScanResult & { stores?: boolean }> {
    const { onYield } = this.options;
    const request = {
      background: !(first && onYield),
      onYield,
      exclude: this.excludeGlobs(),
      oneFileSystem: this.options.settings.oneFileSystem,
      signal,
      onProgress,
    };
    const { scanProcessPath } = this.options;
    if (scanProcessPath && !this.noScanProcess) {
      try {
        const keeper = this.keeper;
        // The process writes the stored copy of the tree itself, after sending it.
        const result = await scanInProcess(this.options.folder, {
          ...request,
          processPath: scanProcessPath,
          store: keeper?.target,
          onStored: (outcome) => keeper?.storedByScan(outcome),
        });
        return { ...result, stores: keeper !== undefined };
      } catch (error) {
        if (!(error instanceof ScanProcessUnavailable)) throw error;
        this.noScanProcess = true;
        this.options.log('warn', `${error.message}; scanning in worker threads instead`);
      }
    }
    // Threads of this process cannot be told apart from its own to step back later: background.
    return scanInWorker(this.options.folder, { ...request, background: true, workerPath: this.options.workerPath });
  }

  /**
   * The first scan of a small folder (options.firstScanOnThread), walked on this thread: starting
   * the scan process would take longer than the walk. Undefined past the bound (that much was
   * walked for nothing: at most a few ms) or when it does not apply.
   */
  private walkIfSmall(): (ScanResult & { stores?: boolean }) | undefined {
    const bound = this.options.firstScanOnThread ?? 0;
    if (bound <= 0) return undefined;
    try {
      const result = scanSync(this.options.folder, {
        exclude: this.excludeGlobs(),
        oneFileSystem: this.options.settings.oneFileSystem,
        maxEntries: bound,
      });
      return { ...result, via: 'on this thread' };
    } catch (error) {
      if (error instanceof ScanTooLarge) return undefined;
      throw error;
    }
  }

  /** Set once a scan process could not be started: this monitor scans in worker threads from then on. */
  private noScanProcess = false;

  /** Shows the first scan as running from now (cancel() stops it), before firstScan() starts it. */
  private beginFirstScan(): { abort: AbortController; started: number } {
    const started = Date.now();
    const abort = new AbortController();
    this.scanAbort = abort;
    this.phase = 'scanning';
    this.error = undefined;
    this.scannedFiles = 0;
    this.busy = { kind: 'scan', relPath: '', startedAt: started, files: 0 };
    this.options.onChange();
    return { abort, started };
  }

  /** The first full scan (again after a cancelled or failed one); the watcher starts after it. */
  private async firstScan({ abort, started } = this.beginFirstScan()): Promise<void> {
    try {
      await testScanDelay(this.options.folder, abort.signal);
      const result =
        this.walkIfSmall() ??
        (await this.fullScan(
          {
            signal: abort.signal,
            onProgress: (files: number) => {
              this.scannedFiles = files;
              if (this.busy) this.busy.files = files;
              this.options.onChange();
            },
          },
          true,
        ));
      if (this.disposed) return;
      // The first numbers wait for what .gitignore leaves out (in slices, ~1.5 s at 200,000 files,
      // after a scan of several): shown at once they would count ignored files, and levels and
      // quota notifications would act on that. The stored sizes, if any, stay shown meanwhile.
      await this.settleExcluded(result.tree);
      if (this.disposed) return;
      this.stored = undefined;
      this.usageCache = undefined;
      this.lastScanMs = Date.now() - started;
      this.skipped = result.skipped;
      this.tracker = new DiskTracker(this.options.folder, {
        tree: result.tree,
        exclude: this.excludeGlobs(),
        oneFileSystem: this.options.settings.oneFileSystem,
        workerPath: this.options.workerPath,
        // Whole-folder rescans (drift repair, a burst past EARLY_LIMIT) in the scan process too.
        scanFolder: async (control) => (await this.fullScan(control)).tree,
      });
      this.tracker.onDidChange((changed) => {
        this.gitIgnored?.changed(changed);
        this.usageCache = undefined;
        if (this.tracker) void this.settleExcluded(this.tracker.tree);
        this.reportActivity(changed);
        this.keeper?.changed();
        this.options.onChange();
      });
      this.phase = 'ready';
      this.scannedFiles = result.tree.total().files;
      this.options.log(
        'info',
        `${this.options.name}: scanned ${this.scannedFiles.toLocaleString('en-US')} files in ${this.lastScanMs} ms (${result.via ?? 'worker threads'})${result.skipped.length ? `, ${result.skipped.length} unreadable folders skipped` : ''}`,
      );
      for (const s of result.skipped.slice(0, 50))
        this.options.log('warn', `${this.options.name}: skipped ${s.path}: ${s.reason}`);
      // A shared watcher (the editor's) runs since start(). Our own starts only now, when the
      // folder's size is known: chokidar's crawl costs seconds and a lot of memory on a large
      // tree, which a folder over watch.maxEntries never pays.
      const entries = this.tracker.tree.trackedEntries();
      if (this.source) {
        // Started before the scan, when no area was known yet.
        this.source.areasChanged?.();
        this.replayEarly();
      } else if (entries > this.options.settings.watchMaxEntries && !this.options.sharedWatchSource) {
        this.watch.toPeriodic(
          `Rescanned every ${this.watch.reconcileMinutes()} min: ${entries.toLocaleString('en-US')} entries exceed workspaceUsage.watch.maxEntries (${this.options.settings.watchMaxEntries.toLocaleString('en-US')}).`,
        );
      } else {
        this.startWatcher();
      }
      const minutes = this.watch.reconcileMinutes();
      if (minutes > 0) this.timers.push(setInterval(() => void this.rescan(''), minutes * 60_000));
      const catchUps = this.options.catchUps ?? CATCH_UPS;
      if (this.options.sharedWatchSource && entries <= catchUps.maxEntries)
        this.scheduleCatchUps(catchUps.afterMs, entries <= (catchUps.onThreadEntries ?? 0));
      this.options.onScanned?.();
      if (!result.stores) void this.keeper?.save();
    } catch (error) {
      if (this.disposed) return;
      this.stored = undefined;
      this.usageCache = undefined;
      if (abort.signal.aborted) {
        this.phase = 'cancelled';
        this.options.log(
          'info',
          `${this.options.name}: scan cancelled after ${this.scannedFiles.toLocaleString('en-US')} files`,
        );
      } else {
        this.phase = 'failed';
        this.error = `Scan failed: ${error instanceof Error ? error.message : String(error)}`;
        this.options.log('error', `${this.options.name}: ${this.error}`);
      }
    } finally {
      if (this.scanAbort === abort) this.scanAbort = undefined;
      this.busy = undefined;
    }
    this.options.onChange();
  }

  /** Stops the scan or rescan that is running, if any: the folder says it was cancelled. */
  cancel(): void {
    this.scanAbort?.abort();
  }

  private excludeGlobs(): string[] {
    return allowedExcludes(this.options.settings.exclude, this.options.trusted);
  }

  /**
   * The changes the watcher reported while the first scan ran, applied now: the scan may have read
   * those paths before or after the change, and looking at them again settles it (as a reconcile
   * replays its events). Past EARLY_LIMIT paths (a checkout during the scan), one rescan instead.
   */
  private replayEarly(): void {
    const early = this.early;
    this.early = undefined;
    if (!early || early.size === 0 || !this.tracker) return;
    if (early.size > EARLY_LIMIT) {
      this.options.log('info', `${this.options.name}: ${early.size} changes during the first scan: rescanning`);
      void this.rescan('');
      return;
    }
    for (const [file, event] of early) this.onFileEvent(event, file);
  }

  /**
   * The editor's watcher starts when the window has been restored, often after a small folder's
   * first scan (measured in code-server: its first event came 0.06 to 1.1 s after this monitor
   * started, the scan's numbers at 0.6 to 1.2 s), and it gives no sign of being up. A change the
   * scan did not see, made before the watcher watched, would then stay missed until the periodic
   * reconcile. A small folder is rescanned quietly a few times in its first seconds instead; once
   * the watcher has reported a change, the next rescan is the last one needed. A larger folder is
   * not rescanned right after its first scan (that would double its cost): the reconcile repairs it.
   */
  private scheduleCatchUps(afterMs: readonly number[], tiny: boolean): void {
    const base = Date.now();
    const next = (i: number): void => {
      if (i >= afterMs.length || this.disposed) return;
      const timer = setTimeout(
        () => {
          const watcherUp = this.eventSeen;
          void this.rescan('', { quiet: true, tiny }).then(() => {
            if (!watcherUp) next(i + 1);
          });
        },
        Math.max(0, base + afterMs[i] - Date.now()),
      );
      this.timers.push(timer);
    };
    next(0);
  }

  private startWatcher(): void {
    const { folder, watcherExclude, usePolling = false } = this.options;
    const source = (this.source = (this.options.watchSource ?? chokidarWatchSource)({
      folder,
      logPath: this.logPath,
      excluded: excludedBy(folder, this.excludeGlobs(), watcherExclude),
      usePolling,
      areas: {
        watcherExclude,
        countExcluded: excludedBy(folder, this.excludeGlobs()),
        paths: () => this.usage()?.areas.map((a) => a.path) ?? [],
        entries: (rel, limit) => this.tracker && countEntries(this.tracker.tree, rel, limit),
        maxEntries: this.options.settings.watchMaxEntries,
      },
    }));
    // No full reconcile when the watcher is ready: right after the first scan it re-read the
    // whole tree (6 s of stale rows on 45,000 files). What it caught: changes made after the scan
    // read a folder and before the watcher watched it. Chokidar's ready comes after its crawl,
    // and with ignoreInitial it reports changes in folders it already watches; so events before
    // ready mean the folder is being written right now, and then a change may also have fallen
    // into the unwatched gap: only then does one reconcile run. A quiet folder is left to the
    // periodic reconcile (workspaceUsage.reconcileIntervalMinutes, default 5; with 0 a change
    // in that gap of a quiet folder stays missed until a manual rescan, as any missed event).
    this.eventsBeforeReady = 0;
    let ready = false;
    this.watch.start(source, {
      onEvent: (event, file) => {
        if (!ready && file !== this.logPath) this.eventsBeforeReady++;
        this.onFileEvent(event, file);
      },
      onReady: () => {
        ready = true;
        if (this.eventsBeforeReady === 0) return;
        this.options.log(
          'info',
          `${this.options.name}: ${this.eventsBeforeReady} changes while the watcher started: reconciling`,
        );
        void this.rescan('');
      },
    });
  }

  private onFileEvent(event: WatchEvent, file: string): void {
    if (file === this.logPath) {
      void this.follower.refreshLog();
      if (!isInside(this.options.folder, file)) return;
    } else this.eventSeen = true;
    const rel = path.relative(this.options.folder, file).split(path.sep).join('/');
    if (rel === '.yoi' || rel.startsWith('.yoi/')) this.follower.scheduleRecordsRefresh();
    const tracker = this.tracker;
    if (!tracker) {
      // During the first scan (a shared watcher runs from the start): kept for replayEarly.
      if (this.early && (this.early.size <= EARLY_LIMIT || this.early.has(file))) this.early.set(file, event);
      return;
    }
    // The path's size-tree state before its first queued event (when the tracker takes it).
    if (this.options.onActivity && !matchesAnyGlob(rel, this.excludeGlobs()))
      this.activity.remember(rel, () => tracker.tree.get(rel));
    tracker.enqueue(event, file);
  }

  /** Daily activity of one applied batch (activityDiff.ts); events of scans are not activity. */
  private reportActivity(changed: Set<string>): void {
    const tracker = this.tracker;
    if (!tracker || !this.options.onActivity) return;
    const counts = this.activity.take(changed, (rel) => tracker.tree.get(rel));
    if (!counts) return;
    const total = tracker.tree.total();
    this.options.onActivity(counts, { total_bytes: total.bytes, files: total.files });
  }

  /**
   * Re-scans a subtree (or the whole folder) and replaces it in the size tree; after a cancelled
   * or failed first scan, runs the first scan again. A quiet one (a catch-up) shows no progress;
   * a tiny folder's is walked on this thread (see CATCH_UPS).
   */
  async rescan(relPath = '', { quiet = false, tiny = false } = {}): Promise<void> {
    if (!this.tracker) {
      if (this.phase === 'cancelled' || this.phase === 'failed') return this.firstScan();
      return;
    }
    if (this.reconciling) return this.reconciling;
    const started = Date.now();
    const abort = new AbortController();
    this.scanAbort = abort;
    if (!quiet) this.busy = { kind: 'rescan', relPath, startedAt: started, files: 0 };
    this.reconciling = (async () => {
      try {
        await this.tracker!.reconcile(relPath, {
          tiny,
          signal: abort.signal,
          onProgress: (files) => {
            if (!this.busy) return;
            this.busy.files = files;
            this.options.onChange();
          },
        });
        this.rescanCancelled = undefined;
        this.options.log(
          'info',
          `${this.options.name}: rescanned ${relPath || 'the folder'} in ${Date.now() - started} ms${quiet ? " (catch-up while the editor's watcher starts)" : ''}`,
        );
      } catch (error) {
        if (abort.signal.aborted && !this.disposed) {
          this.rescanCancelled = `Rescan of ${relPath || this.options.name} cancelled: sizes may miss changes made without a file event.`;
          this.options.log('info', `${this.options.name}: rescan of ${relPath || 'the folder'} cancelled`);
        } else
          this.options.log(
            'warn',
            `${this.options.name}: rescan of ${relPath || 'the folder'} failed: ${String(error)}`,
          );
      } finally {
        this.reconciling = undefined;
        if (this.scanAbort === abort) this.scanAbort = undefined;
        this.busy = undefined;
        this.options.onChange();
      }
      await this.follower.refreshLog();
      await this.follower.refreshRecordsOnDisk();
    })();
    return this.reconciling;
  }

  /** The verified tree, else the stored one while the first scan verifies it. */
  private shownTree(): SizeTree | undefined {
    return this.tracker?.tree ?? this.stored?.tree;
  }

  /**
   * Brings the ignored set up to `tree` in slices (runSliced), one job at a time: a newer tree
   * cancels the running one. True once the set is current; false if cancelled (or failed: logged).
   * The first slice runs now, so a small batch of changes is done before this returns.
   */
  private settleExcluded(tree: SizeTree): Promise<boolean> {
    const gi = this.gitIgnored;
    if (!gi || gi.isCurrent(tree)) return Promise.resolve(true);
    const running = this.excludedJob;
    if (running?.tree === tree) return running.done;
    running?.abort.abort();
    const abort = new AbortController();
    const job = { tree, abort, done: Promise.resolve(false) };
    this.excludedJob = job;
    const { sliceMs, onPause } = this.options.gitIgnoreSlices ?? {};
    job.done = runSliced(gi.updateSteps(tree), { signal: abort.signal, sliceMs, onPause }).then(
      () => {
        if (this.excludedJob === job) this.excludedJob = undefined;
        if (this.disposed) return false;
        // Changes that came during the walk, then a fresh report.
        if (!gi.isCurrent(tree) && this.shownTree() === tree) return this.settleExcluded(tree);
        this.usageCache = undefined;
        this.options.onChange();
        return true;
      },
      (error: unknown) => {
        if (this.excludedJob === job) this.excludedJob = undefined;
        if (!abort.signal.aborted)
          this.options.log('error', `${this.options.name}: .gitignore rules could not be applied: ${String(error)}`);
        return false;
      },
    );
    return job.done;
  }

  usage(): UsageReport | undefined {
    const tree = this.shownTree();
    if (!tree) return undefined;
    if (this.usageCache) return this.usageCache;
    const { settings, folder } = this.options;
    const gi = this.gitIgnored;
    if (!gi) return (this.usageCache = computeUsage(tree, settings, folder));
    if (!gi.isCurrent(tree)) void this.settleExcluded(tree);
    if (gi.isCurrent(tree)) {
      this.counted = computeUsage(tree, settings, folder, gi.lookupAsIs(tree));
      return (this.usageCache = this.counted);
    }
    // The set is being found in slices: never here, in one go. Not cached: asked again once found.
    if (this.counted)
      return {
        ...this.counted,
        excludedPending:
          'Updating: .gitignore rules are being applied to the latest sizes; these figures are from before the last change.',
      };
    return {
      ...computeUsage(tree, settings, folder),
      excludedPending: 'Not known yet: .gitignore rules are being applied; until then the sizes include ignored files.',
    };
  }

  snapshot(): FolderSnapshot {
    const tree = this.shownTree();
    return {
      folder: this.options.folder,
      name: this.options.name,
      phase: this.phase,
      scannedFiles: this.scannedFiles,
      error: this.error,
      usage: this.usage(),
      largest: (relPath: string, n: number): LargestEntry[] =>
        tree ? largestCounted(tree, relPath, n, this.gitIgnored) : [],
      folderSizes: () => (tree ? folderSizesCounted(tree, this.gitIgnored) : []),
      records: this.follower.records,
      malformed: this.follower.malformed(),
      residentByDay: (days: number) => this.follower.residentByDay(days),
      logPath: this.logPath,
      logExists: this.follower.logExists,
      watchMode: this.watch.mode,
      watchNote: this.watch.note,
      notes: this.notes,
      skipped: this.skipped,
      lastScanMs: this.lastScanMs,
      busy: this.busy && { ...this.busy },
      rescanCancelled: this.rescanCancelled,
      stale: this.stored && { at: this.stored.at },
    };
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.scanAbort?.abort();
    this.excludedJob?.abort.abort();
    for (const t of this.timers) clearInterval(t);
    this.watch.close();
    this.tracker?.dispose();
    this.follower.dispose();
    this.keeper?.dispose();
  }
}
