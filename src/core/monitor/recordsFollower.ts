// The memory-record side of a folder: the usage log followed by its tail, the records on disk
// listed, and the two joined into the Records view's rows.
import type { ResidentDay } from '../log/tokenBudget';
import { joinRecords, type RecordRow } from '../log/joinRecords';
import { LogTail } from '../log/logTail';
import { listRecordsOnDisk } from '../log/recordsOnDisk';
import type { MalformedSummary } from './folderSnapshot';

export interface RecordsFollowerOptions {
  folder: string;
  name: string;
  logPath: string;
  /** False in Restricted Mode: the log and the records must resolve inside the folder. */
  trusted: boolean;
  log(level: 'info' | 'warn', message: string): void;
  warnUser(key: string, message: string): void;
  /** The rows changed. */
  onChange(): void;
}

export class RecordsFollower {
  private tail: LogTail | undefined;
  private onDisk: Awaited<ReturnType<typeof listRecordsOnDisk>> = [];
  private rows: RecordRow[] = [];
  private exists = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RecordsFollowerOptions) {}

  /** Opens the log's tail and reads the log and the records on disk once. */
  start(): void {
    const { logPath, folder, trusted } = this.options;
    // In Restricted Mode the log that is finally read (from a setting or the default path) must
    // resolve inside the folder: a symlinked default pointing at /etc/passwd is not read.
    this.tail = new LogTail(logPath, undefined, { folder, allowOutside: trusted });
    void this.refreshLog();
    void this.refreshRecordsOnDisk();
  }

  get records(): RecordRow[] {
    return this.rows;
  }

  get logExists(): boolean {
    return this.exists;
  }

  /** Tokens injected by resident exposures per UTC day, oldest first, the last `days` days with any. */
  residentByDay(days: number): ResidentDay[] {
    return this.tail?.builder.residentByDay(days) ?? [];
  }

  malformed(): MalformedSummary {
    return this.tail?.builder.snapshot().malformed ?? { count: 0, samples: [] };
  }

  /** Lists the records on disk again soon (a burst of events under .yoi/ lists once). */
  scheduleRecordsRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refreshRecordsOnDisk();
    }, 200);
  }

  async refreshRecordsOnDisk(): Promise<void> {
    const { folder, name, trusted, log } = this.options;
    try {
      this.onDisk = await listRecordsOnDisk(folder, {
        allowOutside: trusted,
        onSkip: (file, reason) => log('warn', `${name}: memory record ${file} not listed: ${reason}`),
      });
    } catch (error) {
      log('warn', `${name}: could not list memory records: ${String(error)}`);
      this.onDisk = [];
    }
    this.rejoin();
  }

  /** Reads what was appended to the log (or the whole log again when it was replaced). */
  async refreshLog(): Promise<void> {
    if (!this.tail) return;
    const { folder, name } = this.options;
    try {
      const update = await this.tail.poll();
      this.exists = update.exists;
      if (update.error)
        this.options.warnUser(
          `log:${folder}:${update.error}`,
          `Workspace Usage (${name}): ${update.error}; the Records view shows no uses from it.`,
        );
      if (update.reset && update.reason)
        this.options.log('info', `${name}: usage log ${update.reason}; report rebuilt from the start`);
      if (update.bytesRead > 0 || update.reset) this.rejoin();
    } catch (error) {
      this.options.log('warn', `${name}: reading ${this.options.logPath} failed: ${String(error)}`);
    }
  }

  private rejoin(): void {
    if (!this.tail) return;
    this.rows = joinRecords(this.tail.builder.snapshot(), this.onDisk);
    this.options.onChange();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.tail?.dispose();
  }
}
