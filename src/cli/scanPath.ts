// The headless command's full scan: the extension's worker pool (scanInWorker.ts) for a big tree,
// the synchronous walk (scanSync) for a small one, where starting worker threads would cost more
// than the whole walk (a worker's start-up is tens of milliseconds; 50 files take under one).
//
// The size is not known beforehand, and no cheap estimate holds (a root with 20 entries can hold
// 200,000 files; st_nlink of folders is 1 on btrfs and overlayfs), so the walk starts
// synchronously and gives up at its first progress point past SYNC_BUDGET files: the pool then
// scans the whole tree again. The files walked twice are at most a few percent of a tree big
// enough to be switched (measured in bench/cli.ts), and the walk so far has warmed the caches.
//
// The pool only pays when it gets cores of its own: on a machine already busy (load average within
// 1.5 of the core count) its workers share the cores the synchronous walk would have had, and it
// loses by its start-up and merge (bench/cli.ts on 2 cores at load 8-10: 200,000 files in 3.7 s
// through the pool, 2.7 s synchronously). Then the walk stays synchronous whatever the size.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { scanInWorker } from '../core/disk/scanInWorker';
import { ScanCancelled, scanSync, type ScanOptions, type ScanResult } from '../core/disk/scanner';

/** Files walked synchronously before switching to the pool (scanSync checks every 5,000). */
const SYNC_BUDGET = 10_000;

/** Forces a path (for the comparison in bench/cli.ts): WORKSPACE_USAGE_SCAN=sync|pool. */
export const SCAN_MODE_ENV = 'WORKSPACE_USAGE_SCAN';

export type ScanMode = 'auto' | 'sync' | 'pool';

/**
 * The scan worker bundle beside the running script (dist/cli.js has dist/scanWorker.js next to
 * it); undefined when there is none (the sources run under a TypeScript loader, as in tests).
 */
export function scanWorkerPath(dir: string = __dirname): string | undefined {
  const file = bundledWorkerPath(dir);
  return existsSync(file) ? file : undefined;
}

/** Where the bundle's scan worker is (whether or not it is there): for serve, which needs it. */
export function bundledWorkerPath(dir: string = __dirname): string {
  return path.join(dir, 'scanWorker.js');
}

export interface CliScanOptions {
  exclude?: string[];
  oneFileSystem?: boolean;
  onProgress?(files: number): void;
  /** Test seams of the synchronous walk (CliIO.scan): the pool has none, so they force it. */
  hooks?: Pick<ScanOptions, 'afterList' | 'fs'>;
  /** The worker bundle; without one the walk stays synchronous. */
  workerPath?: string;
  mode?: ScanMode;
  /** Files before switching to the pool (default SYNC_BUDGET). */
  syncBudget?: number;
  /** Worker threads of the pool (default: scanInWorker's). */
  workers?: number;
  /** Cores nobody uses now (default: idleCores()); under MIN_IDLE_CORES the walk stays synchronous. */
  idleCores?(): number;
}

/** Idle cores it takes for the pool to beat the synchronous walk. */
const MIN_IDLE_CORES = 1.5;

/** Cores minus the 1-minute load average (what the pool's workers could have to themselves). */
function idleCores(): number {
  return availableParallelism() - loadavg()[0];
}

export type CliScanResult = ScanResult & { via: 'sync' | 'pool' };

export function scanModeFromEnv(env: NodeJS.ProcessEnv = process.env): ScanMode {
  const mode = env[SCAN_MODE_ENV];
  return mode === 'sync' || mode === 'pool' ? mode : 'auto';
}

export async function scanForCli(root: string, options: CliScanOptions): Promise<CliScanResult> {
  const { exclude, oneFileSystem, onProgress, hooks, workerPath, workers } = options;
  const mode = options.mode ?? 'auto';
  let seen = 0;
  // After a switch the count shown goes on from where the synchronous walk stopped, not back to 0.
  const poolProgress = onProgress && ((files: number) => onProgress(Math.max(files, seen)));
  const pool = async (): Promise<CliScanResult> => ({
    ...(await scanInWorker(root, {
      workerPath: workerPath!,
      exclude,
      oneFileSystem,
      onProgress: poolProgress,
      workers,
    })),
    via: 'pool',
  });
  const hooked = Boolean(hooks?.afterList || hooks?.fs);
  if (!workerPath || hooked || mode === 'sync')
    return { ...scanSync(root, { exclude, oneFileSystem, onProgress, ...hooks }), via: 'sync' };
  if (mode === 'pool') return pool();
  if ((options.idleCores ?? idleCores)() < MIN_IDLE_CORES)
    return { ...scanSync(root, { exclude, oneFileSystem, onProgress }), via: 'sync' };
  const budget = options.syncBudget ?? SYNC_BUDGET;
  try {
    const result = scanSync(root, {
      exclude,
      oneFileSystem,
      onProgress: (files) => {
        seen = files;
        onProgress?.(files);
      },
      shouldCancel: () => seen >= budget,
    });
    return { ...result, via: 'sync' };
  } catch (error) {
    if (!(error instanceof ScanCancelled)) throw error;
    return pool();
  }
}
