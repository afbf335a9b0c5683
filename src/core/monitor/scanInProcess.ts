// A folder's full scan in a child process (the headless scan, cli/scanProcess.ts), for the
// extension host: what a scan leaves behind (worker heaps, the listing's garbage, the merge's
// copies) is the child's and goes back to the system when it exits; the host keeps only the tree,
// read into one buffer whose arrays the tree adopts (as a stored snapshot's are).
//
// The tree comes in a file the host names (a new one in the temporary folder, removed once read),
// read straight into that buffer. Read from the pipe, it came in 64 KiB chunks, each its own
// allocation, and the C heap kept their pages: in plain Node a 200,000-file scan left the host
// 33 MB more resident through the pipe, 23 MB through the file (medians of 5, in turns). The
// pipe stays for a child that cannot write the file (a full temporary folder). A file left
// behind (host and child killed together between the write and the read: up to 40 MB at a
// million files, in a folder that may be RAM) is removed by a later scan's child (removeStaleParts).
//
// The child runs at nice 10 when `background` is set (its worker threads inherit it), or drops to
// it when the host says someone needs the CPU (onYield: the editor's first scan), is killed
// on abort, and leaves by itself if the host goes away. Its tree comes as its walkers' parts, each
// in treeSnapshot.ts's format and checked index by index like a file from disk before it is used;
// the host makes them one tree (mergeScan.ts's buildTree), as the headless command does.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTree } from '../disk/mergeScan';
import type { ScanResult } from '../disk/scanner';
import type { SizeTree } from '../disk/sizeTree';
import { lowerPriority } from '../sched/priority';
import { runSliced } from '../sched/slices';
import { decodeParts } from './scanParts';
import { partsFileName } from './staleParts';
import { MAX_TREE_BYTES } from './treeSnapshot';

export interface ScanRequest {
  root: string;
  exclude: string[];
  oneFileSystem?: boolean;
  /** Worker threads of the child's pool (default: the pool's). */
  workers?: number;
  background?: boolean;
  /** Also write the tree as the folder's stored sizes (treeSnapshot.ts), after sending it. */
  store?: { dir: string; fingerprint: string };
  /** Where to write the tree: a file to create (the host reads and removes it). Absent: the pipe. */
  partsFile?: string;
  /**
   * Once done, remove stale parts files from partsFile's folder (removeStaleParts): the child
   * lists it, not the host (at 4,900 entries in /tmp the listing allocated 8 MB on the host's heap
   * in the editor's first seconds, beside the tree being built).
   */
  sweepParts?: boolean;
}

export type FromScanProcess =
  | { type: 'progress'; files: number }
  | {
      type: 'done';
      skipped: ScanResult['skipped'];
      notEntered: ScanResult['notEntered'];
      via: 'sync' | 'pool';
      /** The walk's own time in the process (not its start, nor the parts' preparation and transfer). */
      walkMs: number;
      /** When the numbers were taken (the stored copy's time). */
      at: number;
      /** The byte length of each part's snapshot in the body, in order (scanParts.ts). Absent: one snapshot. */
      parts?: number[];
      /** Folders reached a second time, emptied once the parts are one tree (mergeScan.ts). */
      drop?: string[];
      /** The parts are in the request's partsFile, whole (else they follow on the pipe). */
      inFile?: boolean;
    }
  | { type: 'stored'; at: number; files: number }
  | { type: 'notStored'; message: string }
  | { type: 'error'; message: string };

/** What became of the stored copy the child was asked to write. */
export type StoreOutcome = { stored: true; at: number; files: number } | { stored: false; reason: string };

export interface ProcessScanOptions extends Omit<ScanRequest, 'root' | 'partsFile'> {
  /** The bundled child (dist/scanProcess.js, with dist/scanWorker.js beside it). */
  processPath: string;
  /** Where the child writes its parts file (default: the temporary folder). */
  partsDir?: string;
  signal?: AbortSignal;
  onProgress?(files: number): void;
  /** With `store`: the child wrote the stored copy, or could not (it may outlive the scan's promise). */
  onStored?(outcome: StoreOutcome): void;
  /**
   * A scan not `background`: subscribes to a signal that someone needs the CPU now (the editor: a
   * document edited or saved). At its first call the child and every thread of it drop to the
   * background priority (sched/priority.ts) for the rest of its life. Returns the unsubscribe.
   */
  onYield?(lower: () => void): () => void;
}

/** The child could not be started at all (no Node to run it): the caller may scan another way. */
export class ScanProcessUnavailable extends Error {}

const STDERR_KEEP = 4096;

