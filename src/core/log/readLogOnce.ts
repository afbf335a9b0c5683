// The one-shot read of a usage log (the headless command): streamed in fixed-size chunks, so
// memory stays flat whatever the log's size; a final line without '\n' is parsed too.
import { open } from 'node:fs/promises';
import { LineSplitter } from './lineSplitter';
import { RecordReportBuilder, type RecordReport } from './recordReport';

export const READ_CHUNK_BYTES = 1 << 20;

/** Whether an error means "there is no log" (a normal state), not a failure. */
export function isMissingFileError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads the whole log at `path` into a report; a log that does not exist gives the empty report. */
export async function readLogOnce(path: string, builder = new RecordReportBuilder()): Promise<RecordReport> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissingFileError(error)) return builder.snapshot();
    throw error;
  }
  try {
    const splitter = new LineSplitter(builder);
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      splitter.push(buffer.subarray(0, bytesRead));
    }
    splitter.end();
  } finally {
    await handle.close();
  }
  return builder.snapshot();
}
