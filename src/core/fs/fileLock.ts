// The advisory lock of a durable file (durableFile.ts): `<file>.lock`, created exclusively and
// shared by processes (two editor windows on the same folder), broken when its owner died or it
// is stale.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { realFs, type DurableFs, type FsOption } from './durableFs';

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;
const rand = (): string => randomBytes(6).toString('hex');

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

interface FileLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours (it may have been broken as stale). */
  release(): Promise<void>;
}

export type LockResult =
  | { ok: true; lock: FileLock }
  | { ok: false; reason: 'timeout'; holder: LockOwner | undefined }
  | { ok: false; reason: 'error'; error: Error };

function processIsAlive(pid: number): boolean {
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
    if (
      typeof v.pid === 'number' &&
      typeof v.at === 'number' &&
      typeof v.host === 'string' &&
      typeof v.token === 'string'
    )
      return v as LockOwner;
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
