// Durable file primitives for small stores that must never lose data: an atomic whole-file
// write (temporary file, fsync, rename, fsync of the folder) that leaves no temporary behind when
// it fails, a durable append that cuts a failed append back off, removal of temporaries a crash
// left, a set-aside copy of a damaged file kept once per distinct content, and an advisory lock
// file shared by processes (two editor windows on the same folder; fileLock.ts). The file system
// is injectable (durableFs.ts) so tests can make any step fail (a full disk mid-write).
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { realFs, type DurableHandle, type FsOption } from './durableFs';
import { lockPathFor } from './fileLock';

export { realFs, type DurableFs, type DurableHandle, type FsOption } from './durableFs';
export { acquireLock, lockPathFor, withLock, type LockOptions, type LockOwner } from './fileLock';

const rand = (): string => randomBytes(6).toString('hex');

/** Makes a rename or create durable; unsupported on some systems (Windows), where it is skipped. */
async function fsyncDir(dir: string, options: FsOption = {}): Promise<void> {
  const fsx = options.fs ?? realFs;
  let handle: DurableHandle | undefined;
  try {
    handle = await fsx.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Prefix of the temporaries of `file` (see removeStrayTemporaries). */
function temporaryPrefix(file: string): string {
  return `${path.basename(file)}.tmp-`;
}

/**
 * Writes `data` to `file` atomically: at every moment `file` is the old or the new content. On
 * any failure the temporary file is removed and the error is thrown; `file` is untouched.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: FsOption = {},
): Promise<void> {
  const fsx = options.fs ?? realFs;
  const tmp = path.join(path.dirname(file), `${temporaryPrefix(file)}${process.pid}-${rand()}`);
  let handle: DurableHandle | undefined;
  try {
    handle = await fsx.open(tmp, 'wx');
    // Parts are written one after the other (each write continues where the last ended), so a
    // large file need not be joined into one buffer first.
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const part of data) await handle.writeFile(part);
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    await fsx.rename(tmp, file);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsx.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(path.dirname(file), options);
}

/**
 * Appends `data` and syncs it. When the write or the sync fails (a full disk), whatever part of
 * it reached the file is cut off again, so the file ends where it ended before; then it throws,
 * with `appendRepaired: false` on the error when that cut failed too (the caller should then
 * rewrite the file whole).
 */
export async function appendDurable(file: string, data: string | Uint8Array, options: FsOption = {}): Promise<void> {
  const fsx = options.fs ?? realFs;
  const handle = await fsx.open(file, 'a');
  let before: number | undefined;
  try {
    before = (await handle.stat()).size;
    await handle.writeFile(data);
    await handle.datasync();
  } catch (err) {
    let repaired = false;
    if (before !== undefined) {
      try {
        await handle.truncate(before);
        await handle.datasync();
        repaired = true;
      } catch {
        // reported below
      }
    }
    (err as { appendRepaired?: boolean }).appendRepaired = repaired;
    throw err;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Removes temporaries of `file` (and leftovers of broken locks) that a crash left. Only call it
 * while holding the file's lock: another writer's temporary is in use until its rename.
 */
export async function removeStrayTemporaries(file: string, options: FsOption = {}): Promise<string[]> {
  const fsx = options.fs ?? realFs;
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = await fsx.readdir(dir);
  } catch {
    return [];
  }
  const prefixes = [temporaryPrefix(file), `${path.basename(lockPathFor(file))}.broken-`];
  const stray = names.filter((n) => prefixes.some((p) => n.startsWith(p)));
  const removed: string[] = [];
  for (const n of stray) {
    try {
      await fsx.unlink(path.join(dir, n));
      removed.push(n);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

function timestampForName(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Keeps a copy of `content` (the damaged file as read) next to `file` as
 * `<name>.corrupt-<timestamp>`, unless a copy with the same bytes is there already (the same
 * damage seen again: a repair that failed, or a second window). Returns the copy's name.
 */
export async function setAside(
  file: string,
  content: Uint8Array,
  now: number,
  options: FsOption = {},
): Promise<{ name: string; created: boolean }> {
  const fsx = options.fs ?? realFs;
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.corrupt-`;
  const names = (await fsx.readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).sort();
  for (const n of names) {
    try {
      const st = await fsx.stat(path.join(dir, n));
      if (st.size !== content.length) continue;
      if (Buffer.compare(await fsx.readFile(path.join(dir, n)), content) === 0) return { name: n, created: false };
    } catch {
      // unreadable: not a match
    }
  }
  const base = `${prefix}${timestampForName(now)}`;
  let name = base;
  for (let n = 2; names.includes(name); n++) name = `${base}-${n}`;
  await writeFileAtomic(path.join(dir, name), content, options);
  return { name, created: true };
}
