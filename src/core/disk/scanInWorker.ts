// Runs the full scan in worker threads (the extension host must never block on a large tree).
// With one worker it is scanSync in that worker. With several (the default where the machine has
// 2 or more cores: min(availableParallelism, 4)) the walk is shared with dynamic load balancing:
// worker 0 starts at the scan's folder; whenever a worker is idle and no donated folders are
// waiting, the coordinator (here, on the caller's thread) flags the worker with the most pending
// folders, which donates the bottom half of its stack at its next folder (parallelScan.ts).
// When every worker is idle with nothing waiting, each sends its partial tree; they are merged
// into one SizeTree (hard-linked inodes counted once, by the same name as scanSync; folders reached
// twice, through bind mounts, kept at the same path as scanSync keeps them: resolveDuplicates).
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { mountsBelow } from './mounts';
import { mergeScan } from './mergeScan';
import { runSliced, type Steps } from '../sched/slices';
import { ShareBoard, type FromWorker, type PackedPart, type ToWorker } from './parallelScan';
import type { ScanPart } from './partialScan';
import type { HereWalker } from './walkHere';
import { startUnit, type WorkUnit } from './scanOrder';
import { unpackTree, type PackedTree } from './serializedTree';
import { SizeTree } from './sizeTree';
import type { ScanResult } from './scanner';

export interface WorkerScanOptions {
  exclude?: string[];
  onProgress?(files: number): void;
  signal?: AbortSignal;
  workerPath: string;
  relPath?: string;
  /** Worker threads; default min(os.availableParallelism(), 4). 1: scanSync in one worker. */
  workers?: number;
  /** Stay on the root's file system (du -x). */
  oneFileSystem?: boolean;
  /**
   * A scan in the background of an editor: its workers run at a lower CPU priority (nice 10), so
   * on a machine whose cores they would fill the editor, its extension host and the browser still
   * get the CPU first (a formatter's save participant must answer within 1.75 s). The CLI's scan
   * is the foreground task: not lowered.
   */
  background?: boolean;
}

let live = 0;

/** Scan worker threads started by this module that have not exited yet (for tests). */
export function liveScanWorkers(): number {
  return live;
}

export function defaultScanWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

function start(path: string, workerData: unknown): Worker {
  // The worker is a self-contained bundle: none of the parent's flags (a TypeScript loader under
  // tests and benches adds ~40 ms to a worker's start, an inspector port could clash).
  const worker = new Worker(path, { workerData, execArgv: [] });
  live++;
  worker.once('exit', () => live--);
  return worker;
}

/** Terminates the workers; resolves when all have exited. */
async function stopAll(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
}

function* unpackAndBuild(root: string, packed: PackedTree): Steps<SizeTree> {
  return yield* SizeTree.deserializeSteps(root, yield* unpackTree(packed));
}

/** A pool walk's parts as one tree (unpacked, then merged). */
export function* mergeWalk(
  root: string,
  walked: Pick<WalkedParts, 'ready' | 'packed'>,
): Steps<Omit<ScanResult, 'durationMs'>> {
  return yield* mergeScan(root, yield* unpackParts(walked));
}

export function scanInWorker(root: string, options: WorkerScanOptions): Promise<ScanResult> {
  const n = Number.isFinite(options.workers) ? Math.max(1, Math.floor(options.workers!)) : defaultScanWorkers();
  if (options.signal?.aborted) return Promise.reject(new Error('scan cancelled'));
  return n === 1 ? scanInOneWorker(root, options) : scanInWorkers(root, options, n);
}

function scanInOneWorker(root: string, options: WorkerScanOptions): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = start(options.workerPath, {
      mode: 'single',
      root,
      exclude: options.exclude ?? [],
      relPath: options.relPath,
      oneFileSystem: options.oneFileSystem,
      background: options.background,
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void stopAll([worker]).then(() => reject(error));
    };
    const onAbort = () => fail(new Error('scan cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on(
      'message',
      (m: {
        type: string;
        files?: number;
        tree?: PackedTree;
        skipped?: ScanResult['skipped'];
        notEntered?: ScanResult['notEntered'];
        durationMs?: number;
      }) => {
        if (settled) return;
        if (m.type === 'progress') options.onProgress?.(m.files!);
        else if (m.type === 'done') {
          settled = true;
          options.signal?.removeEventListener('abort', onAbort);
          void worker.terminate();
          // Rebuilt with the hard-link groups, so later events keep counting each inode once; in
          // slices, so the caller's thread (the extension host) is never held for long.
          runSliced(unpackAndBuild(root, m.tree!), { signal: options.signal }).then(
            (tree) =>
              resolve({
                tree,
                skipped: m.skipped ?? [],
                notEntered: m.notEntered ?? [],
                durationMs: m.durationMs ?? 0,
              }),
            reject,
          );
        }
      },
    );
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`scan worker exited (${code})`)));
  });
}

