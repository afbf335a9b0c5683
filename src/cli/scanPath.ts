// The headless command's full scan: the extension's worker pool (scanInWorker.ts) for a big tree,
// one thread for a small one, where starting worker threads would cost more than the whole walk
// (a worker's start-up is tens of milliseconds; 50 files take under one).
//
// The size is not known beforehand, and no cheap estimate holds (a root with 20 entries can hold
// 200,000 files; st_nlink of folders is 1 on btrfs and overlayfs), so the walk starts on this
// thread (a HereWalker, walkHere.ts, the way a pool's worker walks). A tree done within its first
// FIRST_SLICE_MS is done without a worker. Past it, on a machine idle at the start (idleNow(): the
// tasks runnable at that instant, from /proc/loadavg), cores - 1 workers are started and the walk
// here goes on as one walker of the pool: each worker takes a share of its folders once it is up,
// nothing is walked twice, no thread waits for another's start-up, and this thread's part joins
// the merge without being packed. Measured against the way before it (the walk here went on while
// cores workers started, then handed everything to them and waited), bench-style, medians of 9-11
// interleaved runs without NODE_EXTRA_CA_CERTS: 50 files 79 ms against scanSync's 80 (before: 76
// against 65, the workers' start-up was paid for nothing); 20,000 files 224 against scanSync's
// 228 and the pool's 256 (before: 233 against 182); 45,000 files 306 against 321 and 333;
// 200,000 files 1,062 against 1,088 before; 1,000,000 files 2,676 against 2,640 (noise; with
// one sink per walk in partialScan.ts, 2,589 against the pool alone's 2,679).
//
// The pool only pays when it gets cores of its own: on a machine already busy its workers share
// the cores the synchronous walk would have had, and it loses by its start-up and merge (bench/cli.ts
// on 2 cores at load 8-10: 200,000 files in 3.7 s through the pool, 2.7 s synchronously). So on a
// machine busy at the start, the walk here goes on alone to SYNC_BUDGET files, then measures what
// the rest of the machine used meanwhile: all CPUs' busy time (os.cpus(), i.e. /proc/stat) minus
// this process's own (process.cpuUsage(), which also holds the kernel's work for the walk and V8's
// helper threads: 1.3-1.4 cores on 2 idle cores). With MIN_IDLE_CORES left to it the workers
// start then (and join as above); with fewer, the walk goes on alone to the end. The 1-minute load
// average, used before, lags: it still counted the previous command's run.
//
// The extension's scan process (scanProcess.ts) walks the same way, at a lower priority, and
// brings the workers in past the budget however busy the machine.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import * as path from 'node:path';
import { mountsBelow } from '../core/disk/mounts';
import { startUnit, type ScanPart } from '../core/disk/partialScan';
import { defaultScanWorkers, mergeWalk, poolWalk, scanInWorker, type WalkedParts } from '../core/disk/scanInWorker';
import { HereWalker } from '../core/disk/walkHere';
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
  /** Worker threads of the pool (default: cores - 1 beside the walk here, at least 1; forced pool: scanInWorker's). */
  workers?: number;
  /** Seam: how long the walk here goes on before workers are started on an idle machine (default FIRST_SLICE_MS). */
  firstSliceMs?: number;
  /**
   * Seam: cores the pool would have, i.e. all of them minus what the rest of the machine used while
   * the walk on this thread ran, read once at the budget (default: idleCoresMeter()); under
   * MIN_IDLE_CORES the walk stays on this thread.
   */
  idleCores?(): number;
  /**
   * Seam: whether the machine has MIN_IDLE_CORES to spare at this instant, read once before the
   * walk (default: idleNow(), from /proc/loadavg). Then the pool's workers start after the walk's
   * first slice, and walk beside it as they come up.
   */
  idleNow?(): boolean;
}

/** Cores the pool needs to itself to beat the walk on one thread. */
const MIN_IDLE_CORES = 1.5;

/** The walk here before workers are started: a small tree is done by then (50 files: under 1 ms). */
const FIRST_SLICE_MS = 5;

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

/**
 * A scan's walk before its parts are one tree: scanForCli merges them; the scan process sends them
 * as they are (the extension host makes them one tree). The synchronous scan and a forced pool
 * bring back their tree built (`scanned`).
 */
export type CliWalk =
  | { via: 'sync' | 'pool'; started: number; parts: WalkedParts }
  | { via: 'sync' | 'pool'; started: number; scanned: ScanResult };

export async function scanForCli(root: string, options: CliScanOptions): Promise<CliScanResult> {
  const walk = await walkForCli(root, options);
  if ('scanned' in walk) return { ...walk.scanned, via: walk.via };
  const merged = runAll(mergeWalk(root, walk.parts));
  options.onProgress?.(walk.parts.files);
  return { ...merged, durationMs: performance.now() - walk.started, via: walk.via };
}

/** scanForCli's walk, up to its parts (see CliWalk). */
export async function walkForCli(root: string, options: CliScanOptions): Promise<CliWalk> {
  const { exclude, oneFileSystem, onProgress, hooks, workerPath, workers } = options;
  const mode = options.mode ?? 'auto';
  const started = performance.now();
  let seen = 0;
  const hooked = Boolean(hooks?.afterList || hooks?.fs);
  if (!workerPath || hooked || mode === 'sync')
    return { via: 'sync', started, scanned: scanSync(root, { exclude, oneFileSystem, onProgress, ...hooks }) };
  if (mode === 'pool')
    return {
      via: 'pool',
      started,
      scanned: await scanInWorker(root, { workerPath, exclude, oneFileSystem, onProgress, workers }),
    };
  const idleCores = options.idleCores ?? idleCoresMeter();
  const budget = options.syncBudget ?? SYNC_BUDGET;
  const walkOptions = {
    oneFileSystem,
    rootDev: oneFileSystem ? statSync(root).dev : undefined,
    statFolders: mountsBelow(root),
  };
  const idleAtStart = (options.idleNow ?? idleNow)();
  let decided = idleAtStart;
  const progressHere = (files: number) => {
    seen = files;
    onProgress?.(files);
    // Decided at the first progress point past the budget, not at the end of that slice: a tree
    // done within the slice would otherwise never meet the decision.
    if (!decided && files >= budget) here.pauseNow();
  };
  /** A walk done on this thread alone: its part is the result. */
  const alone = (part: ScanPart): CliWalk => ({
    via: 'sync',
    started,
    parts: { ready: [part], packed: [], files: part.files },
  });
  const poolOptions = { workerPath, exclude, oneFileSystem, onProgress };

  const here = new HereWalker(exclude ?? [], walkOptions, progressHere);
  let units = [startUnit(root)];
  for (;;) {
    if (here.walk(units, options.firstSliceMs ?? FIRST_SLICE_MS)) return alone(here.scan.finish());
    units = [];
    if (!decided && seen < budget) continue;
    if (idleAtStart || idleCores() >= MIN_IDLE_CORES) break;
    // Busy: the walk stays here to the end.
    decided = true;
    here.walk([], Infinity);
    return alone(here.scan.finish());
  }
  const n = workers ?? Math.max(1, defaultScanWorkers() - 1);
  return { via: 'pool', started, parts: await poolWalk(root, poolOptions, n, here) };
}
