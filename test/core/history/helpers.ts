import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Runs `fn` with process.env.TZ set (Node applies it at once), then restores it. */
export function withTimeZone<T>(tz: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = tz;
  const restore = (): void => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'wu-history-'));
}

export const MB = 1024 ** 2;
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
