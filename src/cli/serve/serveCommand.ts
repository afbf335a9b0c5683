// `workspace-usage serve [FOLDER]`: a long-running HTTP server over the same core as the
// extension. One FolderMonitor scans the folder once (worker pool), then follows changes through
// chokidar and the incremental size tree; requests are answered from memory. The usage history
// lives in --state-dir and is flushed on SIGINT/SIGTERM.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { parseJsonc, settingsFromJson, type Settings } from '../../core/config/settings';
import { HistoryRecorder, historyDirName, type FolderHistory } from '../../core/history/historyRecorder';
import { FolderMonitor } from '../../core/monitor/folderMonitor';
import {
  figuresOf,
  monitorFiguresOf,
  servedSampleOf,
  type Figures,
  type MonitorFigures,
} from '../../core/workstreams/figures';
import { detectLayout, settingsForLayout } from '../../core/workstreams/layout';
import { CliError, parseCliArgs, type CliIO } from '../io';
import { bundledWorkerPath } from '../scanPath';
import { createMetrics } from './metrics';
import { createServeServer } from './server';

export interface ServeOptions {
  folder: string;
  host: string;
  port: number;
  token?: string;
  stateDir: string;
  /** --git-ignore: leave what .gitignore files ignore out of the counts (or the setting). */
  gitIgnore?: boolean;
}

/** Loopback names and addresses: the only binds allowed without a token. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)
      ? env.XDG_STATE_HOME
      : path.join(homedir(), '.local', 'state');
  return path.join(base, 'workspace-usage');
}

export function parseServeArgs(argv: string[], io: CliIO): ServeOptions {
  const { values, positionals } = parseCliArgs(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8787' },
    'token-file': { type: 'string' },
    'state-dir': { type: 'string' },
    'git-ignore': { type: 'boolean', default: false },
  });
  if (positionals.length > 1) throw new CliError(`expected one FOLDER, got ${positionals.length}`);
  const folder = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new CliError(`${folder} is not a folder`);
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port!) || port > 65535)
    throw new CliError(`--port expects a port number from 0 to 65535; got "${values.port}"`);
  let token: string | undefined;
  if (values['token-file'] !== undefined) {
    const file = path.resolve(io.cwd, values['token-file']);
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new CliError(`--token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (token.length < 16 || /\s/.test(token))
      throw new CliError(`--token-file ${file}: the token must be one word of at least 16 characters`);
  }
  const host = values.host!;
  if (!isLoopback(host) && token === undefined) {
    throw new CliError(
      `refusing to serve on ${host} without --token-file: anyone who reaches it could read the folder's sizes and names (bind 127.0.0.1, or give a token file)`,
    );
  }
  const stateDir = values['state-dir'] !== undefined ? path.resolve(io.cwd, values['state-dir']) : defaultStateDir();
  return { folder, host, port, token, stateDir, gitIgnore: Boolean(values['git-ignore']) };
}

function loadSettings(folder: string): Settings {
  const file = path.join(folder, '.vscode', 'settings.json');
  let json: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      json = (parseJsonc(readFileSync(file, 'utf8')) as Record<string, unknown>) ?? {};
    } catch (error) {
      throw new CliError(`${file}: ${(error as Error).message}`);
    }
  }
  const { settings, errors } = settingsFromJson(json);
  if (errors.length) throw new CliError(`${file}: ${errors[0].problem}`);
  return settings;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Scans, then listens; resolves once `listening on …` is printed. */
export async function startServe(
  options: ServeOptions,
  io: CliIO,
  workerPath: string,
  signal?: AbortSignal,
): Promise<RunningServer | undefined> {
  const layout = detectLayout(options.folder);
  const configured = loadSettings(options.folder);
  if (options.gitIgnore) configured.useGitIgnore = true;
  const settings = settingsForLayout(layout, configured);
  const err = (line: string) => io.stderr(`workspace-usage serve: ${line}\n`);

  let lastReport: unknown;
  let lastChangeAt: number | undefined;
  let measuredAt = Date.now();
  let history: FolderHistory | undefined;
  const recorder = new HistoryRecorder({
    dirFor: (folder) => path.join(options.stateDir, historyDirName(folder)),
    warn: (_key, message) => err(message),
  });

  const monitor: FolderMonitor = new FolderMonitor({
    folder: layout.root,
    name: path.basename(layout.root),
    settings,
    workerPath,
    trusted: true,
    watcherExclude: [],
    log: (level, message) => {
      if (level !== 'info') err(message);
    },
    warnUser: (_key, message) => err(message),
    onChange: () => {
      const report = monitor.usage();
      if (report && report !== lastReport) {
        if (lastReport !== undefined) lastChangeAt = Date.now();
        lastReport = report;
        measuredAt = Date.now();
      }
    },
    onActivity: (counts, totals) => history?.recordActivity(counts, totals),
  });

  const figures = (): Figures | undefined => {
    const report = monitor.usage();
    return report && figuresOf(report, layout);
  };
  const monitorFigures = (): MonitorFigures => monitorFiguresOf(monitor.snapshot());
  history = recorder.attach(layout.root, path.basename(layout.root), {
    sampleIntervalHours: settings.historySampleIntervalHours,
    retention: settings.historyRetention,
  });

  const stopMonitor = async () => {
    monitor.dispose();
    await recorder.close();
  };
  // A signal during the first scan stops it (dispose aborts the scan; start() then resolves).
  const onAbort = () => monitor.dispose();
  signal?.addEventListener('abort', onAbort, { once: true });
  await monitor.start();
  signal?.removeEventListener('abort', onAbort);
  if (signal?.aborted) {
    await stopMonitor();
    return undefined;
  }
  const phase = monitor.snapshot().phase;
  if (phase !== 'ready') {
    const error = monitor.snapshot().error;
    await stopMonitor();
    throw new CliError(error ?? `the first scan of ${layout.root} did not finish (${phase})`);
  }
  void history.scanReady(() => {
    const report = monitor.usage();
    return report && servedSampleOf(report, layout);
  });

  const metrics = createMetrics({ figures, monitor: monitorFigures, lastChangeAt: () => lastChangeAt });
  const server = createServeServer({
    state: {
      figures,
      history: () => history?.toJSON(),
      measuredAt: () => measuredAt,
      phase: () => monitor.snapshot().phase,
    },
    metrics,
    token: options.token,
    log: err,
  });
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stopMonitor();
    throw new CliError(
      `cannot listen on ${options.host}:${options.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  io.stdout(`listening on ${url}\n`);
  return {
    url,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stopMonitor();
    },
  };
}

/** The command: serves until SIGINT or SIGTERM, then flushes the history and exits 0. */
export async function runServe(argv: string[], io: CliIO): Promise<number> {
  const options = parseServeArgs(argv, io);
  const workerPath = bundledWorkerPath();
  const stop = new AbortController();
  const stopped = new Promise<void>((resolve) =>
    stop.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const running = await startServe(options, io, workerPath, stop.signal);
    if (!running) return 0;
    await stopped;
    await running.stop();
    io.stderr('workspace-usage serve: stopped\n');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
