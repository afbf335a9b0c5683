// `npm test`: on a fresh clone too. Checks the system packages first (one line naming what is
// missing), installs the npm dependencies when missing, then runs the type check, the unit tests,
// and the integration tests in a real VS Code (code-server + Chromium; code-server is set up in
// the cache on first run).
// Options: --unit (type check and unit tests only), --integration (integration tests only).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { codeServerInstalled } from './lib/codeServer.mjs';
import { ensureDependencies } from './lib/dependencies.mjs';
import {
  CODE_SERVER_BUILD_PACKAGES,
  INTEGRATION_TEST_PACKAGES,
  requireDebianPackages,
  UNIT_TEST_PACKAGES,
} from './lib/prerequisites.mjs';

const { values } = parseArgs({ options: { unit: { type: 'boolean' }, integration: { type: 'boolean' } } });
const both = !values.unit && !values.integration;
const repoRoot = resolve(import.meta.dirname, '..');

requireDebianPackages([
  ...(both || values.unit ? UNIT_TEST_PACKAGES : []),
  ...(both || values.integration
    ? [...INTEGRATION_TEST_PACKAGES, ...(codeServerInstalled() ? [] : CODE_SERVER_BUILD_PACKAGES)]
    : []),
]);
ensureDependencies(repoRoot);

const steps = [];
if (both || values.unit) steps.push('typecheck', 'test:unit');
if (both || values.integration) steps.push('test:integration');
for (const step of steps) {
  const result = spawnSync('npm', ['run', '--silent', step], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm test: ${step} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}
