// Worker-thread entry: runs the synchronous scan off the caller's main thread and posts
// progress and the result (the tree as flat arrays, the typed ones transferred) back.
import { parentPort, workerData } from 'node:worker_threads';
import { scanSync } from './scanner';

const { root, exclude, relPath } = workerData as { root: string; exclude: string[]; relPath?: string };
const result = scanSync(root, { exclude, relPath, onProgress: (files) => parentPort!.postMessage({ type: 'progress', files }) });
const tree = result.tree.serialize();
parentPort!.postMessage(
  { type: 'done', tree, skipped: result.skipped, durationMs: result.durationMs },
  [tree.dirParents, tree.fileDirs, tree.fileSizes, tree.fileAllocs, tree.fileInos, tree.links].map((a) => a.buffer as ArrayBuffer),
);
