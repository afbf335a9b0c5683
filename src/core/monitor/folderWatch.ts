// A folder's watching: its WatchSource's life, the watch mode the view shows, and the fallback to
// periodic rescans (too many entries for watching, or the system refused more file watches).
import type { WatchMode } from './folderSnapshot';
import type { WatchEvent, WatchSource } from './watchSource';

export interface FolderWatchOptions {
  name: string;
  log(level: 'info' | 'warn', message: string): void;
  warnUser(key: string, message: string): void;
  onChange(): void;
  /** The reconcile interval setting in minutes (0: none). */
  reconcileIntervalMinutes(): number;
  /** Periodic mode started (e.g. to follow the usage log by polling instead). */
  onPeriodic(): void;
}

export class FolderWatch {
  private current: WatchMode = 'starting';
  private why: string | undefined;
  private source: WatchSource | undefined;

  constructor(private readonly options: FolderWatchOptions) {}

  get mode(): WatchMode {
    return this.current;
  }

  /** Why the folder is rescanned periodically instead of watched, if it is. */
  get note(): string | undefined {
    return this.why;
  }

  /** Minutes between reconcile scans: 5 when periodic rescans stand in for a watcher set to 0. */
  reconcileMinutes(): number {
    const m = this.options.reconcileIntervalMinutes();
    return this.current === 'periodic' && m === 0 ? 5 : m;
  }

  /** Starts `source`; `onReady` once it reports changes (then a reconcile catches earlier ones). */
  start(source: WatchSource, handlers: { onEvent(event: WatchEvent, absPath: string): void; onReady(): void }): void {
    this.source = source;
    source.start({
      onEvent: handlers.onEvent,
      onReady: () => {
        if (this.source !== source) return;
        if (this.current === 'starting') this.current = 'watching';
        this.options.log('info', `${this.options.name}: watching for changes`);
        this.options.onChange();
        handlers.onReady();
      },
      onError: (error) => this.onError(error),
    });
  }

  private onError(error: unknown): void {
    const { name } = this.options;
    const code = (error as NodeJS.ErrnoException)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ENOSPC' || code === 'EMFILE') {
      const fix =
        code === 'ENOSPC'
          ? 'raise the inotify limit, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`'
          : 'raise the open-file limit (ulimit -n)';
      this.toPeriodic(
        `Rescanned every ${this.reconcileMinutes()} min: the system refused more file watches (${code}).`,
      );
      this.options.warnUser(
        `watch:${code}`,
        `Workspace Usage cannot watch ${name} for changes (${code}); it rescans every ${this.reconcileMinutes()} minutes instead. To watch live, ${fix}.`,
      );
    } else {
      this.options.log('warn', `${name}: watcher error: ${message}`);
    }
  }

  /** Stops watching for good: the folder is rescanned every reconcileMinutes() instead. */
  toPeriodic(note: string): void {
    this.current = 'periodic';
    this.why = note;
    this.options.log('warn', `${this.options.name}: ${note}`);
    const source = this.source;
    this.source = undefined;
    void source?.close();
    this.options.onPeriodic();
    this.options.onChange();
  }

  close(): void {
    void this.source?.close();
  }
}
