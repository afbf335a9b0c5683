// `npm start`: installs the npm dependencies when missing, builds and packages the extension,
// installs it into a local code-server (set up on first run), creates the sample agent workspace
// and serves it on 127.0.0.1.
// Options: --port N (default 8080, or $PORT), --folder PATH (open your own folder instead).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cacheDir,
  codeServerInstalled,
  ensureCodeServer,
  installExtension,
  prepareUserDataDir,
  startCodeServer,
} from './lib/codeServer.mjs';
import { ensureDependencies } from './lib/dependencies.mjs';
import { CODE_SERVER_BUILD_PACKAGES, requireDebianPackages } from './lib/prerequisites.mjs';
import { createSampleWorkspace } from './lib/sampleWorkspace.mjs';

const { values } = parseArgs({ options: { port: { type: 'string' }, folder: { type: 'string' } } });
const repoRoot = resolve(import.meta.dirname, '..');
const log = (message) => console.log(message);

// Before anything is built: a missing system package is one line, not a compiler error later.
if (!codeServerInstalled()) requireDebianPackages(CODE_SERVER_BUILD_PACKAGES);
ensureDependencies(repoRoot, log);

log('[1/4] Building and packaging the extension ...');
const pack = spawnSync('npm', ['run', '--silent', 'package'], {
  cwd: repoRoot,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (pack.status !== 0) process.exit(pack.status ?? 1);
const vsix = readdirSync(repoRoot)
  .filter((f) => /^workspace-usage-.*\.vsix$/.test(f))
  .sort()
  .pop();

log('[2/4] Checking code-server ...');
ensureCodeServer(log);

log('[3/4] Installing the extension and preparing the sample workspace ...');
const userDataDir = join(cacheDir, 'start', 'user-data');
const extensionsDir = join(cacheDir, 'start', 'extensions');
prepareUserDataDir(userDataDir, { 'workbench.secondarySideBar.defaultVisibility': 'hidden' });
installExtension(join(repoRoot, vsix), { userDataDir, extensionsDir }, log);
const folder = values.folder ? resolve(values.folder) : createSampleWorkspace(join(cacheDir, 'sample-workspace'));

log('[4/4] Starting code-server ...');
const port = Number(values.port ?? process.env.PORT ?? 8080);
const server = await startCodeServer({ userDataDir, extensionsDir, folder, port, log: () => {} });
log(
  `\nWorkspace Usage is running on ${folder}\n\n  Open: ${server.url}/?folder=${encodeURIComponent(folder)}\n\nPress Ctrl+C to stop.`,
);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
