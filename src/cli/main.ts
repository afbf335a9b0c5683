// `workspace-usage`: the headless command over the same core as the extension.
// Exit codes: 0 fine, 1 a quota is exceeded (check), 2 a usage or configuration error.
import { runCheck, runUsage } from './usageCommand';
import { runRecords } from './recordsCommand';
import { runServe } from './serve/serveCommand';
import { CliError, type CliIO } from './io';

const HELP = `Usage: workspace-usage <command> [FOLDER] [options]

Commands:
  usage [FOLDER] [--json]            Disk usage per area and session, other, total, warnings.
  check [FOLDER]                     Exit 1 when any area or the folder exceeds its quota.
  records [FOLDER] [--log PATH] [--json]
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

FOLDER defaults to the current directory. Quotas come from FOLDER/.vscode/settings.json
(keys under "workspaceUsage.") unless overridden by flags.
`;

async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'usage':
        return await runUsage(rest, io);
      case 'check':
        return await runCheck(rest, io);
      case 'records':
        return await runRecords(rest, io);
      case 'serve':
        return await runServe(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
        io.stdout(`${process.env.WORKSPACE_USAGE_VERSION ?? 'dev'}\n`);
        return 0;
      default:
        throw new CliError(`unknown command "${command}" (expected usage, check, records or serve; see --help)`);
    }
  } catch (error) {
    const message = error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr(`workspace-usage: ${message}\n`);
    return 2;
  }
}

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`workspace-usage: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
