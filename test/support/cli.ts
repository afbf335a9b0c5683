// The CLI run in-process for tests: an IO that keeps what a command prints, and `workspace-usage
// ARGS` run through it to its exit code.
import type { CliIO } from '../../src/cli/io';
import { runCli } from '../../src/cli/run';

export type CapturedIO = CliIO & { out: string; err: string };

/** An IO in `cwd` (stderr not a terminal) collecting stdout in `out` and stderr in `err`; `more` adds test seams. */
export function captureIO(cwd: string, more: Partial<CliIO> = {}): CapturedIO {
  const io: CapturedIO = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    stderrIsTTY: false,
    cwd,
    ...more,
  };
  return io;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `workspace-usage ARGS` in `cwd`: its exit code and what it printed (usage errors included, as exit 2). */
export async function run(args: string[], cwd: string, more: Partial<CliIO> = {}, help = 'help\n'): Promise<CliRun> {
  const io = captureIO(cwd, more);
  const code = await runCli(args, io, help);
  return { code, out: io.out, err: io.err };
}
