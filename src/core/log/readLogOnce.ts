// The one-shot read of a usage log (the headless command): streamed in fixed-size chunks, so
// memory stays flat whatever the log's size; a final line without '\n' is parsed too. Only a
// regular file is read (see openLog), and only up to the size it had when opened: a log that
// keeps growing (or lies about its size) cannot make the read endless.
import { LineSplitter, type LineSplitterOptions } from './lineSplitter';
import { openLog, type LogAccess, type RejectCause } from './openLog';
import { RecordReportBuilder, type RecordReport } from './recordReport';

export const READ_CHUNK_BYTES = 1 << 20;

/** The folder rule, and the line cap (a BOM at the start of the file is always skipped). */
export interface ReadLogOptions extends LogAccess {
  maxLineBytes?: LineSplitterOptions['maxLineBytes'];
}

export type ReadLogResult =
  /** `exists` false: there is no log, and the report is empty (a normal state). */
  | { ok: true; report: RecordReport; exists: boolean; bytesRead: number }
  /** Nothing was read: not a regular file, or outside the folder in Restricted Mode. */
  | { ok: false; cause: RejectCause; reason: string };

/** Reads the whole log at `path` into a report; a log that does not exist gives the empty report. */
export async function readLog(
  path: string,
  options: ReadLogOptions = {},
  builder = new RecordReportBuilder(),
): Promise<ReadLogResult> {
  const opened = await openLog(path, options);
  if (opened.kind === 'missing') return { ok: true, report: builder.snapshot(), exists: false, bytesRead: 0 };
  if (opened.kind === 'rejected') return { ok: false, cause: opened.cause, reason: opened.reason };
  const { handle, stat } = opened;
  let position = 0;
  try {
    const splitter = new LineSplitter(builder, { maxLineBytes: options.maxLineBytes, skipBom: true });
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_CHUNK_BYTES, stat.size)));
    while (position < stat.size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, stat.size - position), position);
      if (bytesRead === 0) break; // shrank meanwhile
      position += bytesRead;
      splitter.push(buffer.subarray(0, bytesRead));
    }
    splitter.end();
  } finally {
    await handle.close();
  }
  return { ok: true, report: builder.snapshot(), exists: true, bytesRead: position };
}

/** readLog for callers that want the report or an exception (the bench, older tests). */
export async function readLogOnce(
  path: string,
  builder = new RecordReportBuilder(),
  options: ReadLogOptions = {},
): Promise<RecordReport> {
  const result = await readLog(path, options, builder);
  if (!result.ok) throw new Error(result.reason);
  return result.report;
}
