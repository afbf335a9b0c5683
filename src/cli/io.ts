// What a CLI command needs from its process, injectable so tests can run commands in-process.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ScanOptions } from '../core/disk/scanner';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress goes to stderr only when it is a terminal. */
  stderrIsTTY: boolean;
  cwd: string;
  /** Test seam: hooks passed to the disk scan (to change the disk while it runs). */
  scan?: Pick<ScanOptions, 'afterList' | 'fs'>;
  /** The scan worker bundle for usage and check; default: scanWorker.js beside the running script. '' for none. */
  workerPath?: string;
}

/** A usage or configuration error: printed as one line, exit code 2. */
export class CliError extends Error {}

/** Exit codes of `check` (and of every command for usage errors). */
export const EXIT = { ok: 0, exceeded: 1, usage: 2, incomplete: 3 } as const;

/** node:util's parseArgs with positionals allowed, its errors turned into usage errors (exit 2). */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
