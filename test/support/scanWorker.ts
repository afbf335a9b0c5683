// The scan worker bundled for tests: worker threads do not inherit the test's TypeScript loader,
// so the worker runs as the extension ships it (dist/scanWorker.js), built once per test process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

let built: string | undefined;
let builtProcess: string | undefined;

/** The bundled scan process (cli/scanProcess.ts) with its scan worker beside it, as in dist/ (built on the first call). */
export function scanProcessPath(): string {
  if (builtProcess) return builtProcess;
  const dir = mkdtempSync(path.join(tmpdir(), 'wu-process-'));
  buildScanWorker(path.join(dir, 'scanWorker.js'));
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../src/cli/scanProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    outfile: path.join(dir, 'scanProcess.js'),
    logLevel: 'error',
  });
  builtProcess = path.join(dir, 'scanProcess.js');
  return builtProcess;
}

/** The path of the bundled scan worker (built on the first call). */
export function scanWorkerPath(): string {
  if (built) return built;
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'wu-worker-')), 'scanWorker.js');
  buildScanWorker(outfile);
  built = outfile;
  return outfile;
}

/** Bundles the scan worker to `outfile` (for a test that needs it at a given place, e.g. beside a CLI bundle). */
export function buildScanWorker(outfile: string): void {
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../src/core/disk/scanWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
}
