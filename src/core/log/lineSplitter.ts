// Splits the log's bytes into lines at '\n' (byte level) and feeds them to a report builder.
// Chunks of valid UTF-8 are decoded in one go (0x0A never occurs inside a multi-byte sequence,
// so splitting the decoded text is the same as splitting the bytes); a chunk holding invalid
// bytes is split line by line, so that only the lines with invalid bytes are malformed.
import { isUtf8 } from 'node:buffer';
import type { RecordReportBuilder } from './recordReport';

const NL = 10;

export class LineSplitter {
  /** Bytes of the unterminated last line, copied. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Number of the last line handed to the builder. */
  lineNo = 0;

  constructor(private readonly builder: RecordReportBuilder) {}

  /** Bytes held back because their line has no '\n' yet. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.lineNo = 0;
  }

  /** Feeds the complete lines of `chunk` (which the caller may reuse afterwards). */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const first = buf.indexOf(NL);
    if (first === -1) {
      this.hold(buf);
      return;
    }
    let start = 0;
    if (this.pendingBytes > 0) {
      this.pending.push(buf.subarray(0, first));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.builder.addLine(line, ++this.lineNo);
      start = first + 1;
    }
    const last = buf.lastIndexOf(NL);
    if (last >= start) this.block(buf.subarray(start, last));
    if (last + 1 < buf.length) this.hold(buf.subarray(last + 1));
  }

  /** Feeds the final unterminated line, if any (a one-shot read does; a tail waits for its '\n'). */
  end(): void {
    if (this.pendingBytes === 0) return;
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.builder.addLine(line, ++this.lineNo);
  }

  private hold(bytes: Buffer): void {
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
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
