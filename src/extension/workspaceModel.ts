// One FolderMonitor per workspace folder, rebuilt when folders or settings change; change
// events are throttled so views refresh at most about four times a second. The usage history of
// each folder (when a storage directory is given) outlives monitor rebuilds.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseSettings, settingIn, SETTINGS_SECTION, type SettingKey, type Settings } from '../core/config/settings';
import { HistoryRecorder } from '../core/history/historyRecorder';
import { sampleInputOf } from '../core/history/sampleInput';
import { FolderMonitor, ON_THREAD_ENTRIES, type LogLevel } from '../core/monitor/folderMonitor';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';
import { arawnAreas, detectLayout } from '../core/workstreams/layout';
import { editorWatchSource } from './editorWatchSource';

const REFRESH_MS = 250;

/** Documents a person types into (not output channels and the like, which change by themselves). */
const EDITED_SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell']);

export class WorkspaceModel implements vscode.Disposable {
  private readonly monitors = new Map<string, { monitor: FolderMonitor; settings: Settings }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private throttle: NodeJS.Timeout | undefined;
  private lastFire = 0;
  /** Monitors whose numbers a change event has carried (see scheduleChange). */
  private readonly numbered = new WeakSet<FolderMonitor>();
  private readonly toldOnce = new Set<string>();
  private readonly workstreamRoots = new Map<string, string>();
  /** Size samples and daily activity per folder; undefined when there is nowhere to keep them. */
  readonly history: HistoryRecorder | undefined;

  /** `historyDirFor`: each folder's storage directory: its history, and its stored sizes. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    private readonly historyDirFor?: (folder: string) => string,
  ) {
    this.firstScans = new Promise((resolve) => (this.resolveFirstScans = resolve));
    this.history =
      historyDirFor &&
      new HistoryRecorder({
        dirFor: historyDirFor,
        warn: (key, message) => this.warnOnce(key, `Workspace Usage: ${message}`),
        log: (message) => this.output.info(message),
        onChange: () => this.scheduleChange(),
      });
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.sync()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION) || e.affectsConfiguration('files.watcherExclude')) this.sync(true);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.sync(true)),
    );
  }

  /**
   * First scans running at the normal priority, each with its way to step back (FolderMonitor's
   * onYield). While there are any, an edit or a save makes them all drop to the background
   * priority: VS Code gives other extensions' save participants 1750 ms of the extension host, and
   * a scan on every core would take CPU from them and from the person typing.
   */
  private readonly yielders = new Set<() => void>();
  private yieldListeners: vscode.Disposable | undefined;

