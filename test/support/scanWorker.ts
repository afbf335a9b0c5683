// The scan worker bundled for tests: worker threads do not inherit the test's TypeScript loader,
// so the worker runs as the extension ships it (dist/scanWorker.js), built once per test process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

let built: string | undefined;

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
