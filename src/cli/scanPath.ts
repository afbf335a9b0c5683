// The headless command's full scan: the extension's worker pool (scanInWorker.ts) for a big tree,
// one thread for a small one, where starting worker threads would cost more than the whole walk
// (a worker's start-up is tens of milliseconds; 50 files take under one).
//
// The size is not known beforehand, and no cheap estimate holds (a root with 20 entries can hold
// 200,000 files; st_nlink of folders is 1 on btrfs and overlayfs), so the walk starts on this
// thread, the way a pool's worker walks (partialScan.ts), and at its first progress point past
// SYNC_BUDGET files hands every folder still pending to the pool; its part joins the workers' in
// the merge. Nothing is walked twice. (Before, the synchronous walk gave up there and the pool
// walked the whole tree again: on 20,000 files the switch cost 1.4x the synchronous walk.)
//
// The pool only pays when it gets cores of its own: on a machine already busy its workers share
// the cores the synchronous walk would have had, and it loses by its start-up and merge (bench/cli.ts
// on 2 cores at load 8-10: 200,000 files in 3.7 s through the pool, 2.7 s synchronously). So at
// the switch point it measures what the rest of the machine used while the synchronous walk ran:
// all CPUs' busy time (os.cpus(), i.e. /proc/stat) minus this process's own (process.cpuUsage(),
// which also holds the kernel's work for the walk and V8's helper threads: 1.3-1.4 cores on 2
// idle cores). With fewer than MIN_IDLE_CORES left to it, the walk goes on synchronously whatever
// the size. The 1-minute load average, used before, lags: it still counted the previous command's
// run, so a second `usage` right after a first took the synchronous walk on an idle machine
// (bench/cli.ts, 200,000 files on 2 cores: 2.02 s against 1.57 s through the pool).
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { mergeScan } from '../core/disk/mergeScan';
import { mountsBelow } from '../core/disk/mounts';
import { PartialScan, startUnit, type WorkUnit } from '../core/disk/partialScan';
import { scanInWorker, type WorkerScanOptions } from '../core/disk/scanInWorker';
import { runAll } from '../core/sched/slices';
import { scanSync, type ScanOptions, type ScanResult } from '../core/disk/scanner';

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
  /**
   * Seam: cores the pool would have, i.e. all of them minus what the rest of the machine used while
   * the synchronous walk ran, read once at the switch point (default: idleCoresMeter()); under
   * MIN_IDLE_CORES the walk stays synchronous.
   */
  idleCores?(): number;
}

/** Cores the pool needs to itself to beat the synchronous walk. */
const MIN_IDLE_CORES = 1.5;

/** CPU time so far in milliseconds: all CPUs' busy time, and this process's own. */
export interface CpuTimes {
  cores: number;
  busyMs: number;
  ownMs: number;
}

function cpuTimes(): CpuTimes {
  const all = cpus();
  const own = process.cpuUsage();
  const busyMs = all.reduce((sum, { times: t }) => sum + t.user + t.nice + t.sys + t.irq, 0);
  return { cores: all.length, busyMs, ownMs: (own.user + own.system) / 1000 };
}

/**
 * Starts measuring: the returned function gives the cores not used by other processes on average
 * since the start. An interval too short to tell (the kernel counts in 10 ms ticks) reads as all
 * of them: a walk that short is over before the pool could matter anyway.
 */
export function idleCoresMeter(sample: () => CpuTimes = cpuTimes, now: () => number = () => performance.now()) {
  const first = sample();
  const t0 = now();
  return (): number => {
    const wall = now() - t0;
    const last = sample();
    if (wall < 50) return last.cores;
    const others = last.busyMs - first.busyMs - (last.ownMs - first.ownMs);
    return last.cores - Math.max(0, others) / wall;
  };
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
  const pool = async (head?: WorkerScanOptions['head']): Promise<CliScanResult> => ({
    ...(await scanInWorker(root, {
      workerPath: workerPath!,
      exclude,
      oneFileSystem,
      onProgress: poolProgress,
      workers,
      head,
    })),
    via: 'pool',
  });
  const hooked = Boolean(hooks?.afterList || hooks?.fs);
  if (!workerPath || hooked || mode === 'sync')
    return { ...scanSync(root, { exclude, oneFileSystem, onProgress, ...hooks }), via: 'sync' };
  if (mode === 'pool') return pool();
  const idleCores = options.idleCores ?? idleCoresMeter();
  const budget = options.syncBudget ?? SYNC_BUDGET;
  const started = performance.now();
  let switchToPool: boolean | undefined;
  const handed: WorkUnit[] = [];
  const head = new PartialScan(
    exclude,
    {
      wantsWork: () => false,
      donate: (units) => handed.push(...units),
      pending: () => undefined,
      progress: (files) => {
        seen = files;
        onProgress?.(files);
      },
      // Decided once, at the first progress point past the budget (every 5,000 files).
      handOver: () => seen >= budget && (switchToPool ??= idleCores() >= MIN_IDLE_CORES),
    },
    { oneFileSystem, rootDev: oneFileSystem ? statSync(root).dev : undefined, statFolders: mountsBelow(root) },
  );
  head.run([startUnit(root)]);
  const part = head.finish();
  if (handed.length > 0) return { ...(await pool({ part, units: handed })), durationMs: performance.now() - started };
  onProgress?.(part.files);
  return { ...runAll(mergeScan(root, [part])), durationMs: performance.now() - started, via: 'sync' };
}
