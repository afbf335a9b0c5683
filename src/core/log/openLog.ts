// Opens a usage log for reading, refusing what is not a plain file and (in Restricted Mode)
// what resolves outside the workspace folder. Shared by the one-shot read and the tail.
// - O_NONBLOCK: opening a FIFO for reading blocks until a writer appears; with it the open
//   returns at once (a libuv pool thread stuck in open(2) outlives even process.exit).
// - fstat of the handle, not stat of the path: what is checked is what was opened.
// - Restricted: the real path is checked, then opened with O_NOFOLLOW (a link swapped in
//   meanwhile fails); on Linux the opened file's path is checked once more via /proc.
import { constants, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { checkInside, isPathWithin } from '../paths/inside';

export interface LogAccess {
  /** The workspace folder the log belongs to; needed for the inside-the-folder rule. */
  folder?: string;
  /** Read a log that resolves outside `folder` (a trusted workspace). Default false. */
  allowOutside?: boolean;
}

export type OpenLogResult =
  | { kind: 'open'; handle: FileHandle; stat: Stats }
  | { kind: 'missing' }
  /** Not read, and why, e.g. "the usage log /w/.yoi/usage.jsonl is not a regular file (FIFO)". */
  | { kind: 'rejected'; cause: RejectCause; reason: string };

/** 'outside': the folder's rule (allowOutside would read it); 'not-regular': never read. */
export type RejectCause = 'outside' | 'not-regular';

const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Whether an error means "there is no log" (a normal state), not a failure. */
function isMissingFileError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describeFileType(st: Stats): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic link';
  return 'unknown type';
}

function realOrSame(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The path of an open descriptor (Linux), or undefined where /proc does not tell. */
function openedPath(handle: FileHandle): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readlinkSync(`/proc/self/fd/${handle.fd}`);
  } catch {
    return undefined;
  }
}

/** Opens `file` when it is a regular file (and inside `access.folder` unless allowed outside). */
export async function openLog(file: string, access: LogAccess = {}): Promise<OpenLogResult> {
  const restricted = access.folder !== undefined && access.allowOutside !== true;
  let target = file;
  let realRoot: string | undefined;
  if (restricted) {
    const check = checkInside(access.folder!, file);
    if (!check.inside)
      return check.missing
        ? { kind: 'missing' }
        : { kind: 'rejected', cause: 'outside', reason: `the usage log ${check.reason}` };
    target = check.realPath;
    realRoot = check.realRoot;
  }
  let handle: FileHandle;
  try {
    handle = await open(target, restricted ? READ_FLAGS | NOFOLLOW : READ_FLAGS);
  } catch (error) {
    if (isMissingFileError(error)) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP' && restricted) {
      return {
        kind: 'rejected',
        cause: 'outside',
        reason: `the usage log ${file} became a symbolic link while being opened`,
      };
    }
    throw error;
  }
  let keep = false;
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const real = realOrSame(target);
      const where = real === file ? '' : `, at ${real}`;
      return {
        kind: 'rejected',
        cause: 'not-regular',
        reason: `the usage log ${file} is not a regular file (${describeFileType(st)}${where})`,
      };
    }
    const opened = realRoot !== undefined ? openedPath(handle) : undefined;
    if (opened !== undefined && !isPathWithin(realRoot!, opened)) {
      return {
        kind: 'rejected',
        cause: 'outside',
        reason: `the usage log ${file} resolves to ${opened}, outside the folder ${realRoot}`,
      };
    }
    keep = true;
    return { kind: 'open', handle, stat: st };
  } finally {
    if (!keep) await handle.close();
  }
}
