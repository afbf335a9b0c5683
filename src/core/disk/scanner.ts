// Full scan: an iterative (explicit stack) synchronous walk with readdirSync + lstatSync, which
// measured about 6x faster than a promise-based walk here. Folder entries come with their type
// (d_type), so only files are lstat'ed, and go straight into their folder of the size tree (no
// path look-ups). Names that are not valid UTF-8 are re-read as Buffers so those files can still
// be stat'ed and counted. Symlinks are neither followed nor counted; unreadable folders are
// skipped and reported; vanished files ignored. Paths longer than PATH_MAX allows (very deep
// trees) are walked through /proc/self/fd/N of an open folder, so they stay short.
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync, type Dirent } from 'node:fs';
import { matchesAnyGlob } from '../monitor/globs';
import { SizeTree, type DirHandle } from './sizeTree';

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
/** Above this many bytes a folder's path is re-rooted at /proc/self/fd/N (PATH_MAX is 4096). */
const LONG_PATH = 3000;
let procFd: boolean | undefined;

export class ScanCancelled extends Error {
  constructor() {
    super('scan cancelled');
  }
}

/** An open folder whose descriptor stands in for its long path. */
interface Anchor {
  fd: number;
  refs: number;
}

interface Frame {
  dir: DirHandle;
  path: string | Buffer;
  rel: string;
  anchor: Anchor | null;
}

function byteLength(p: string | Buffer): number {
  return typeof p === 'string' ? (p.length * 3 <= LONG_PATH ? p.length : Buffer.byteLength(p)) : p.length;
}

function join(base: string | Buffer, name: string | Buffer): string | Buffer {
  if (typeof base === 'string' && typeof name === 'string') return `${base}/${name}`;
  return Buffer.concat([typeof base === 'string' ? Buffer.from(base) : base, SLASH, typeof name === 'string' ? Buffer.from(name) : name]);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
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
  const open = new Set<Anchor>();
  const release = (anchor: Anchor | null) => {
    if (anchor && --anchor.refs === 0) {
      open.delete(anchor);
      closeSync(anchor.fd);
    }
  };
  try {
    while (stack.length > 0) {
      const frame = stack.pop()!;
      let base = frame.path;
      let anchor = frame.anchor;
      if (byteLength(base) > LONG_PATH && (procFd ??= existsSync('/proc/self/fd'))) {
        let fd: number;
        try {
          fd = openSync(base, constants.O_RDONLY | constants.O_DIRECTORY);
        } catch (error) {
          const code = errorCode(error);
          if (code !== 'ENOENT' && code !== 'ENOTDIR') skipped.push({ path: frame.rel || '.', reason: code });
          release(frame.anchor);
          continue;
        }
        release(frame.anchor);
        anchor = { fd, refs: 1 };
        open.add(anchor);
        base = `/proc/self/fd/${fd}`;
      }
      try {
        let entries: Array<Dirent | Dirent<Buffer>>;
        try {
          entries = readdirSync(base, { withFileTypes: true });
          // A name that is not valid UTF-8 decodes with U+FFFD: re-read as Buffers to reach it.
          if (entries.some((e) => (e.name as string).includes('\uFFFD'))) entries = readdirSync(base, { withFileTypes: true, encoding: 'buffer' });
        } catch (error) {
          const code = errorCode(error);
          if (code !== 'ENOENT' && code !== 'ENOTDIR') skipped.push({ path: frame.rel || '.', reason: code });
          continue;
        }
        const rel = frame.rel;
        for (const entry of entries) {
          const raw = entry.name;
          const name = typeof raw === 'string' ? raw : decoder.decode(raw);
          let childRel: string | undefined;
          if (exclude.length) {
            childRel = rel ? `${rel}/${name}` : name;
            if (matchesAnyGlob(childRel, exclude)) continue;
          }
          let isDir = entry.isDirectory();
          if (!isDir) {
            if (!entry.isFile()) continue; // symlinks, sockets, devices
            let st;
            try {
              st = lstatSync(join(base, raw), { throwIfNoEntry: false });
            } catch (error) {
              const code = errorCode(error);
              if (code !== 'ENOTDIR') skipped.push({ path: childRel ?? (rel ? `${rel}/${name}` : name), reason: code });
              continue;
            }
            if (!st) continue; // vanished mid-scan
            if (st.isFile()) {
              tree.addScannedFile(frame.dir, name, st);
              files++;
              continue;
            }
            isDir = st.isDirectory(); // replaced since the listing
            if (!isDir) continue;
          }
          if (anchor) anchor.refs++;
          stack.push({ dir: tree.addScannedDir(frame.dir, name), path: join(base, raw), rel: childRel ?? (rel ? `${rel}/${name}` : name), anchor });
        }
      } finally {
        release(anchor);
      }
      if (files - lastProgress >= 5000) {
        lastProgress = files;
        options.onProgress?.(files);
        if (options.shouldCancel?.()) throw new ScanCancelled();
      }
    }
  } finally {
    for (const a of open) closeSync(a.fd);
  }
  options.onProgress?.(files);
  return { tree, skipped, durationMs: performance.now() - started };
}
