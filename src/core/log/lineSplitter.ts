// Splits the log's bytes into lines at '\n' (byte level) and feeds them to a report builder.
// Chunks of valid UTF-8 are decoded in one go (0x0A never occurs inside a multi-byte sequence,
// so splitting the decoded text is the same as splitting the bytes); a chunk holding invalid
// bytes is split line by line, so that only the lines with invalid bytes are malformed.
// Hostile input: a line longer than `maxLineBytes` is never held in memory (only a short excerpt
// is kept while its bytes are counted) and becomes one malformed line; with `skipBom` (set by
// the file readers, readLog and LogTail) a UTF-8 byte order mark at the very start of the log is
// skipped (editors on Windows write one). Without it a line of U+FEFF is malformed, as in the
// source, whose trim() does not count U+FEFF as whitespace.
import { isUtf8 } from 'node:buffer';
import { SAMPLE_TEXT_CHARS, type RecordReportBuilder } from './recordReport';

const NL = 10;
const BOM = [0xef, 0xbb, 0xbf];
/** Bytes kept of an over-long line: enough for the sample's SAMPLE_TEXT_CHARS characters. */
const EXCERPT_BYTES = 4 * SAMPLE_TEXT_CHARS;

/** Longest line read by default (bytes, without its '\n'); a real event is a few hundred bytes. */
const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export interface LineSplitterOptions {
  /** Lines longer than this many bytes (without '\n') are skipped as malformed. Default 1 MiB. */
  maxLineBytes?: number;
  /** Skip a UTF-8 BOM (EF BB BF) at the very start of the bytes; line numbers are unchanged. */
  skipBom?: boolean;
}