function scanInWorkers(root: string, options: WorkerScanOptions, n: number): Promise<ScanResult> {
  return poolScan(root, options, n);
}

/** How long a walk on the coordinator's thread goes on before it answers its workers. */
const HERE_SLICE_MS = 8;

/**
 * A parallel scan. Without `here`, worker 0 starts at the scan's folder and the others ask it to
 * share. With `here`, a walk already going on on this thread (walkHere.ts: the headless command's
 * and the scan process's, src/cli/scanPath.ts) is one more walker: it goes on at once, and each
 * worker joins when it is up (its 'up' message). If the walk is done before any worker is up,
 * they are let go and the result is its part alone.
 */
export async function poolScan(
  root: string,
  options: WorkerScanOptions,
  n = defaultScanWorkers(),
  here?: HereWalker,
): Promise<ScanResult> {
  const started = performance.now();
  const walked = await poolWalk(root, options, n, here);
  // In slices (slices.ts): the merge of 200,000 files is ~0.3 s of the caller's thread.
  const { tree, skipped, notEntered } = await runSliced(mergeWalk(root, walked), { signal: options.signal });
  options.onProgress?.(walked.files);
  return { tree, skipped, notEntered, durationMs: performance.now() - started };
}

/** A parallel scan's parts as its walkers left them: the walk here's as it is, the workers' packed. */
export interface WalkedParts {
  ready: ScanPart[];
  packed: PackedPart[];
  /** Files over all parts. */
  files: number;
}

/** The unpacked parts of a walk (in slices: folder names are decoded). */
export function* unpackParts(walked: Pick<WalkedParts, 'ready' | 'packed'>): Steps<ScanPart[]> {
  const parts: ScanPart[] = [...walked.ready];
  for (const p of walked.packed) parts.push({ ...p, tree: yield* unpackTree(p.tree) });
  return parts;
}

