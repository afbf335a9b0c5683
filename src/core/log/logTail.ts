// Follows a usage log live: each poll reads only the bytes appended since the last one (from the
// saved offset), holds an unterminated last line until its '\n' arrives, and rebuilds the report
// from the start when the file was truncated (smaller than the offset), replaced (another inode,
// or its first bytes changed), deleted or created. A log that does not exist is a normal state.
// A path that is not a regular file (FIFO, device), or that resolves outside the folder in
// Restricted Mode, is not read: the poll says why in `error` (see openLog). Each poll reads up
// to the size seen when it opened the file; what is appended meanwhile is the next poll's.
import type { FileHandle } from 'node:fs/promises';
import { LineSplitter, type LineSplitterOptions } from './lineSplitter';
import { openLog, type LogAccess } from './openLog';
import { READ_CHUNK_BYTES } from './readLogOnce';
import { RecordReportBuilder } from './recordReport';

type TailResetReason = 'truncated' | 'replaced' | 'deleted' | 'created' | 'rejected';

/** `folder` + `allowOutside` (Restricted Mode: pass allowOutside = trusted), and the line cap. */
export interface LogTailOptions extends LogAccess {
  maxLineBytes?: LineSplitterOptions['maxLineBytes'];
}

export interface TailUpdate {
  /** Bytes of log data read by this poll (the appended bytes; the leading-bytes check is not counted). */
  bytesRead: number;
  /** Valid events added to the report (after a reset: all events of the rebuilt report). */
  newEvents: number;
  /** The report was cleared (and rebuilt from the start when the log exists). */
  reset: boolean;
  reason?: TailResetReason;
  /** Whether the log exists now (true as well when something is there but was rejected). */
  exists: boolean;
  /** Why the log was not read (not a regular file; outside the folder); the report is then empty. */
  error?: string;
}

/** How many leading bytes are compared on each poll to notice a log rewritten in place. */
const HEAD_BYTES = 64;

export class LogTail {
  readonly builder: RecordReportBuilder;
  private readonly splitter: LineSplitter;
  /** Bytes of the file consumed (complete lines fed, plus the held unterminated line). */
  private offset = 0;
  private ino: number | undefined;
  private dev: number | undefined;
  /** The file's first bytes as read (up to HEAD_BYTES). */
  private head: Buffer = Buffer.alloc(0);
  /** Whether the log existed at the last poll; undefined before the first. */
  private existed: boolean | undefined;
  private running: Promise<TailUpdate> | undefined;
  private queued: Promise<TailUpdate> | undefined;
  private disposed = false;
  private buffer: Buffer | undefined;

  constructor(
    readonly path: string,
    builder: RecordReportBuilder = new RecordReportBuilder(),
    private readonly options: LogTailOptions = {},
  ) {
    this.builder = builder;
    this.splitter = new LineSplitter(builder, { maxLineBytes: options.maxLineBytes, skipBom: true });
  }

  /** Bytes of the file read so far (the read position). */
  get position(): number {
    return this.offset;
  }

  /**
   * Reads what was appended since the last poll. Polls never overlap: a poll requested while
   * one runs waits for it and then runs once for every request made meanwhile (coalesced).
   */
  poll(): Promise<TailUpdate> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.start();
        });
      return this.queued;
    }
    return this.start();
  }

  dispose(): void {
    this.disposed = true;
    this.buffer = undefined;
  }

  private start(): Promise<TailUpdate> {
    const run = this.pollOnce().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private restart(): void {
    this.builder.reset();
    this.splitter.reset();
    this.offset = 0;
    this.head = Buffer.alloc(0);
  }

  private async pollOnce(): Promise<TailUpdate> {
    if (this.disposed) return { bytesRead: 0, newEvents: 0, reset: false, exists: this.existed ?? false };
    const opened = await openLog(this.path, this.options);
    if (opened.kind === 'missing') return this.missing();
    if (opened.kind === 'rejected') return this.rejected(opened.reason);
    const { handle, stat: st } = opened;
    try {
      let reason: TailResetReason | undefined;
      if (this.existed === false) reason = 'created';
      else if (this.ino !== undefined && (st.ino !== this.ino || st.dev !== this.dev)) reason = 'replaced';
      else if (st.size < this.offset) reason = 'truncated';
      else if (this.head.length > 0 && !(await this.sameHead(handle))) reason = 'replaced';
      if (reason) this.restart();
      this.existed = true;
      this.ino = st.ino;
      this.dev = st.dev;
      const before = reason ? 0 : this.builder.eventCount;
      const bytesRead = await this.readToEnd(handle, st.size);
      const update: TailUpdate = {
        bytesRead,
        newEvents: this.builder.eventCount - before,
        reset: reason !== undefined,
        exists: true,
      };
      if (reason) update.reason = reason;
      return update;
    } finally {
      await handle.close();
    }
  }

  private missing(): TailUpdate {
    const wasThere = this.existed === true;
    this.existed = false;
    this.ino = undefined;
    this.dev = undefined;
    if (!wasThere) return { bytesRead: 0, newEvents: 0, reset: false, exists: false };
    this.restart();
    return { bytesRead: 0, newEvents: 0, reset: true, reason: 'deleted', exists: false };
  }

  private rejected(error: string): TailUpdate {
    const hadData = this.existed === true;
    this.existed = false; // so that a regular file appearing later counts as 'created'
    this.ino = undefined;
    this.dev = undefined;
    if (!hadData) return { bytesRead: 0, newEvents: 0, reset: false, exists: true, error };
    this.restart();
    return { bytesRead: 0, newEvents: 0, reset: true, reason: 'rejected', exists: true, error };
  }

  private async sameHead(handle: FileHandle): Promise<boolean> {
    const now = Buffer.allocUnsafe(this.head.length);
    const { bytesRead } = await handle.read(now, 0, now.length, 0);
    return bytesRead === now.length && now.equals(this.head);
  }

  private async readToEnd(handle: FileHandle, size: number): Promise<number> {
    let total = 0;
    const want = Math.max(size - this.offset, 0);
    if (!this.buffer || (this.buffer.length < READ_CHUNK_BYTES && this.buffer.length < want)) {
      this.buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(want, 16 * 1024)));
    }
    const buffer = this.buffer;
    while (this.offset < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
      if (bytesRead === 0) break; // shrank meanwhile: the next poll notices
      const chunk = buffer.subarray(0, bytesRead);
      if (this.head.length < HEAD_BYTES && this.offset < HEAD_BYTES) {
        this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.offset)]);
      }
      this.offset += bytesRead;
      total += bytesRead;
      this.splitter.push(chunk);
    }
    return total;
  }
}