/** "1 MiB", "64 KiB", "1000 bytes". */
function formatByteCap(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

export class LineSplitter {
  /** Bytes of the unterminated last line, copied (never more than maxLineBytes in all). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside an over-long line: its bytes are counted, not kept (but for the excerpt). */
  private skipping = false;
  private skippedBytes = 0;
  private excerpt: Buffer = Buffer.alloc(0);
  /** Still at the start of the log, and how many bytes of a BOM were matched there. */
  private atStart: boolean;
  private bomMatched = 0;
  private readonly skipBom: boolean;
  /** Number of the last line handed to the builder. */
  lineNo = 0;
  readonly maxLineBytes: number;

  constructor(
    private readonly builder: RecordReportBuilder,
    options: LineSplitterOptions = {},
  ) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxLineBytes = Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_LINE_BYTES;
    this.skipBom = options.skipBom === true;
    this.atStart = this.skipBom;
  }

  /** Bytes held back because their line has no '\n' yet (an over-long line holds only its excerpt). */
  get heldBytes(): number {
    return this.skipping ? this.excerpt.length : this.pendingBytes;
  }

  reset(): void {
    this.clearHeld();
    this.atStart = this.skipBom;
    this.bomMatched = 0;
    this.lineNo = 0;
  }

  /** Feeds the complete lines of `chunk` (which the caller may reuse afterwards). */
  push(chunk: Uint8Array): void {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.atStart) buf = this.stripBom(buf);
    if (buf.length > 0) this.feed(buf);
  }

  /** Feeds the final unterminated line, if any (a one-shot read does; a tail waits for its '\n'). */
  end(): void {
    if (this.atStart) this.giveBackBom();
    if (this.skipping || this.pendingBytes > 0) this.finishLine(Buffer.alloc(0));
  }

  /** Drops the leading bytes of a BOM; a chunk may end inside it (a tail reads what is there). */
  private stripBom(buf: Buffer): Buffer {
    let i = 0;
    while (i < buf.length && this.bomMatched < BOM.length) {
      if (buf[i] !== BOM[this.bomMatched]) {
        this.giveBackBom();
        return buf.subarray(i);
      }
      this.bomMatched++;
      i++;
    }
    if (this.bomMatched === BOM.length) this.atStart = false;
    return buf.subarray(i);
  }

  /** Not a BOM after all: the bytes matched so far are data. */
  private giveBackBom(): void {
    this.atStart = false;
    const matched = this.bomMatched;
    this.bomMatched = 0;
    if (matched > 0) this.feed(Buffer.from(BOM.slice(0, matched)));
  }

  private feed(buf: Buffer): void {
    let start = 0;
    if (this.skipping || this.pendingBytes > 0) {
      const first = buf.indexOf(NL);
      if (first === -1) {
        this.hold(buf);
        return;
      }
      this.finishLine(buf.subarray(0, first));
      start = first + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last >= start) this.lines(buf, start, last);
    const rest = last >= start ? last + 1 : start;
    if (rest < buf.length) this.hold(buf.subarray(rest));
  }

  private clearHeld(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
    this.skippedBytes = 0;
    this.excerpt = Buffer.alloc(0);
  }

  private hold(bytes: Buffer): void {
    if (this.skipping) {
      this.skippedBytes += bytes.length;
      return;
    }
    const total = this.pendingBytes + bytes.length;
    if (total > this.maxLineBytes) {
      this.pending.push(bytes);
      this.excerpt = Buffer.concat(this.pending, Math.min(EXCERPT_BYTES, total)); // a copy
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      this.skippedBytes = total;
      return;
    }
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes = total;
  }

  /** The held line, completed by `tail` (its bytes up to the '\n'). */
  private finishLine(tail: Buffer): void {
    const total = (this.skipping ? this.skippedBytes : this.pendingBytes) + tail.length;
    if (this.skipping || total > this.maxLineBytes) {
      const excerpt = this.skipping
        ? this.excerpt
        : Buffer.concat([...this.pending, tail], Math.min(EXCERPT_BYTES, total));
      this.clearHeld();
      this.tooLong(excerpt, total);
      return;
    }
    this.pending.push(tail);
    const line = Buffer.concat(this.pending, total);
    this.clearHeld();
    this.builder.addLine(line, ++this.lineNo);
  }

  private tooLong(excerpt: Buffer, bytes: number): void {
    this.builder.addMalformed(
      ++this.lineNo,
      `line longer than ${formatByteCap(this.maxLineBytes)} (${bytes} bytes)`,
      excerpt.toString('utf8'),
    );
  }

  /** The complete lines in buf[start, last), `last` being the index of the final '\n'. */
  private lines(buf: Buffer, start: number, last: number): void {
    // No line can be longer than the whole span: the common case, one fast block.
    if (last - start <= this.maxLineBytes) {
      this.block(buf.subarray(start, last));
      return;
    }
    let runStart = start;
    let from = start;
    while (from <= last) {
      const nl = buf.indexOf(NL, from); // never -1 nor past `last` while from <= last
      if (nl - from > this.maxLineBytes) {
        if (from > runStart) this.block(buf.subarray(runStart, from - 1));
        this.tooLong(buf.subarray(from, from + EXCERPT_BYTES), nl - from);
        runStart = nl + 1;
      }
      from = nl + 1;
    }
    if (runStart <= last) this.block(buf.subarray(runStart, last));
  }

  /** Complete lines separated by '\n' (the last one's '\n' excluded). */
  private block(bytes: Buffer): void {
    const builder = this.builder;
    if (isUtf8(bytes)) {
      const text = bytes.toString('utf8');
      let lineNo = this.lineNo;
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        const end = nl === -1 ? text.length : nl;
        const cut = end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        builder.addText(text.slice(from, cut), ++lineNo);
        if (nl === -1) break;
        from = nl + 1;
      }
      this.lineNo = lineNo;
      return;
    }
    let from = 0;
    for (;;) {
      const nl = bytes.indexOf(NL, from);
      const end = nl === -1 ? bytes.length : nl;
      builder.addLine(bytes.subarray(from, end), ++this.lineNo);
      if (nl === -1) break;
      from = nl + 1;
    }
  }
}
