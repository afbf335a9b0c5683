// What a machine needs before `npm start` / `npm test` can work, checked before anything is
// built, so a missing package is one clear line instead of a compiler error three minutes in.
import { spawnSync } from 'node:child_process';

/** Debian packages that building code-server's native modules needs (first run only). */
export const CODE_SERVER_BUILD_PACKAGES = [
  'libkrb5-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'pkg-config',
  'python3',
  'make',
  'g++',
];
/** The Prometheus server (and promtool) the unit suite's serve tests scrape with. */
export const UNIT_TEST_PACKAGES = ['prometheus'];
/** The browser the integration tests drive. */
export const INTEGRATION_TEST_PACKAGES = ['chromium'];

/**
 * The packages of `wanted` that dpkg does not list as installed; [] where there is no dpkg
 * (not a Debian-like system: nothing to tell, the install itself will say what is missing).
 */
function missingDebianPackages(wanted, query = dpkgQuery) {
  const missing = [];
  for (const pkg of wanted) {
    const status = query(pkg);
    if (status === undefined) return [];
    if (!status.includes('install ok installed')) missing.push(pkg);
  }
  return missing;
}

function dpkgQuery(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  if (result.error) return undefined; // no dpkg-query on this machine
  return result.status === 0 ? result.stdout : '';
}

/** The one line that says what is missing and the exact command that installs it. */
function missingPackagesMessage(missing, isRoot = process.getuid?.() === 0) {
  const sudo = isRoot ? '' : 'sudo ';
  return `Missing Debian packages: ${missing.join(' ')}. Install them with: ${sudo}apt-get install -y --no-install-recommends ${missing.join(' ')}`;
}

/** Exits with the one-line message when packages are missing. */
export function requireDebianPackages(wanted) {
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  console.error(missingPackagesMessage(missing));
  process.exit(1);
}
