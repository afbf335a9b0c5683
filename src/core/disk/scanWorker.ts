// Worker-thread entry: runs the synchronous scan off the caller's main thread and posts
// progress and the result (a flat file list) back.
import { parentPort, workerData } from 'node:worker_threads';
import { scanSync } from './scanner';

const { root, exclude, relPath } = workerData as { root: string; exclude: string[]; relPath?: string };
const result = scanSync(root, { exclude, relPath, onProgress: (files) => parentPort!.postMessage({ type: 'progress', files }) });
parentPort!.postMessage({ type: 'done', files: result.tree.serialize(), skipped: result.skipped, durationMs: result.durationMs });
