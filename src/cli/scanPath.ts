// The headless command's full scan: the extension's worker pool (scanInWorker.ts) for a big tree,
// one thread for a small one, where starting worker threads would cost more than the whole walk
// (a worker's start-up is tens of milliseconds; 50 files take under one).
//
// The size is not known beforehand, and no cheap estimate holds (a root with 20 entries can hold
// 200,000 files; st_nlink of folders is 1 on btrfs and overlayfs), so the walk starts on this
// thread, the way a pool's worker walks (partialScan.ts). At its first progress point past
// SYNC_BUDGET files it starts the pool's workers and goes on walking while they start (100-150 ms
// on 2 cores); once they are up it hands them every folder still pending, and its part joins
// theirs in the merge. Nothing is walked twice, and no core waits for the workers' start-up.
// (Before, the synchronous walk gave up at the budget and the pool walked the whole tree again:
// bench/cli.ts on 200,000 files, 1.9-2.1 s against 1.6-1.9 s through the pool alone.)
//
// On a machine idle at the start (idleNow(): the tasks runnable at that instant, from
// /proc/loadavg) the workers are started at once instead of at the budget, and take the walk
// over as soon as they are up. Walking 10,000 files alone first, with code not yet optimised,
// while the workers started on the same cores, cost 0.1-0.15 s (bench/cli.ts, medians of 5:
// 200,000 files 1.13 s against 1.06 s through the pool alone, 1,000,000 files 2.71 s against
// 2.56 s; at 1,000,000 files perf put 0.2 CPU-seconds more on the main thread and 0.14 on V8's
// GC helpers, with the same system calls). A tree walked before they are up (50 files) stays on
// this thread.
// A tree of 20,000 files now goes to the pool too: 0.27 s against 0.22 s on this thread alone,
// the price of not knowing the size beforehand.
//
// The pool only pays when it gets cores of its own: on a machine already busy its workers share
// the cores the synchronous walk would have had, and it loses by its start-up and merge (bench/cli.ts
// on 2 cores at load 8-10: 200,000 files in 3.7 s through the pool, 2.7 s synchronously). So at
// the budget it measures what the rest of the machine used while the walk so far ran:
// all CPUs' busy time (os.cpus(), i.e. /proc/stat) minus this process's own (process.cpuUsage(),
// which also holds the kernel's work for the walk and V8's helper threads: 1.3-1.4 cores on 2
// idle cores). With fewer than MIN_IDLE_CORES left to it, the walk goes on alone on this thread
// whatever the size (workers started early and not up yet are let go then). The 1-minute load
// average, used before, lags: it still counted the previous command's run, so a second `usage`
// right after a first took the synchronous walk on an idle machine (bench/cli.ts, 200,000 files on
// 2 cores: 2.02 s against 1.57 s through the pool).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import * as path from 'node:path';
import { mergeScan } from '../core/disk/mergeScan';
import { mountsBelow } from '../core/disk/mounts';
import { PartialScan, startUnit, type WorkUnit } from '../core/disk/partialScan';
import { scanInWorker, startPool, type StartedPool } from '../core/disk/scanInWorker';
import { runAll } from '../core/sched/slices';
import { scanSync, type ScanOptions, type ScanResult } from '../core/disk/scanner';

/** Files walked on this thread before the pool is started (progress points come every 5,000). */
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
  /**
   * Hand the walk over at the decision, without walking on while the workers start: this thread
   * then waits instead of being a third busy thread beside two starting workers. The extension's
   * scan process sets it (see scanProcess.ts); tests too (a small test tree is walked before the
   * workers are up).
   */
  handOverAtOnce?: boolean;
  /** Worker threads of the pool (default: scanInWorker's). */
  workers?: number;
  /**
   * Seam: cores the pool would have, i.e. all of them minus what the rest of the machine used while
   * the walk on this thread ran, read once at the budget (default: idleCoresMeter()); under
   * MIN_IDLE_CORES the walk stays on this thread.
   */
  idleCores?(): number;
  /**
   * Seam: whether the machine has MIN_IDLE_CORES to spare at this instant, read once before the
   * walk (default: idleNow(), from /proc/loadavg). Then the pool's workers start at once, beside
   * the walk on this thread, and take it over when they are up; a tree walked before that stays
   * on this thread. Not with handOverAtOnce (the scan process waits for the budget).
   */
  idleNow?(): boolean;
}

/** Cores the pool needs to itself to beat the walk on one thread. */
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

/**
 * Whether MIN_IDLE_CORES are free at this instant: the cores less the tasks runnable right now
 * besides this thread (/proc/loadavg's fourth field, "runnable/total", counts the reader too). An
 * instant, not an average: the 1-minute load still counts the previous command's run. False
 * where it cannot be read (not Linux): the pool then starts at the budget, as on a busy machine.
 */
export function idleNow(
  read: () => string = () => readFileSync('/proc/loadavg', 'utf8'),
  cores: number = availableParallelism(),
): boolean {
  let runnable: number;
  try {
    runnable = Number(/^\S+ \S+ \S+ (\d+)\//.exec(read())?.[1] ?? NaN);
  } catch {
    return false;
  }
  return Number.isInteger(runnable) && cores - Math.max(0, runnable - 1) >= MIN_IDLE_CORES;
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
  const idleCores = options.idleCores ?? idleCoresMeter();
  const budget = options.syncBudget ?? SYNC_BUDGET;
  const started = performance.now();
  let decided = false;
  const startWorkers = () =>
    startPool(root, { workerPath: workerPath!, exclude, oneFileSystem, onProgress: poolProgress }, workers);
  let workersUp: StartedPool | undefined;
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
      // Decided once, at the first progress point past the budget (every 5,000 files); then the
      // walk goes on here while the workers start, and is handed over once they are up.
      handOver: () => {
        if (workersUp?.started()) return true;
        if (decided || seen < budget) return workersUp !== undefined && Boolean(options.handOverAtOnce);
        decided = true;
        if (idleCores() >= MIN_IDLE_CORES) {
          workersUp ??= startWorkers();
          return Boolean(options.handOverAtOnce);
        }
        // Started early, still not up, and the machine turned out busy: the walk stays here.
        workersUp?.stop();
        workersUp = undefined;
        return false;
      },
    },
    { oneFileSystem, rootDev: oneFileSystem ? statSync(root).dev : undefined, statFolders: mountsBelow(root) },
  );
  // On an idle machine the workers start now (once the walk here is set up, so nothing before it
  // can throw with them running): their start-up (100-150 ms) overlaps the walk from the first
  // file, not from the budget's (see the top of this file).
  if (!options.handOverAtOnce && (options.idleNow ?? idleNow)()) workersUp = startWorkers();
  try {
    head.run([startUnit(root)]);
  } catch (error) {
    workersUp?.stop();
    throw error;
  }
  const part = head.finish();
  if (handed.length > 0) {
    const result = await workersUp!.run({ part, units: handed });
    return { ...result, durationMs: performance.now() - started, via: 'pool' };
  }
  // Done before the workers were up (or without them).
  workersUp?.stop();
  onProgress?.(part.files);
  return { ...runAll(mergeScan(root, [part])), durationMs: performance.now() - started, via: 'sync' };
}
