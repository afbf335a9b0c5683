// Keeps one workspace folder's numbers current: a first full scan off the main thread, then
// chokidar events applied incrementally to the size tree, the usage log followed by its tail,
// and periodic reconcile scans that repair drift from missed events. No `vscode` import: the
// editor layer renders its snapshots, and it runs the same in plain Node.
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Settings } from '../config/settings';
import { computeUsage, type UsageReport } from '../disk/areas';
import { DiskTracker } from '../disk/diskTracker';
import type { NodeSummary } from '../disk/sizeTree';
import type { ActivityCounts } from '../history/historyStore';
import { scanInWorker } from '../disk/scanInWorker';
import { joinRecords, type RecordRow } from '../log/joinRecords';
import { LogTail } from '../log/logTail';
import { listRecordsOnDisk } from '../log/recordsOnDisk';
import { isInside, resolveLogPath } from '../log/resolveLogPath';
import { matchesAnyGlob } from '../paths/glob';
import type { FolderSnapshot, LargestEntry, WatchMode } from './folderSnapshot';

export type LogLevel = 'info' | 'warn' | 'error';

export interface FolderMonitorOptions {
  folder: string;
  name: string;
  settings: Settings;
  /** The bundled scan worker script (dist/scanWorker.js). */
  workerPath: string;
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
  /** A batch of watcher events was applied to the size tree (see reportActivity). */
  onActivity?(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void;
}

type WatchEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

const LOG_POLL_MS = 2000;

export class FolderMonitor {
  private tracker: DiskTracker | undefined;
  private watcher: FSWatcher | undefined;
  private tail: LogTail | undefined;
  private phase: FolderSnapshot['phase'] = 'scanning';
  private scannedFiles = 0;
  private error: string | undefined;
  private watchMode: WatchMode = 'starting';
  private watchNote: string | undefined;
  private readonly notes: string[] = [];
  private skipped: Array<{ path: string; reason: string }> = [];
  private usageCache: UsageReport | undefined;
  private records: RecordRow[] = [];
  private logExists = false;
  private readonly logPath: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  /** The running scan's (first scan or rescan), for cancel(). */
  private scanAbort: AbortController | undefined;
  private busy: FolderSnapshot['busy'];
  /** Set when a rescan was cancelled, until the next one completes. */
  private rescanCancelled: string | undefined;
  private recordsTimer: NodeJS.Timeout | undefined;
  private lastScanMs: number | undefined;
  private disposed = false;
  private reconciling: Promise<void> | undefined;
  /** Size-tree state of each path with a queued watcher event, as it was before the event. */
  private readonly before = new Map<string, NodeSummary | null>();

  constructor(private readonly options: FolderMonitorOptions) {
    const { folder, settings, trusted } = options;
    let logPath = resolveLogPath(folder, settings.usageLog);
    if (!trusted && settings.usageLog && !isInside(folder, logPath)) {
      this.notes.push(`Restricted Mode: the usage log setting "${settings.usageLog}" points outside the folder and is ignored.`);
      logPath = resolveLogPath(folder, '');
    }
    this.logPath = logPath;
    if (!trusted && settings.exclude.some((g) => g.startsWith('/') || g.split('/').includes('..'))) {
      this.notes.push('Restricted Mode: exclude globs that leave the folder are ignored.');
    }
  }

  get folder(): string {
    return this.options.folder;
  }

  async start(): Promise<void> {
    // In Restricted Mode the log that is finally read (from a setting or the default path) must
    // resolve inside the folder: a symlinked default pointing at /etc/passwd is not read.
    this.tail = new LogTail(this.logPath, undefined, { folder: this.options.folder, allowOutside: this.options.trusted });
    void this.refreshLog();
    void this.refreshRecordsOnDisk();
    await this.firstScan();
  }