  private readonly onYield = (lower: () => void): (() => void) => {
    this.yielders.add(lower);
    this.yieldListeners ??= vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && EDITED_SCHEMES.has(e.document.uri.scheme)) this.yieldNow('edited');
      }),
      vscode.workspace.onWillSaveTextDocument(() => this.yieldNow('saved')),
    );
    return () => {
      this.yielders.delete(lower);
      if (this.yielders.size === 0) {
        this.yieldListeners?.dispose();
        this.yieldListeners = undefined;
      }
    };
  };

  private yieldNow(why: string): void {
    if (this.yielders.size === 0) return;
    this.output.info(`a document was ${why}: the first scan goes on at the background priority`);
    for (const lower of [...this.yielders]) lower();
  }

  private ready = false;
  private scanning = false;
  private readonly firstScans: Promise<void>;
  private resolveFirstScans!: () => void;

  start(): void {
    this.sync();
  }

  /** Resolves once every folder has finished (or stopped) its first scan. */
  firstScansDone(): Promise<void> {
    return this.firstScans;
  }

  /** The context keys the manifest's `when` clauses read: workspaceUsage.ready and .scanning. */
  private updateContextKeys(): void {
    const snapshots = this.snapshots();
    const ready = snapshots.length > 0 && snapshots.every((s) => s.phase !== 'scanning');
    if (ready !== this.ready) {
      this.ready = ready;
      void vscode.commands.executeCommand('setContext', 'workspaceUsage.ready', ready);
      if (ready) this.resolveFirstScans();
    }
    const scanning = snapshots.some((s) => s.busy !== undefined);
    if (scanning !== this.scanning) {
      this.scanning = scanning;
      void vscode.commands.executeCommand('setContext', 'workspaceUsage.scanning', scanning);
    }
  }

  snapshots(): FolderSnapshot[] {
    return [...this.monitors.values()].map((m) => m.monitor.snapshot());
  }

  settingsFor(folder: string): Settings | undefined {
    return this.monitors.get(folder)?.settings;
  }

  /** The folder monitor containing an absolute path, if any. */
  monitorContaining(file: string): FolderMonitor | undefined {
    let best: FolderMonitor | undefined;
    for (const { monitor } of this.monitors.values()) {
      const rel = path.relative(monitor.folder, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || monitor.folder.length > best.folder.length))
        best = monitor;
    }
    return best;
  }

  /** Cancels the running scan or rescan of one folder, or of every folder. */
  cancel(folder?: string): void {
    for (const [key, { monitor }] of this.monitors) if (folder === undefined || key === folder) monitor.cancel();
  }

  async rescanAll(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.monitor.rescan('')));
  }

  /** Tells the user once per distinct problem, and always logs it. */
  warnOnce(key: string, message: string): void {
    this.output.warn(message);
    if (this.toldOnce.has(key)) return;
    this.toldOnce.add(key);
    void vscode.window.showWarningMessage(message, 'Show Log').then((choice) => {
      if (choice === 'Show Log') this.output.show(true);
    });
  }

  private readSettings(folder: vscode.WorkspaceFolder): Settings {
    // The section inspected once, as one object per level (its keys nested at their dots:
    // watch.maxEntries is .watch.maxEntries), not each key: every inspect() consolidates the
    // folder's configuration anew, and 18 of them took 17-30 ms of the host's thread at start-up
    // (bench/editor.ts --profile).
    const levels = vscode.workspace.getConfiguration(undefined, folder.uri).inspect<unknown>(SETTINGS_SECTION);
    const setAt = (key: string): unknown => {
      // Only values someone set are validated; defaults come from our own schema. A null set at
      // one level leaves it to the next, as per-key inspection (`??`) did.
      for (const level of [levels?.workspaceFolderValue, levels?.workspaceValue, levels?.globalValue]) {
        const value = settingIn(level, key);
        if (value !== undefined && value !== null) return value;
      }
      return undefined;
    };
    const { settings, errors } = parseSettings((key: SettingKey) => setAt(key));
    for (const error of errors)
      this.warnOnce(
        `setting:${folder.uri.fsPath}:${error.message}`,
        `Workspace Usage (${folder.name}): ${error.message}`,
      );
    // An arawn data dir (workstreams/<ws>/production|work, scratch/sessions/<id>/work) gets its
    // areas per workstream, as `serve` does, unless the user configured areas of their own.
    const layout = detectLayout(folder.uri.fsPath);
    const ownAreas = setAt('areas');
    if (layout.kind === 'arawn' && ownAreas === undefined) {
      const root = path.relative(folder.uri.fsPath, layout.root).split(path.sep).join('/');
      this.workstreamRoots.set(folder.uri.fsPath, root);
      return { ...settings, areas: arawnAreas(settings, root) };
    }
    this.workstreamRoots.delete(folder.uri.fsPath);
    return settings;
  }

  /** For an arawn data dir: the folder-relative path holding its workstreams ('' or 'workstreams'). */
  workstreamsRootOf(folder: string): string | undefined {
    return this.workstreamRoots.get(folder);
  }

  private watcherExclude(folder: vscode.WorkspaceFolder): string[] {
    const config =
      vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, boolean>>('watcherExclude') ?? {};
    return Object.entries(config)
      .filter(([, on]) => on)
      .map(([glob]) => glob);
  }

  private sync(restartAll = false): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const wanted = new Set(folders.map((f) => f.uri.fsPath));
    for (const [key, entry] of this.monitors) {
      if (restartAll || !wanted.has(key)) {
        entry.monitor.dispose();
        this.monitors.delete(key);
      }
      if (!wanted.has(key)) void this.history?.detach(key);
    }
    for (const folder of folders) {
      const key = folder.uri.fsPath;
      if (this.monitors.has(key)) continue;
      const settings = this.readSettings(folder);
      const history = this.history?.attach(key, folder.name, {
        sampleIntervalHours: settings.historySampleIntervalHours,
        retention: settings.historyRetention,
      });
      const monitor: FolderMonitor = new FolderMonitor({
        folder: key,
        name: folder.name,
        settings,
        workerPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'scanWorker.js').fsPath,
        scanProcessPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'scanProcess.js').fsPath,
        trusted: vscode.workspace.isTrusted,
        watcherExclude: this.watcherExclude(folder),
        // Changes come from the editor's own watcher (no crawl of ours, any size is live).
        watchSource: editorWatchSource,
        sharedWatchSource: true,
        // A small folder's first scan on the host's thread: no scan process to start.
        firstScanOnThread: ON_THREAD_ENTRIES,
        log: (level: LogLevel, message: string) =>
          level === 'error'
            ? this.output.error(message)
            : level === 'warn'
              ? this.output.warn(message)
              : this.output.info(message),
        warnUser: (k, message) => this.warnOnce(k, message),
        onChange: () => this.scheduleChange(),
        // Samples come from whichever monitor is current for the folder (none during a rebuild).
        onScanned: () =>
          void history?.scanReady(() => {
            const usage = this.monitors.get(key)?.monitor === monitor ? monitor.usage() : undefined;
            return usage && sampleInputOf(usage);
          }),
        onActivity: (counts, totals) => history?.recordActivity(counts, totals),
        snapshotDir: this.historyDirFor?.(key),
        onYield: this.onYield,
      });
      this.monitors.set(key, { monitor, settings });
      void monitor.start();
    }
    this.scheduleChange();
  }

  private scheduleChange(): void {
    // A folder's first numbers go out at once, not up to REFRESH_MS later: the start fired a
    // change a moment before (its "scanning" row), and on the sample workspace the numbers that
    // followed 30 ms later waited out the rest of the 250 ms.
    const firstNumbers = [...this.monitors.values()].some(
      ({ monitor }) => !this.numbered.has(monitor) && monitor.usage() !== undefined,
    );
    if (firstNumbers && this.throttle) {
      clearTimeout(this.throttle);
      this.throttle = undefined;
    }
    if (this.throttle) return;
    const wait = firstNumbers ? 0 : Math.max(0, this.lastFire + REFRESH_MS - Date.now());
    this.throttle = setTimeout(() => {
      for (const { monitor } of this.monitors.values())
        if (!this.numbered.has(monitor) && monitor.usage()) this.numbered.add(monitor);
      this.throttle = undefined;
      this.lastFire = Date.now();
      this.updateContextKeys();
      this.changed.fire();
    }, wait);
  }

  /** Writes pending history and closes it (on deactivation). */
  closeHistory(): Promise<void> {
    return this.history?.close() ?? Promise.resolve();
  }

  /** Stores each folder's sizes if they changed since the last write (on deactivation). */
  async saveSnapshots(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.monitor.saveSnapshot()));
  }

  dispose(): void {
    this.resolveFirstScans();
    void this.closeHistory();
    if (this.throttle) clearTimeout(this.throttle);
    for (const { monitor } of this.monitors.values()) monitor.dispose();
    this.monitors.clear();
    for (const d of this.disposables) d.dispose();
    this.yieldListeners?.dispose();
    this.changed.dispose();
  }
}
