// What a CLI command needs from its process, injectable so tests can run commands in-process.
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
