// The command line's dispatch, apart from the process (main.ts) so tests run it in-process:
// usage errors (CliError and anything unexpected) become one line on stderr and exit code 2.
import { escapeTerminal } from '../core/format/terminal';
import { CliError, type CliIO } from './io';
import { runCheck, runUsage } from './usageCommand';

// records and serve are loaded when run: `usage` and `check` do not pay for the server's modules
// (prom-client, chokidar, the history store) at every start (measured in bench/cli.ts).

export async function runCli(argv: string[], io: CliIO, help: string): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'usage':
        return await runUsage(rest, io);
      case 'check':
        return await runCheck(rest, io);
      case 'records':
        return await (await import('./recordsCommand')).runRecords(rest, io);
      case 'serve':
        return await (await import('./serve/serveCommand')).runServe(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(help);
        return command === undefined ? 2 : 0;
      case '--version':
        io.stdout(`${process.env.WORKSPACE_USAGE_VERSION ?? 'dev'}\n`);
        return 0;
      default:
        throw new CliError(`unknown command "${command}" (expected usage, check, records or serve; see --help)`);
    }
  } catch (error) {
    const message = error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr(`workspace-usage: ${escapeTerminal(message)}\n`);
    return 2;
  }
}
