// The history file's write path, always under the advisory lock of durableFile.ts: re-read the
// file when another writer changed it (merging its records into memory, repairing damage), then
// append lines or rewrite it whole. Two editor windows on the same folder share the file this
// way: a compaction writes the union of both windows' samples instead of overwriting the other's.
import {
  acquireLock,
  appendDurable,
  removeStrayTemporaries,
  setAside,
  writeFileAtomic,
  type DurableFs,
  type LockOptions,
} from '../fs/durableFile';
import type { Clock } from './clock';
import { parseHistoryText, serialiseHistory, type SkippedLine } from './historyFormat';
import type { HistoryMemory } from './historyMemory';
import { mergeRead, setAsideMessage, skippedMessage } from './historyMerge';

/** A problem with the file, found on open or when re-reading it; each is reported once. */
export type HistoryWarning =
  | { kind: 'skipped-records'; file: string; lines: SkippedLine[]; aside: string; message: string }
  | { kind: 'set-aside'; file: string; reason: string; aside: string; message: string };

interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface HistoryFileOptions {
  fs: DurableFs;
  lock: LockOptions;
  clock: Clock;
  report(warning: HistoryWarning): void;
}

export class HistoryFile {
  /** True when memory holds what the file lacks (or the file is damaged): a rewrite is due. */
  needsRewrite = false;
  private linesOnDisk = 0;
  /** The file as this store last read or wrote it; another writer changes it. */
  private seen: FileIdentity | undefined;

  constructor(
    readonly file: string,
    private readonly memory: HistoryMemory,
    private readonly options: HistoryFileOptions,
  ) {}

  /** On open, under the lock: stray temporaries removed, the file read, repaired when due. */
  async open(): Promise<void> {
    await this.locked(async () => {
      // Under the lock: another window's temporary is in use until its rename.
      await removeStrayTemporaries(this.file, { fs: this.options.fs });
      await this.reconcile();
      if (this.memory.prune()) this.needsRewrite = true;
      if (this.needsRewrite) await this.rewrite();
    });
  }

  /** Under the lock: merges the file's records, then rewrites it from everything known. */
  async compact(): Promise<void> {
    await this.locked(async () => {
      await this.reconcile();
      await this.rewrite();
    });
  }

  /**
   * Runs `fn` under the file's lock, shared with other stores and processes. Where no lock can
   * be created (a read-only folder) it runs unlocked: reading still works, and writes fail there
   * anyway.
   */
  private async locked(fn: () => Promise<void>): Promise<void> {
    const got = await acquireLock(this.file, this.options.lock);
    if (!got.ok) {
      if (
        got.reason === 'error' &&
        ['EROFS', 'EACCES', 'EPERM'].includes((got.error as NodeJS.ErrnoException).code ?? '')
      )
        return fn();
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

  private async identity(): Promise<FileIdentity | undefined> {
    try {
      const st = await this.options.fs.stat(this.file);
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
    const { memory, options } = this;
    const id = await this.identity();
    if (!id) {
      this.needsRewrite = true;
      this.linesOnDisk = 0;
      return;
    }
    if (this.seen && id.ino === this.seen.ino && id.size === this.seen.size && id.mtimeMs === this.seen.mtimeMs) return;
    const bytes = await options.fs.readFile(this.file);
    const read = parseHistoryText(bytes.toString('utf8'));
    if (read.kind === 'corrupt') {
      this.needsRewrite = true;
      this.linesOnDisk = 0;
      const aside = await setAside(this.file, bytes, options.clock.now(), { fs: options.fs });
      const hadCopy = memory.samples.length > 0 || memory.days.size > 0;
      if (aside.created)
        options.report({
          kind: 'set-aside',
          file: this.file,
          reason: read.reason,
          aside: aside.name,
          message: setAsideMessage(this.file, read.reason, aside.name, hadCopy),
        });
      return;
    }
    const merged = mergeRead(
      { samples: memory.samples, days: memory.days, dirtyDays: memory.dirtyDays, unsaved: memory.unsaved },
      read,
    );
    memory.samples = merged.samples;
    // More than the retention (a smaller one now, or samples this store had pruned coming back
    // from the file): dropped again, and the file is rewritten without them.
    if (memory.prune()) this.needsRewrite = true;
    this.linesOnDisk = read.lines;
    if (read.skipped.length) {
      const aside = await setAside(this.file, bytes, options.clock.now(), { fs: options.fs });
      if (aside.created)
        options.report({
          kind: 'skipped-records',
          file: this.file,
          lines: read.skipped,
          aside: aside.name,
          message: skippedMessage(this.file, read.skipped, read.samples.length, aside.name),
        });
    }
    // Only a rewrite clears it: a failed write may have left records only memory has.
    if (read.needsRepair || merged.memoryOnly) this.needsRewrite = true;
    this.seen = id;
  }

  /** Under the lock: appends lines, or rewrites the whole file when due or grown well past the retention. */
  async persist(prepare: () => string[]): Promise<void> {
    try {
      await this.locked(async () => {
        await this.reconcile();
        const lines = prepare();
        // Samples and one line per day are needed; repeated activity lines for a day are garbage.
        const limit = 4 * this.memory.retention + 64;
        if (this.needsRewrite || this.linesOnDisk + lines.length > limit) {
          await this.rewrite();
          return;
        }
        if (!lines.length) return;
        await appendDurable(this.file, `${lines.join('\n')}\n`, { fs: this.options.fs });
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
    const memory = this.memory;
    // Samples being added go into this write; one that fails is kept by addSample.
    memory.adopt([...memory.pending]);
    // Everything in memory goes into this write; events after this point mark their day again.
    const dirty = [...memory.dirtyDays];
    memory.dirtyDays.clear();
    const { text, lines } = serialiseHistory(memory.samples, memory.days.values());
    this.needsRewrite = true;
    try {
      await writeFileAtomic(this.file, text, { fs: this.options.fs });
    } catch (err) {
      for (const day of dirty) if (memory.days.has(day)) memory.dirtyDays.add(day);
      throw err;
    }
    this.needsRewrite = false;
    memory.unsaved.clear();
    this.linesOnDisk = lines;
    this.seen = await this.identity();
  }
}
