// Installs the project's npm dependencies when node_modules is missing or older than
// package-lock.json, so `npm start` and `npm test` work on a fresh clone without `npm ci` first.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scrubNpmEnv } from './npmEnv.mjs';

/** Whether `npm ci` is needed: no installed tree, or a lock file newer than it. */
function dependenciesStale(repoRoot) {
  const installed = join(repoRoot, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(join(repoRoot, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

export function ensureDependencies(repoRoot, log = (m) => console.log(m)) {
  if (!dependenciesStale(repoRoot)) return;
  log('[setup] Installing the npm dependencies (npm ci) ...');
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-fund', '--no-audit'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: scrubNpmEnv(),
  });
  if (result.status !== 0) {
    console.error(`npm ci failed (exit ${result.status ?? result.signal}); see above.`);
    process.exit(result.status || 1);
  }
  log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
}