  /** The first full scan (again after a cancelled or failed one); the watcher starts after it. */
  private async firstScan(): Promise<void> {
    const started = Date.now();
    const abort = new AbortController();
    this.scanAbort = abort;
    this.phase = 'scanning';
    this.error = undefined;
    this.scannedFiles = 0;
    this.busy = { kind: 'scan', relPath: '', startedAt: started, files: 0 };
    this.options.onChange();
    try {
      await testScanDelay(this.options.folder, abort.signal);
      const result = await scanInWorker(this.options.folder, {
        exclude: this.excludeGlobs(),
        workerPath: this.options.workerPath,
        signal: abort.signal,
        onProgress: (files: number) => {
          this.scannedFiles = files;
          if (this.busy) this.busy.files = files;
          this.options.onChange();
        },
      });
      if (this.disposed) return;
      this.lastScanMs = Date.now() - started;
      this.skipped = result.skipped;
      this.tracker = new DiskTracker(this.options.folder, {
        tree: result.tree,
        exclude: this.excludeGlobs(),
        workerPath: this.options.workerPath,
      });
      this.tracker.onDidChange((changed) => {
        this.usageCache = undefined;
        this.reportActivity(changed);
        this.options.onChange();
      });
      this.phase = 'ready';
      this.scannedFiles = result.tree.total().files;
      this.options.log('info', `${this.options.name}: scanned ${this.scannedFiles.toLocaleString('en-US')} files in ${this.lastScanMs} ms${result.skipped.length ? `, ${result.skipped.length} unreadable folders skipped` : ''}`);
      for (const s of result.skipped.slice(0, 50)) this.options.log('warn', `${this.options.name}: skipped ${s.path}: ${s.reason}`);
      // The watcher starts only now, when the folder's size is known: chokidar's own crawl costs
      // seconds and a lot of memory on a large tree, which a folder over the limit never pays.
      // Changes between the scan and the watcher's readiness are caught by one reconcile then.
      const entries = this.tracker.tree.trackedEntries();
      if (entries > this.options.settings.watchMaxEntries) {
        this.switchToPeriodic(`Rescanned every ${this.reconcileMinutes()} min: ${entries.toLocaleString('en-US')} entries exceed workspaceUsage.watch.maxEntries (${this.options.settings.watchMaxEntries.toLocaleString('en-US')}).`);
      } else {
        this.startWatcher(() => void this.rescan(''));
      }
      const minutes = this.reconcileMinutes();
      if (minutes > 0) this.timers.push(setInterval(() => void this.rescan(''), minutes * 60_000));
      this.options.onScanned?.();
    } catch (error) {
      if (this.disposed) return;
      if (abort.signal.aborted) {
        this.phase = 'cancelled';
        this.options.log('info', `${this.options.name}: scan cancelled after ${this.scannedFiles.toLocaleString('en-US')} files`);
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

  private reconcileMinutes(): number {
    const m = this.options.settings.reconcileIntervalMinutes;
    return this.watchMode === 'periodic' && m === 0 ? 5 : m;
  }

  private excludeGlobs(): string[] {
    const globs = this.options.settings.exclude;
    return this.options.trusted ? globs : globs.filter((g) => !g.startsWith('/') && !g.split('/').includes('..'));
  }

  private startWatcher(onReady: () => void): void {
    const { folder } = this.options;
    const exclude = this.excludeGlobs();
    const watcherExclude = this.options.watcherExclude;
    const logInside = isInside(folder, this.logPath);
    const excluded = (absPath: string): boolean => {
      const rel = path.relative(folder, absPath).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('..')) return false;
      return matchesAnyGlob(rel, exclude) || matchesAnyGlob(rel, watcherExclude);
    };
    // Only folders (and the usage log) are watched: one inotify watch per folder instead of one
    // per file (a 200,000-file tree ran out of fs.inotify.max_user_watches). Changes to files
    // arrive as raw events of their folder, with the file's name; the tracker lstats each one.
    const ignored = (absPath: string, stats?: { isDirectory(): boolean }): boolean => {
      if (absPath === this.logPath) return false;
      return excluded(absPath) || (stats !== undefined && !stats.isDirectory());
    };
    const paths = logInside ? [folder] : [folder, this.logPath];
    const watcher = watch(paths, {
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      atomic: false,
      persistent: true,
      usePolling: this.options.usePolling ?? false,
      ignored,
    });
    this.watcher = watcher;
    const onEvent = (event: WatchEvent) => (file: string) => this.onFileEvent(event, file);
    watcher.on('add', onEvent('add'));
    watcher.on('change', onEvent('change'));
    watcher.on('unlink', onEvent('unlink'));
    watcher.on('addDir', onEvent('addDir'));
    watcher.on('unlinkDir', onEvent('unlinkDir'));
    watcher.on('raw', (_event, name: string | null, details: unknown) => {
      const dir = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (!name || !dir || dir === this.logPath) return;
      const file = path.join(dir, name);
      // The log has its own 'change' events; excluded paths are not tracked.
      if (file === this.logPath || excluded(file)) return;
      this.onFileEvent('change', file);
    });
    watcher.on('ready', () => {
      if (this.watcher !== watcher) return;
      if (this.watchMode === 'starting') this.watchMode = 'watching';
      this.options.log('info', `${this.options.name}: watching for changes`);
      this.options.onChange();
      onReady();
    });
    watcher.on('error', (error: unknown) => this.onWatchError(error));
  }

  private onWatchError(error: unknown): void {
    const code = (error as NodeJS.ErrnoException)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ENOSPC' || code === 'EMFILE') {
      const fix = code === 'ENOSPC'
        ? 'raise the inotify limit, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`'
        : 'raise the open-file limit (ulimit -n)';
      this.switchToPeriodic(`Rescanned every ${this.reconcileMinutes()} min: the system refused more file watches (${code}).`);
      this.options.warnUser(`watch:${code}`, `Workspace Usage cannot watch ${this.options.name} for changes (${code}); it rescans every ${this.reconcileMinutes()} minutes instead. To watch live, ${fix}.`);
    } else {
      this.options.log('warn', `${this.options.name}: watcher error: ${message}`);
    }
  }

  private switchToPeriodic(note: string): void {
    this.watchMode = 'periodic';
    this.watchNote = note;
    this.options.log('warn', `${this.options.name}: ${note}`);
    const watcher = this.watcher;
    this.watcher = undefined;
    void watcher?.close();
    // The log is small and cheap to follow without a watcher.
    this.timers.push(setInterval(() => void this.refreshLog(), LOG_POLL_MS));
    this.options.onChange();
  }

  private onFileEvent(event: WatchEvent, file: string): void {
    if (file === this.logPath) {
      void this.refreshLog();
      if (!isInside(this.options.folder, file)) return;
    }
    const rel = path.relative(this.options.folder, file).split(path.sep).join('/');
    if (rel === '.yoi' || rel.startsWith('.yoi/')) this.scheduleRecordsRefresh();
    if (!this.tracker) return; // the watcher starts after the first scan
    this.rememberBefore(rel);
    this.tracker.enqueue(event, file);
  }

  /** Keeps the tree's state of `rel` before its first queued event (when the tracker takes it). */
  private rememberBefore(rel: string): void {
    if (!this.options.onActivity || !this.tracker) return;
    if (rel === '' || rel.startsWith('..') || matchesAnyGlob(rel, this.excludeGlobs())) return;
    // A bound for a watcher storm between two flushes; activity is then under-counted, not wrong.
    if (this.before.size >= 100_000) return;
    if (!this.before.has(rel)) this.before.set(rel, this.tracker.tree.get(rel) ?? null);
  }

  /**
   * Daily activity of one applied batch. For every changed path that had a watcher event (and no
   * changed ancestor in the same batch, which already counts it), its size-tree state before the
   * batch is compared with after: files_added / files_deleted are the rise / fall of the files
   * counted at that path (1 for a file, everything below for a folder), bytes_added /
   * bytes_removed the rise / fall of its bytes. So a new file counts as one file added with its
   * size, a deleted folder as its files deleted with their bytes, a rewritten file as the change in
   * its size; a file created and deleted between two flushes (100 ms) counts as nothing. Events
   * queued during the first scan and reconcile scans (drift repair) are not activity.
   */
  private reportActivity(changed: Set<string>): void {
    const tracker = this.tracker;
    if (!tracker || !this.options.onActivity || this.before.size === 0) return;
    const batch = [...changed].filter((rel) => this.before.has(rel));
    if (batch.length === 0) return;
    const inBatch = new Set(batch);
    const counts: ActivityCounts = { files_added: 0, files_deleted: 0, bytes_added: 0, bytes_removed: 0 };
    for (const rel of batch) {
      const before = this.before.get(rel) ?? null;
      this.before.delete(rel);
      let ancestor = false;
      for (let i = rel.lastIndexOf('/'); i > 0 && !ancestor; i = rel.lastIndexOf('/', i - 1)) ancestor = inBatch.has(rel.slice(0, i));
      if (ancestor) continue;
      const after = tracker.tree.get(rel);
      const files = (after?.files ?? 0) - (before?.files ?? 0);
      const bytes = (after?.bytes ?? 0) - (before?.bytes ?? 0);
      if (files > 0) counts.files_added += files;
      else counts.files_deleted -= files;
      if (bytes > 0) counts.bytes_added += bytes;
      else counts.bytes_removed -= bytes;
    }
    if (counts.files_added || counts.files_deleted || counts.bytes_added || counts.bytes_removed) {
      const total = tracker.tree.total();
      this.options.onActivity(counts, { total_bytes: total.bytes, files: total.files });
    }
  }

  private scheduleRecordsRefresh(): void {
    if (this.recordsTimer) return;
    this.recordsTimer = setTimeout(() => {
      this.recordsTimer = undefined;
      void this.refreshRecordsOnDisk();
    }, 200);
  }

  private onDisk: Awaited<ReturnType<typeof listRecordsOnDisk>> = [];

  private async refreshRecordsOnDisk(): Promise<void> {
    try {
      this.onDisk = await listRecordsOnDisk(this.options.folder, {
        allowOutside: this.options.trusted,
        onSkip: (file, reason) => this.options.log('warn', `${this.options.name}: memory record ${file} not listed: ${reason}`),
      });
    } catch (error) {
      this.options.log('warn', `${this.options.name}: could not list memory records: ${String(error)}`);
      this.onDisk = [];
    }
    this.rejoin();
  }

  private async refreshLog(): Promise<void> {
    if (!this.tail) return;
    try {
      const update = await this.tail.poll();
      this.logExists = update.exists;
      if (update.error) this.options.warnUser(`log:${this.options.folder}:${update.error}`, `Workspace Usage (${this.options.name}): ${update.error}; the Records view shows no uses from it.`);
      if (update.reset && update.reason) this.options.log('info', `${this.options.name}: usage log ${update.reason}; report rebuilt from the start`);
      if (update.bytesRead > 0 || update.reset) this.rejoin();
    } catch (error) {
      this.options.log('warn', `${this.options.name}: reading ${this.logPath} failed: ${String(error)}`);
    }
  }

  private rejoin(): void {
    if (!this.tail) return;
    this.records = joinRecords(this.tail.builder.snapshot(), this.onDisk);
    this.options.onChange();
  }

  /**
   * Re-scans a subtree (or the whole folder) and replaces it in the size tree; after a cancelled
   * or failed first scan, runs the first scan again.
   */
  async rescan(relPath = ''): Promise<void> {
    if (!this.tracker) {
      if (this.phase === 'cancelled' || this.phase === 'failed') return this.firstScan();
      return;
    }
    if (this.reconciling) return this.reconciling;
    const started = Date.now();
    const abort = new AbortController();
    this.scanAbort = abort;
    this.busy = { kind: 'rescan', relPath, startedAt: started, files: 0 };
    this.reconciling = (async () => {
      try {
        await this.tracker!.reconcile(relPath, {
          signal: abort.signal,
          onProgress: (files) => {
            if (this.busy) this.busy.files = files;
            this.options.onChange();
          },
        });
        this.rescanCancelled = undefined;
        this.options.log('info', `${this.options.name}: rescanned ${relPath || 'the folder'} in ${Date.now() - started} ms`);
      } catch (error) {
        if (abort.signal.aborted && !this.disposed) {
          this.rescanCancelled = `Rescan of ${relPath || this.options.name} cancelled: sizes may miss changes made without a file event.`;
          this.options.log('info', `${this.options.name}: rescan of ${relPath || 'the folder'} cancelled`);
        } else this.options.log('warn', `${this.options.name}: rescan of ${relPath || 'the folder'} failed: ${String(error)}`);
      } finally {
        this.reconciling = undefined;
        if (this.scanAbort === abort) this.scanAbort = undefined;
        this.busy = undefined;
        this.options.onChange();
      }
      await this.refreshLog();
      await this.refreshRecordsOnDisk();
    })();
    return this.reconciling;
  }

  usage(): UsageReport | undefined {
    if (!this.tracker) return undefined;
    this.usageCache ??= computeUsage(this.tracker.tree, this.options.settings, this.options.folder);
    return this.usageCache;
  }

  snapshot(): FolderSnapshot {
    const report = this.tail?.builder.snapshot();
    const tracker = this.tracker;
    return {
      folder: this.options.folder,
      name: this.options.name,
      phase: this.phase,
      scannedFiles: this.scannedFiles,
      error: this.error,
      usage: this.usage(),
      largest: (relPath: string, n: number): LargestEntry[] => (tracker ? tracker.tree.largest(relPath, n) : []),
      records: this.records,
      malformed: report?.malformed ?? { count: 0, samples: [] },
      logPath: this.logPath,
      logExists: this.logExists,
      watchMode: this.watchMode,
      watchNote: this.watchNote,
      notes: this.notes,
      skipped: this.skipped,
      lastScanMs: this.lastScanMs,
      busy: this.busy && { ...this.busy },
      rescanCancelled: this.rescanCancelled,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.scanAbort?.abort();
    for (const t of this.timers) clearInterval(t);
    if (this.recordsTimer) clearTimeout(this.recordsTimer);
    void this.watcher?.close();
    this.tracker?.dispose();
    this.tail?.dispose();
  }
}

/**
 * For the integration tests only: WORKSPACE_USAGE_TEST_SCAN_DELAY="<marker>=<ms>" holds the first
 * scan of folders whose path contains <marker> for <ms> before it starts (cancellable like the
 * scan), so a test can see a long scan's progress and cancel it without a million-file fixture.
 */
function testScanDelay(folder: string, signal: AbortSignal): Promise<void> {
  const setting = process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY;
  const at = setting?.lastIndexOf('=') ?? -1;
  if (!setting || at <= 0 || !folder.includes(setting.slice(0, at))) return Promise.resolve();
  const ms = Number(setting.slice(at + 1));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, Number.isFinite(ms) ? ms : 0);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('scan cancelled'));
    }, { once: true });
  });
}
