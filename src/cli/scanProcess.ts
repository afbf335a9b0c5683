// The extension's full scan, run headless in a child process (dist/scanProcess.js, started by
// core/monitor/scanInProcess.ts). It scans the way the headless command does (scanForCli: a
// synchronous walk for a small tree, the worker pool for a big one) and sends the walkers' parts
// back as they are, each a snapshot (treeSnapshot.ts's format, unhashed), one after the other
// (each starting at a multiple of 8): written to the new file the host named, or, when that cannot
// be written, on stdout after an 8-byte length of them all. Their lengths, the folders to empty
// (reached twice), progress, the skipped folders and errors go over the IPC channel. The host
// makes the parts one tree. Asked to, this process then makes them one tree too and writes it as
// the folder's stored sizes (hashed, atomically) and says so, and removes parts files that
// crashed hosts left in the temporary folder (the host's first scan asks for that).
//
// Why a process and not worker threads in the extension host: the scan's garbage (the workers'
// heaps, the readdir and stat results, the merge) stayed resident in the host after the scan
// (+67 MB at 200,000 files under Node 24, of which the tree is 24), and a process gives all of it
// back when it exits. The host keeps only the tree it reads from the parts file (or the pipe).
import { rmSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../core/fs/durableFile';
import { buildTree, prepareParts, type PreparedParts } from '../core/disk/mergeScan';
import { unpackParts } from '../core/disk/scanInWorker';
import type { ScanResult } from '../core/disk/scanner';
import { encodeSnapshot, snapshotPath } from '../core/monitor/treeSnapshot';
import type { FromScanProcess, ScanRequest } from '../core/monitor/scanInProcess';
import { removeStaleParts } from '../core/monitor/staleParts';
import { PROCESS_DELAY_ENV, testScanDelay } from '../core/monitor/testScanDelay';
import { encodeParts } from '../core/monitor/scanParts';
import { lowerPriority } from '../core/sched/priority';
import { runAll } from '../core/sched/slices';
import { scanWorkerPath, walkForCli } from './scanPath';

const PROGRESS_EVERY_MS = 100;

function send(message: FromScanProcess): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

function write(chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve())));
}

async function run(request: ScanRequest): Promise<void> {
  if (request.background) lowerPriority();
  // Integration tests only: a scan held while this process runs (the host kills it on cancel).
  await testScanDelay(request.root, new AbortController().signal, PROCESS_DELAY_ENV);
  let lastProgress = 0;
  const walk = await walkForCli(request.root, {
    exclude: request.exclude,
    oneFileSystem: request.oneFileSystem,
    workerPath: scanWorkerPath(),
    workers: request.workers,
    // The pool past the first walk's budget, however busy the machine: an editor's scan
    // starts while the window loads, a contention that passes. With the CLI's rule (no pool under
    // load) the editor bench's first number at 200,000 files came 9.5 s after activation; with the
    // pool, 2.4-3.9 s.
    idleCores: () => Infinity,
    // The walk on this thread is one walker of the pool (cores - 1 workers join it as they come
    // up): never a third busy thread of ours on 2 cores. (Walking on while 2 workers started, as
    // a hand-over did, aborted live.test's save participant in one of two fresh-clone CI runs.)
    // This process outside the editor (scanInProcess, background), builds run in turns, medians:
    // 45,000 files 265 ms against 340 with the hand-over (this thread waited for the workers),
    // 200,000 files 1,276 against 1,303, and 2,053 against 2,160 beside one busy process;
    // 1,000,000 files 2,645 against 2,701.
    onProgress: (files) => {
      const now = performance.now();
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      void send({ type: 'progress', files });
    },
  });
  // The walk alone (the parts' preparation and trip come after it: the host's log tells them apart).
  const walkMs = performance.now() - walk.started;
  // The walkers' parts go to the host as they are, to be made one tree there (mergeScan.ts's
  // buildTree): joined into a tree here and flattened again, they cost this process 200-275 ms
  // at 200,000 files before the host could start on them.
  const sent = 'scanned' in walk ? oneTree(walk.scanned) : prepareParts(runAll(unpackParts(walk.parts)));
  const at = Date.now();
  const body = await encodeParts(request.root, sent.trees, at);
  const inFile = request.partsFile !== undefined && (await writeParts(request.partsFile, body.chunks));
  await send({
    type: 'done',
    skipped: sent.skipped,
    notEntered: sent.notEntered,
    via: walk.via,
    walkMs,
    at,
    parts: body.lengths,
    drop: sent.drop,
    inFile,
  });
  if (!inFile) {
    const length = Buffer.alloc(8);
    length.writeDoubleLE(body.total);
    await write(length);
    for (const chunk of body.chunks) await write(chunk);
  }
  // The host has its tree. What is left (the stored copy, the sweep) nobody waits for, while the
  // host makes its own tree of the parts: at the background priority from here (a first scan ran
  // at the normal one).
  if (!request.background) lowerPriority();
  if (request.store) await store(request, request.store, walk, sent, at);
  if (request.sweepParts && request.partsFile) await removeStaleParts(dirname(request.partsFile));
}

/** Writes the stored copy of the tree (request.store) and says how it went. */
async function store(
  request: ScanRequest,
  target: NonNullable<ScanRequest['store']>,
  walk: Awaited<ReturnType<typeof walkForCli>>,
  sent: PreparedParts,
  at: number,
): Promise<void> {
  // The host has its tree; the stored copy is written from here, hashed, so the host's thread
  // does not serialize, hash and write the tree again right after its first scan. The parts are
  // made one tree for it now, after they were sent (the arrays are the tree's from here on).
  storing = true;
  try {
    const flat = 'scanned' in walk ? sent.trees[0] : runAll(buildTree(request.root, sent.trees, sent.drop)).serialize();
    const { dir, fingerprint } = target;
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(snapshotPath(dir), await encodeSnapshot(request.root, flat, fingerprint, at));
    await send({ type: 'stored', at, files: flat.fileNames.length });
  } catch (error) {
    await send({ type: 'notStored', message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Writes the parts to `file`, which must not exist yet (the host named it and reads it into one
 * buffer). False when it cannot be written (nothing of it is left then): the parts go on the pipe.
 */
async function writeParts(file: string, chunks: Uint8Array[]): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch {
    return false; // not created (a file of that name is not ours to remove)
  }
  partsFile = file;
  try {
    try {
      for (const chunk of chunks)
        for (let at = 0; at < chunk.length;) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    removeQuietly(file);
    return false;
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // the host removes it too
  }
}

/** A tree already built (the synchronous scan's), sent as one part. */
function oneTree(scanned: ScanResult): PreparedParts {
  return { trees: [scanned.tree.serialize()], drop: [], skipped: scanned.skipped, notEntered: scanned.notEntered };
}

/** Writing the stored copy: finished even when the host goes away (a rename half done is no copy). */
let storing = false;
/** The parts file this process created: removed if the host goes away, which may not have read it. */
let partsFile: string | undefined;
/** This process is closing the IPC channel itself (its host is still there). */
let leaving = false;

process.once('message', (request: ScanRequest) => {
  run(request).then(
    () => {
      leaving = true;
      process.disconnect?.();
    },
    async (error: unknown) => {
      await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});
// The extension host went away (closed window, crash): nobody wants the result, though a stored
// copy being written is finished first.
process.on('disconnect', () => {
  if (!leaving && partsFile) removeQuietly(partsFile);
  if (!storing) process.exit(0);
});