let live = 0;
let started = 0;

/** Scan processes started by this module: how many have not exited yet, and how many in all (for tests). */
export function scanProcesses(): { live: number; started: number } {
  return { live, started };
}

export function scanInProcess(root: string, options: ProcessScanOptions): Promise<ScanResult> {
  const startedAt = performance.now();
  if (options.signal?.aborted) return Promise.reject(new Error('scan cancelled'));
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    // A missing bundle is an install without it: the caller falls back, not every scan failing.
    if (!existsSync(options.processPath)) {
      reject(new ScanProcessUnavailable(`scan process not started: ${options.processPath} is missing`));
      return;
    }
    try {
      child = fork(options.processPath, [], {
        // None of the host's flags (an inspector port, a TypeScript loader); in Electron the
        // host's own executable runs the script as Node.
        execArgv: [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: childEnv(process.env),
      });
    } catch (error) {
      reject(new ScanProcessUnavailable(`scan process not started: ${String(error)}`));
      return;
    }
    live++;
    started++;
    let stopYielding: (() => void) | undefined;
    if (!options.background && options.onYield) {
      const pid = child.pid;
      stopYielding = options.onYield(() => {
        stopYielding?.();
        stopYielding = undefined;
        if (pid !== undefined && child.exitCode === null && child.signalCode === null) lowerPriority(pid);
      });
    }
    const partsDir = options.partsDir ?? tmpdir();
    const partsFile = join(partsDir, partsFileName(randomUUID()));
    let settled = false;
    let spawned = false;
    let done: Extract<FromScanProcess, { type: 'done' }> | undefined;
    /** When the child said its parts were sent (performance.now()). */
    let doneAt = 0;
    let failure: string | undefined;
    let stderr = '';
    let head = Buffer.alloc(0);
    let body: Buffer | undefined;
    let filled = 0;
    /** The child said its tree is in the parts file, and the host is reading it. */
    let receiving = false;
    let building = false;
    let storeOutcome: StoreOutcome | undefined;

    const finish = (error: Error | undefined, result?: ScanResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // Once the host is reading the file, the read removes it; before, it may be there or coming.
      if (!receiving) removeFile(partsFile);
      if (error) {
        // Not once the tree is in: the child may be writing the stored copy, left whole or not at all.
        if (!building && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(error);
      } else resolve(result!);
    };
    const onAbort = () => finish(new Error('scan cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.once('spawn', () => (spawned = true));
    child.on('error', (error) =>
      finish(spawned ? error : new ScanProcessUnavailable(`scan process not started: ${error.message}`)),
    );
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (settled || done?.inFile) return;
      if (!body) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 8) return;
        const length = head.readDoubleLE(0);
        if (!(Number.isSafeInteger(length) && length >= 0 && length <= MAX_TREE_BYTES)) {
          finish(new Error('scan process sent a damaged tree (length)'));
          return;
        }
        try {
          body = treeBuffer(length);
        } catch (error) {
          finish(error as Error);
          return;
        }
        chunk = head.subarray(8);
      }
      if (filled + chunk.length > body.length) {
        finish(new Error('scan process sent more than it announced'));
        return;
      }
      chunk.copy(body, filled);
      filled += chunk.length;
      whenReceived();
    });
    // The tree is in once the child said "done" and every announced byte came: it is built then,
    // without waiting for the child to exit (it may still be writing the stored copy).
    const whenReceived = () => {
      if (building || settled || !done || !body || filled !== body.length) return;
      building = true;
      const meta = done;
      build(root, body, meta, options.signal).then(
        (tree) => {
          const now = performance.now();
          // Where the time went besides the walk (the log says it): the child's start-up and the
          // parts' preparation, then the host's read and build (in slices, other tasks between).
          const ms = (x: number) => Math.round(x);
          finish(undefined, {
            tree,
            skipped: meta.skipped,
            notEntered: meta.notEntered,
            durationMs: now - startedAt,
            via:
              `scan process, ${meta.via === 'pool' ? 'worker pool' : 'one thread'}, its walk ${ms(meta.walkMs)} ms; ` +
              `its parts sent ${ms(doneAt - startedAt)} ms after the start, made one tree here in ${ms(now - doneAt)} ms`,
          });
        },
        (error: Error) => finish(error),
      );
    };
    const receiveFile = async () => {
      try {
        body = await readParts(partsFile);
        filled = body.length;
      } catch (error) {
        finish(
          new Error(`the scan's tree could not be read: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      } finally {
        removeFile(partsFile);
      }
      whenReceived();
    };
    child.on('message', (m: FromScanProcess) => {
      switch (m.type) {
        case 'progress':
          options.onProgress?.(m.files);
          break;
        case 'done':
          done = m;
          doneAt = performance.now();
          if (m.inFile) {
            receiving = true;
            void receiveFile();
          } else whenReceived();
          break;
        case 'stored':
          storeOutcome = { stored: true, at: m.at, files: m.files };
          options.onStored?.(storeOutcome);
          break;
        case 'notStored':
          storeOutcome = { stored: false, reason: m.message };
          options.onStored?.(storeOutcome);
          break;
        case 'error':
          failure = m.message;
          break;
      }
    });
    child.once('close', (code, signal) => {
      live--;
      stopYielding?.();
      // Its work is done once the tree is sent (it may exit before the host has read the file).
      if (building || receiving) {
        if (options.store && !storeOutcome)
          options.onStored?.({
            stored: false,
            reason: `scan process ${signal ? `killed by ${signal}` : `exited (${String(code)})`} before storing`,
          });
        return;
      }
      if (settled) return;
      if (failure !== undefined) return finish(new Error(failure));
      const why = signal ? `killed by ${signal}` : `exited (${String(code)})`;
      const tail = stderr.trim().split('\n').slice(-3).join(' / ');
      finish(new Error(`scan process ${why} before sending its tree${tail ? `: ${tail}` : ''}`));
    });
    const request: ScanRequest = {
      root,
      exclude: options.exclude,
      oneFileSystem: options.oneFileSystem,
      workers: options.workers,
      background: options.background,
      store: options.store,
      partsFile,
      sweepParts: firstIn(partsDir),
    };
    child.send(request);
  });
}

/**
 * `env` without NODE_EXTRA_CA_CERTS, for a Node process that makes no TLS connection. Node reads
 * and parses that certificate bundle at every start, before any script runs (corporate proxies
 * set it machine-wide: 38 ms per start with Debian's system bundle, medians of 11).
 */
export function withoutCaBundle(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest: NodeJS.ProcessEnv = { ...env };
  delete rest.NODE_EXTRA_CA_CERTS;
  return rest;
}

/** The child's environment: the host's, Node under Electron, without the CA bundle (the scan makes no TLS connection). */
export function childEnv(host: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...withoutCaBundle(host), ELECTRON_RUN_AS_NODE: '1' };
}

/**
 * The buffer the scan's tree is read into: memory of its own (not a pooled slice), so every array
 * of the tree is an aligned view on it. Throws, saying so, when there is no memory for it.
 */
function treeBuffer(length: number): Buffer {
  try {
    return Buffer.allocUnsafeSlow(length);
  } catch (error) {
    throw new Error(`no memory for the scan's tree (${length.toLocaleString('en-US')} bytes): ${String(error)}`, {
      cause: error,
    });
  }
}

/** The child's parts file, whole, in one buffer of its own (each part's arrays are aligned views on it). */
async function readParts(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (!(size <= MAX_TREE_BYTES)) throw new Error(`${file} is ${size} bytes, more than a tree can be`);
    const body = treeBuffer(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(body, filled, size - filled, filled);
      if (bytesRead === 0) throw new Error(`${file} ended at ${filled} of its ${size} bytes`);
      filled += bytesRead;
    }
    return body;
  } finally {
    await handle.close();
  }
}

