// `workspace-usage`: the headless command over the same core as the extension.
// Exit codes: 0 fine, 1 a quota is exceeded (check), 2 a usage or configuration error,
// 3 an incomplete measurement (check; 1 wins when what was measured already exceeds a quota).
import type { CliIO } from './io';
import { runCli } from './run';

const HELP = `Usage: workspace-usage <command> [FOLDER] [options]

Commands:
  usage [FOLDER] [--json]            Disk usage per area and session, other, total, warnings.
  check [FOLDER]                     Exit 1 when any area or the folder exceeds its quota,
                                     3 when the measurement is incomplete (see Exit codes).
  records [FOLDER] [--log PATH] [--allow-outside] [--json]
                                     Memory records: uses, last use, resident exposure tokens.
  serve [FOLDER] [--host 127.0.0.1] [--port 8787] [--token-file F] [--state-dir DIR]
                                     HTTP server: arawn's workstream usage API, storage sizes and
                                     history, quota stats, Prometheus /metrics; kept live by a watcher.
                                     A non-loopback --host needs --token-file (Bearer token).

Options for usage and check:
  --quota NAME=SIZE                  Override an area's quota (repeatable), e.g. --quota work=1GB.
  --folder-quota SIZE                Override the whole-folder quota.
  --warning-fraction N               Override the default warning fraction (0 < N <= 1).
  --exclude GLOB                     Leave matching paths out (repeatable).
  -x, --one-file-system              Do not enter folders on other file systems (like du -x).
  --git-ignore                       Leave paths ignored by .gitignore files out of every count
                                     (shown as "excluded (.gitignore)"; serve takes it too).

Options for records:
  --log PATH                         Read this usage log (wherever it is) instead of the folder's.
  --allow-outside                    Read the folder's usage log and record files even when they
                                     resolve outside FOLDER (symlinks); refused otherwise. The log
                                     must be a regular file (a FIFO or device is refused), and
                                     lines over 1 MiB are skipped as malformed.

FOLDER defaults to the current directory (an empty FOLDER is an error). Quotas come from
FOLDER/.vscode/settings.json (keys under "workspaceUsage.") unless overridden by flags.

What is counted: regular files, each inode once (hard links, and folders reached twice through
a bind mount: counted at the first path met, the others named on stderr). Symlinks are not
followed. Mount points are crossed unless --one-file-system. Sizes are exact to the byte.
A folder that cannot be read, or that is moved or deleted while the scan runs (looked for once
more in its parent), makes the measurement incomplete: it is named on stderr, usage prints an
"incomplete:" line (--json: "incomplete": true and "skipped": [{path, reason}]), and check exits
3. Names are printed with control characters escaped (ESC as \\e, newline as \\n).

Exit codes:
  0  fine (check: every quota holds; usage: also when incomplete, which its output says)
  1  check: a quota is exceeded. This wins over 3: when what was measured already exceeds a
     quota, the bytes that could not be measured can only add to it.
  2  bad usage or configuration (one line on stderr)
  3  check: incomplete measurement and no quota exceeded by what was measured (reasons on stderr)
`;

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
};

/**
 * A one-shot command ends the process once its output is written, without waiting for Node's own
 * teardown (the scan's workers joined, a heap of a few hundred MB freed): on the 200,000-file tree
 * that wait was about 50 ms of a 950 ms run (bench/cli.ts, interleaved medians of 11). `serve`
 * ends its own way, after its server and stores are closed. The empty writes call back once
 * everything written before them is flushed (pipes are asynchronous on some systems).
 */
function exitWhenWritten(code: number): void {
  process.exitCode = code;
  if (process.argv[2] === 'serve') return;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

runCli(process.argv.slice(2), io, HELP).then(exitWhenWritten, (error) => {
  process.stderr.write(`workspace-usage: ${String(error)}\n`);
  exitWhenWritten(2);
});
