// Full scan: an iterative (explicit stack) synchronous walk with readdirSync + lstatSync, which
// measured about 6x faster than a promise-based walk here. Each folder is listed by the step the
// parallel scan's workers share (walkDirectory.ts: d_type so only files are lstat'ed, Buffer
// names for non-UTF-8, symlinks neither followed nor counted, unreadable folders skipped and
// reported, /proc/self/fd re-rooting of paths longer than PATH_MAX allows); its entries go
// straight into their folder of the size tree (no path look-ups).
import { SizeTree, type DirHandle } from './sizeTree';
import { DirLister, type DirFrame, type DirSink } from './walkDirectory';

export interface ScanOptions {
  exclude?: string[];
  onProgress?(files: number): void;
  shouldCancel?(): boolean;
  /** Only this subtree (folder-relative); '' for everything. */
  relPath?: string;
}

export interface ScanResult {
  tree: SizeTree;
  skipped: Array<{ path: string; reason: string }>;
  durationMs: number;
}

export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled');
  }
}

interface Frame extends DirFrame {
  dir: DirHandle;
}

export function scanSync(root: string, options: ScanOptions = {}): ScanResult {
  const started = performance.now();
  const tree = new SizeTree(root);
  const skipped: ScanResult['skipped'] = [];
  const exclude = options.exclude ?? [];
  let files = 0;
  let lastProgress = 0;
  const startRel = options.relPath ?? '';
  const stack: Frame[] = [{ dir: tree.dirHandle(startRel), path: startRel ? `${root}/${startRel}` : root, rel: startRel, anchor: null }];
  const sink: DirSink<Frame> = {
    file(frame, name, st) {
      tree.addScannedFile(frame.dir, name, st);
      files++;
    },
    dir(frame, name, path, rel, anchor) {
      stack.push({ dir: tree.addScannedDir(frame.dir, name), path, rel, anchor });
    },
  };
  const lister = new DirLister(exclude, skipped);
  try {
    while (stack.length > 0) {
      if (!lister.list(stack.pop()!, sink)) continue;
      if (files - lastProgress >= 5000) {
        lastProgress = files;
        options.onProgress?.(files);
        if (options.shouldCancel?.()) throw new ScanCancelled();
      }
    }
  } finally {
    lister.close();
  }
  options.onProgress?.(files);
  return { tree, skipped, durationMs: performance.now() - started };
}
