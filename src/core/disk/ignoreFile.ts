// Reads one `.gitignore` (or `.git/info/exclude`) of a workspace folder, treating it as hostile
// input: the folder's content is not ours. A FIFO or device must not hang the reader (it is opened
// non-blocking and refused unless fstat says regular file), a huge file must not fill the heap
// (capped at IGNORE_FILE_CAP, refused above), and a symlink may only lead to a file inside the
// folder (a link to /etc/... or to another checkout would make this folder's counts depend on a
// file elsewhere). Every refusal is a value with one sentence; nothing throws.
//
// Synchronous on purpose: the reads are of small regular files (checked before reading), and the
// callers (the ignored-set walk, per batch of file events) are synchronous like the size tree's
// own lstat per event in diskTracker.ts.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { checkInside } from '../paths/inside';

/** Larger ignore files are refused (git's own are a few KiB; 1 MiB is far beyond any real one). */
export const IGNORE_FILE_CAP = 1024 * 1024;

export type IgnoreFileRead =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  /** Not used; `problem` says why in one sentence (without the path, which the caller adds). */
  | { kind: 'refused'; problem: string };

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Reads `relPath` of `folder` (folder-relative, '/'-separated) as an ignore file. */
export function readIgnoreFile(folder: string, relPath: string, cap = IGNORE_FILE_CAP): IgnoreFileRead {
  // Every symlink on the way resolved, then required to stay inside the folder's real path.
  const where = checkInside(folder, path.join(folder, ...relPath.split('/')));
  if (!where.inside) {
    if (where.missing) return { kind: 'missing' };
    return {
      kind: 'refused',
      problem: where.realPath === undefined ? 'cannot be resolved' : 'resolves to outside the folder',
    };
  }
  const target = where.realPath;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    fd = openSync(target, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'refused', problem: `cannot be read (${code ?? String(error)})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'refused', problem: 'is not a regular file' };
    if (st.size > cap) return { kind: 'refused', problem: `is larger than ${cap} bytes` };
    // Read at most cap + 1 bytes whatever fstat said: the file may grow while it is read.
    const buf = Buffer.alloc(Math.min(st.size, cap) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    if (got > cap) return { kind: 'refused', problem: `is larger than ${cap} bytes` };
    return { kind: 'text', text: buf.subarray(0, got).toString('utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'refused', problem: `cannot be read (${code ?? String(error)})` };
  } finally {
    closeSync(fd);
  }
}
