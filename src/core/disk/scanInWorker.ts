// Runs scanSync in a worker thread (the extension host must never block on a large tree).
import { Worker } from 'node:worker_threads';
import { SizeTree, type SerializedTree } from './sizeTree';
import type { ScanResult } from './scanner';

export interface WorkerScanOptions {
  exclude?: string[];
  onProgress?(files: number): void;
  signal?: AbortSignal;
  workerPath: string;
  relPath?: string;
}

export function scanInWorker(root: string, options: WorkerScanOptions): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(options.workerPath, { workerData: { root, exclude: options.exclude ?? [], relPath: options.relPath } });
    const onAbort = () => {
      void worker.terminate();
      reject(new Error('scan cancelled'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { type: string; files?: number; tree?: SerializedTree; skipped?: ScanResult['skipped']; durationMs?: number }) => {
      if (m.type === 'progress') options.onProgress?.(m.files!);
      else if (m.type === 'done') {
        options.signal?.removeEventListener('abort', onAbort);
        // Rebuilt with the hard-link groups, so later events keep counting each inode once.
        const tree = SizeTree.deserialize(root, m.tree!);
        void worker.terminate();
        resolve({ tree, skipped: m.skipped ?? [], durationMs: m.durationMs ?? 0 });
      }
    });
    worker.on('error', (e) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}