/** poolScan's walk, up to the parts (poolScan and the headless command merge them; the scan process sends them as they are). */
export function poolWalk(
  root: string,
  options: WorkerScanOptions,
  n = defaultScanWorkers(),
  here?: HereWalker,
): Promise<WalkedParts> {
  let resolveRun!: (result: WalkedParts) => void;
  let rejectRun!: (error: unknown) => void;
  const result = new Promise<WalkedParts>((resolve, reject) => {
    resolveRun = resolve;
    rejectRun = reject;
  });
  const board = ShareBoard.create(n);
  const exclude = options.exclude ?? [];
  const workers: Worker[] = [];
  const files = new Array<number>(n).fill(0);
  /** The walker on this thread, when there is one, has the id after the workers'. */
  const HERE = n;
  /** Walkers that take part: every worker from the start; with `here`, it and the workers up. */
  const members = new Set<number>();
  const idle = new Set<number>();
  const pool: WorkUnit[] = [];
  const parts: PackedPart[] = [];
  let expected = n;
  const dropped = new Set<number>();
  let askedFrom = -1;
  let finishing = false;
  let settled = false;
  const hereQueue: WorkUnit[] = [];
  let hereScheduled = false;

  const fail = (error: unknown) => {
    if (settled) return;
    settled = true;
    options.signal?.removeEventListener('abort', onAbort);
    here?.scan.abandon();
    void stopAll(workers).then(() => rejectRun(error));
  };
  const onAbort = () => fail(new Error('scan cancelled'));
  const failed = (error: unknown): Promise<WalkedParts> => {
    fail(error);
    return result;
  };
  if (options.signal?.aborted) return failed(new Error('scan cancelled'));
  // A walk here already read the root's device and the mounts below it: the workers walk by the
  // same reading (read again, a mount made in between would split the parts' rules).
  let rootDev = here?.options.rootDev;
  if (options.oneFileSystem && rootDev === undefined) {
    try {
      rootDev = statSync(root).dev;
    } catch (error) {
      return failed(error);
    }
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const statFolders = here?.options.statFolders ?? mountsBelow(root);
  for (let id = 0; id < n; id++)
    workers.push(
      start(options.workerPath, {
        mode: 'parallel',
        root,
        exclude,
        id,
        workers: n,
        shared: board.buffer,
        oneFileSystem: options.oneFileSystem,
        rootDev,
        statFolders,
        background: options.background,
      }),
    );
  const progress = () => options.onProgress?.(files.reduce((a, b) => a + b, here ? here.scan.fileCount : 0));
  const post = (id: number, message: ToWorker) => {
    if (id !== HERE || !here) {
      if (message.type === 'work') board.setHungry(id, false);
      workers[id].postMessage(message);
    } else if (message.type === 'work') {
      hereQueue.push(...message.units);
      scheduleHere();
    }
  };
  const ask = (id: number) => (id === HERE && here ? here.ask() : board.ask(id));
  const pendingOf = (id: number) => (id === HERE && here ? here.pending : board.pending(id));

  /** Parts that need no unpacking: the walk here's. */
  let ready: ScanPart[] = [];
  /** Every part is in. */
  const collected = () => {
    settled = true;
    options.signal?.removeEventListener('abort', onAbort);
    void stopAll(workers);
    const got = parts.filter(Boolean);
    const files = got.reduce(
      (a, p) => a + p.files,
      ready.reduce((a, p) => a + p.files, 0),
    );
    resolveRun({ ready, packed: got, files });
  };

  const finish = () => {
    finishing = true;
    expected = 0;
    for (let id = 0; id < n; id++) {
      if (members.has(id)) {
        expected++;
        post(id, { type: 'finish' });
      } else {
        // Not up yet, so it has walked nothing: let go.
        dropped.add(id);
        void workers[id].terminate().catch(() => undefined);
      }
    }
    if (here) {
      ready = [here.scan.finish()];
      if (expected === 0) collected();
    }
  };

  const dispatch = () => {
    // Waiting folders go to the idle walkers, shared out evenly.
    while (idle.size > 0 && pool.length > 0) {
      const share = Math.ceil(pool.length / idle.size);
      const id = idle.values().next().value!;
      idle.delete(id);
      post(id, { type: 'work', units: pool.splice(pool.length - share, share) });
    }
    if (idle.size === 0 || askedFrom !== -1) return;
    if (idle.size === members.size) {
      // Nothing waiting, nobody walking: collect the parts.
      finish();
      return;
    }
    // Ask the busiest walker (most pending folders) to donate half of its stack.
    let best = -1;
    for (const id of members) {
      if (!idle.has(id) && (best === -1 || pendingOf(id) > pendingOf(best))) best = id;
    }
    askedFrom = best;
    ask(best);
  };

  const donated = (id: number, units: WorkUnit[]) => {
    if (askedFrom === id) askedFrom = -1;
    pool.push(...units);
    dispatch();
  };
  const wentIdle = (id: number) => {
    if (askedFrom === id) askedFrom = -1;
    idle.add(id);
    dispatch();
  };

  // The walk on this thread, one slice per turn of the event loop (the workers' messages between).
  const walkHere = () => {
    hereScheduled = false;
    if (settled || finishing || !here) return;
    let emptied: boolean;
    try {
      emptied = here.walk(hereQueue.splice(0), HERE_SLICE_MS);
    } catch (error) {
      fail(error);
      return;
    }
    if (settled || finishing) return;
    if (!emptied) scheduleHere();
    else {
      here.clear();
      wentIdle(HERE);
    }
  };
  function scheduleHere() {
    if (hereScheduled) return;
    hereScheduled = true;
    setImmediate(walkHere);
  }

  workers.forEach((worker, id) => {
    worker.on('message', (m: FromWorker) => {
      if (settled) return;
      switch (m.type) {
        case 'up':
          // With a walker here, a worker takes part once it is up; without, from the start.
          if (!here || finishing) break;
          members.add(id);
          wentIdle(id);
          break;
        case 'progress':
          files[id] = m.files;
          progress();
          break;
        case 'donate':
          donated(id, m.units);
          break;
        case 'idle':
          // Its flag may still be set if it ran out before seeing it.
          board.clear(id);
          files[id] = m.files;
          wentIdle(id);
          break;
        case 'done': {
          parts[id] = m.part;
          if (parts.filter(Boolean).length < expected) break;
          collected();
          break;
        }
      }
    });
    worker.on('error', (error) => {
      if (!dropped.has(id)) fail(error);
    });
    // A worker leaves by itself once its part is sent; before that, leaving is a failure.
    worker.on('exit', (code) => {
      if (!parts[id] && !dropped.has(id))
        fail(new Error(`scan worker ${id} exited (${code})${finishing ? ' while finishing' : ''}`));
    });
  });

  if (here) {
    // The walk here goes on; the workers join as they come up (the busiest walker is then asked
    // to share: this one, until the first worker has work).
    members.add(HERE);
    here.onDonate = (units) => donated(HERE, units);
    here.workerWaits = () => board.anyHungry();
    here.onProgress = progress;
    scheduleHere();
    return result;
  }
  // Worker 0 starts at the scan's folder; the others are idle, so it is asked to share at once.
  for (let id = 0; id < n; id++) members.add(id);
  for (let id = 1; id < n; id++) idle.add(id);
  post(0, { type: 'work', units: [startUnit(root, options.relPath ?? '')] });
  dispatch();
  return result;
}
