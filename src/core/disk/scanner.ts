// Full scan: an iterative (explicit stack) synchronous walk with readdirSync + lstatSync, which
// measured about 6x faster than a promise-based walk here. Names are read as Buffers so files
// whose names are not valid UTF-8 can still be stat'ed and counted. Symlinks are neither
// followed nor counted; unreadable folders are skipped and reported; vanished files ignored.
import { lstatSync, readdirSync } from 'node:fs';
import { matchesAnyGlob } from '../monitor/globs';
import { SizeTree } from './sizeTree';

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

const SLASH = Buffer.from('/');
const decoder = new TextDecoder('utf-8');

export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled');
  }
}

export function scanSync(root: string, options: ScanOptions = {}): ScanResult {
  const started = performance.now();
  const tree = new SizeTree(root);
  const skipped: ScanResult['skipped'] = [];
  const exclude = options.exclude ?? [];
  let files = 0;
  let lastProgress = 0;
  const startRel = options.relPath ?? '';
  const stack: Array<[Buffer, string]> = [[Buffer.from(startRel ? `${root}/${startRel}` : root), startRel]];
  if (startRel) tree.applyAddDir(startRel);
  while (stack.length > 0) {
    const [dirBuf, rel] = stack.pop()!;
    let names: Buffer[];
    try {
      names = readdirSync(dirBuf, { encoding: 'buffer' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') skipped.push({ path: rel || '.', reason: code ?? String(error) });
      continue;
    }
    for (const nameBuf of names) {
      const name = decoder.decode(nameBuf);
      const childRel = rel ? `${rel}/${name}` : name;
      if (exclude.length && matchesAnyGlob(childRel, exclude)) continue;
      const childBuf = Buffer.concat([dirBuf, SLASH, nameBuf]);
      let st;
      try {
        st = lstatSync(childBuf);
      } catch {
        continue; // vanished mid-scan
      }
      if (st.isDirectory()) {
        tree.applyAddDir(childRel);
        stack.push([childBuf, childRel]);
      } else if (st.isFile()) {
        tree.applyAdd(childRel, st);
        files++;
      }
    }
    if (files - lastProgress >= 5000) {
      lastProgress = files;
      options.onProgress?.(files);
      if (options.shouldCancel?.()) throw new ScanCancelled();
    }
  }
  options.onProgress?.(files);
  return { tree, skipped, durationMs: performance.now() - started };
}