/**
 * Removes the parts file if it is there (it may never have been written), off the host's thread:
 * freeing a 40 MB file is the file system's work, not the event loop's. A failure is not the
 * user's concern (an open file on Windows; the temporary folder's cleaner takes it later).
 */
function removeFile(file: string): void {
  rm(file, { force: true }).catch(() => undefined);
}

/** Parts folders a scan of this host was asked to sweep (once each: files are only left by a crash). */
const swept = new Set<string>();

function firstIn(dir: string): boolean {
  if (swept.has(dir)) return false;
  swept.add(dir);
  return true;
}

/**
 * The child's parts as one SizeTree, in slices (slices.ts): the host's thread is never held long.
 * Each part is checked like a snapshot from disk before any of it is used.
 */
async function build(
  root: string,
  bytes: Buffer,
  meta: Extract<FromScanProcess, { type: 'done' }>,
  signal: AbortSignal | undefined,
): Promise<SizeTree> {
  const drop = meta.drop ?? [];
  if (!Array.isArray(drop) || !drop.every((d) => typeof d === 'string'))
    throw new Error('scan process sent a damaged tree (its folders reached twice)');
  const trees = await decodeParts(root, bytes, meta.parts ?? [bytes.length]);
  return runSliced(buildTree(root, trees, drop), { signal });
}
