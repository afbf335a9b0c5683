// Durable file primitives for small stores that must never lose data: an atomic whole-file
// write (temporary file, fsync, rename, fsync of the folder) that leaves no temporary behind when
// it fails, a durable append that cuts a failed append back off, removal of temporaries a crash
// left, a set-aside copy of a damaged file kept once per distinct content, and an advisory lock
// file shared by processes (two editor windows on the same folder). The file system is
// injectable so tests can make any step fail (a full disk mid-write).
import { randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The part of a file handle used here (node's FileHandle fits). */
export interface DurableHandle {
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(len?: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** The part of `fs.promises` used here. */
export interface DurableFs {
  open(file: string, flags: string): Promise<DurableHandle>;
  readFile(file: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  link(existing: string, link: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  stat(file: string): Promise<{ size: number; mtimeMs: number; ino: number }>;
}

export const realFs: DurableFs = nodeFs as unknown as DurableFs;

export interface FsOption {
  fs?: DurableFs;
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;
const rand = (): string => randomBytes(6).toString('hex');

/** Makes a rename or create durable; unsupported on some systems (Windows), where it is skipped. */
export async function fsyncDir(dir: string, options: FsOption = {}): Promise<void> {
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
export function temporaryPrefix(file: string): string {
  return `${path.basename(file)}.tmp-`;
}

/**
 * Writes `data` to `file` atomically: at every moment `file` is the old or the new content. On
 * any failure the temporary file is removed and the error is thrown; `file` is untouched.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: FsOption = {}): Promise<void> {
  const fsx = options.fs ?? realFs;
  const tmp = path.join(path.dirname(file), `${temporaryPrefix(file)}${process.pid}-${rand()}`);
  let handle: DurableHandle | undefined;
  try {
    handle = await fsx.open(tmp, 'wx');
    await handle.writeFile(data);
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
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Keeps a copy of `content` (the damaged file as read) next to `file` as
 * `<name>.corrupt-<timestamp>`, unless a copy with the same bytes is there already (the same
 * damage seen again: a repair that failed, or a second window). Returns the copy's name.
 */
export async function setAside(file: string, content: Uint8Array, now: number, options: FsOption = {}): Promise<{ name: string; created: boolean }> {
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

// ---- the lock -------------------------------------------------------------------------------

export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

export interface LockOwner {
  pid: number;
  host: string;
  at: number;
  token: string;
}

export interface LockOptions extends FsOption {
  /** A lock older than this is broken whoever holds it (default 30 s). */
  staleMs?: number;
  /** Give up waiting after this (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 20 ms, plus up to as much again at random). */
  retryMs?: number;
  now?: () => number;
  /** Whether a process of this host is running (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

export interface FileLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours (it may have been broken as stale). */
  release(): Promise<void>;
}

export type LockResult =
  | { ok: true; lock: FileLock }
  | { ok: false; reason: 'timeout'; holder: LockOwner | undefined }
  | { ok: false; reason: 'error'; error: Error };

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return code(err) === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.at === 'number' && typeof v.host === 'string' && typeof v.token === 'string') return v as LockOwner;
  } catch {
    // torn or empty: judged by the file's age
  }
  return undefined;
}

/**
 * Takes the advisory lock of `file`: creates `<file>.lock` exclusively (O_EXCL) with the owner's
 * pid, host, time and a token. A lock whose owner is a dead process of this host, or that is older
 * than `staleMs`, is broken: renamed away, checked to be the one judged stale, then removed (and
 * put back when another process had replaced it in between).
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<LockResult> {
  const fsx = options.fs ?? realFs;
  const now = options.now ?? Date.now;
  const staleMs = options.staleMs ?? 30_000;
  const retryMs = options.retryMs ?? 20;
  const isAlive = options.isAlive ?? processIsAlive;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const lockPath = lockPathFor(file);
  const host = os.hostname();
  const deadline = now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const owner: LockOwner = { pid: process.pid, host, at: now(), token: rand() };
    const text = JSON.stringify(owner);
    let created = false;
    try {
      const handle = await fsx.open(lockPath, 'wx');
      created = true;
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return { ok: true, lock: { path: lockPath, owner, release: () => releaseLock(fsx, lockPath, text) } };
    } catch (err) {
      // A lock we created but could not fill (a full disk) would block everyone until stale.
      if (created) await fsx.unlink(lockPath).catch(() => undefined);
      if (code(err) !== 'EEXIST') return { ok: false, reason: 'error', error: err as Error };
    }
    let held: Buffer;
    let mtimeMs: number;
    try {
      held = await fsx.readFile(lockPath);
      mtimeMs = (await fsx.stat(lockPath)).mtimeMs;
    } catch (err) {
      if (code(err) === 'ENOENT') continue; // released in between
      return { ok: false, reason: 'error', error: err as Error };
    }
    const holder = parseOwner(held.toString('utf8'));
    const age = now() - (holder ? holder.at : mtimeMs);
    const dead = holder !== undefined && holder.host === host && holder.pid !== process.pid && !isAlive(holder.pid);
    if (dead || age > staleMs) {
      await breakLock(fsx, lockPath, held);
      continue;
    }
    if (now() >= deadline) return { ok: false, reason: 'timeout', holder };
    await sleep(retryMs + Math.random() * retryMs);
  }
}

async function breakLock(fsx: DurableFs, lockPath: string, judged: Buffer): Promise<void> {
  const aside = `${lockPath}.broken-${process.pid}-${rand()}`;
  try {
    await fsx.rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it first
  }
  try {
    const got = await fsx.readFile(aside);
    // Another process broke the stale lock and took a new one before our rename: give it back.
    if (Buffer.compare(got, judged) !== 0) await fsx.link(aside, lockPath).catch(() => undefined);
  } catch {
    // gone (a lock holder cleaning leftovers): nothing to give back
  } finally {
    await fsx.unlink(aside).catch(() => undefined);
  }
}

async function releaseLock(fsx: DurableFs, lockPath: string, text: string): Promise<void> {
  try {
    if ((await fsx.readFile(lockPath)).toString('utf8') === text) await fsx.unlink(lockPath);
  } catch {
    // already gone
  }
}

/** Runs `fn` holding the lock of `file`; throws when the lock cannot be had. */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const got = await acquireLock(file, options);
  if (!got.ok) {
    if (got.reason === 'error') throw got.error;
    const who = got.holder ? ` by process ${got.holder.pid} on ${got.holder.host}` : '';
    throw new Error(`${lockPathFor(file)} is held${who}; gave up waiting`);
  }
  try {
    return await fn();
  } finally {
    await got.lock.release();
  }
}
