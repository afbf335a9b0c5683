// Follows a usage log live: each poll reads only the bytes appended since the last one (from the
// saved offset), holds an unterminated last line until its '\n' arrives, and rebuilds the report
// from the start when the file was truncated (smaller than the offset), replaced (another inode,
// or its first bytes changed), deleted or created. A log that does not exist is a normal state.
import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter } from './lineSplitter';
import { isMissingFileError, READ_CHUNK_BYTES } from './readLogOnce';
import { RecordReportBuilder } from './recordReport';

export type TailResetReason = 'truncated' | 'replaced' | 'deleted' | 'created';

export interface TailUpdate {
  /** Bytes of log data read by this poll (the appended bytes; the leading-bytes check is not counted). */
  bytesRead: number;
  /** Valid events added to the report (after a reset: all events of the rebuilt report). */
  newEvents: number;
  /** The report was cleared (and rebuilt from the start when the log exists). */
  reset: boolean;
  reason?: TailResetReason;
  /** Whether the log exists now. */
  exists: boolean;
}

/** How many leading bytes are compared on each poll to notice a log rewritten in place. */
export const HEAD_BYTES = 64;

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
  ) {
    this.builder = builder;
    this.splitter = new LineSplitter(builder);
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
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (!isMissingFileError(error)) throw error;
      return this.missing();
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new Error(`${this.path} is not a file`);
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
      const update: TailUpdate = { bytesRead, newEvents: this.builder.eventCount - before, reset: reason !== undefined, exists: true };
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
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
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
