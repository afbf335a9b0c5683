// One step of a full scan's walk, shared by scanSync (scanner.ts) and the parallel scan's workers
// (parallelScan.ts): list one folder and hand its files and subfolders to the caller, which keeps
// its own explicit stack of folders. Folder entries come with their type (d_type), so only files
// are lstat'ed. Names that are not valid UTF-8 are re-read as Buffers so those files can still be
// stat'ed and counted. Symlinks, sockets and devices are neither followed nor counted; unreadable
// folders and files are skipped and reported; vanished ones ignored. A folder whose path is longer
// than PATH_MAX allows (very deep trees) is listed through /proc/self/fd/N of an open descriptor
// (an anchor, shared by the folders below it and closed when the last of them is listed), so
// paths stay short.
import { closeSync, constants, existsSync, lstatSync, openSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { matchesAnyGlob } from '../monitor/globs';

/** An open folder whose descriptor stands in for its long path. */
export interface Anchor {
  fd: number;
  /** Folders (pending or being listed) whose path goes through it. */
  refs: number;
}

/** A folder to list. */
export interface DirFrame {
  /** Absolute path: a string, raw bytes where a name on it is not valid UTF-8, or under /proc/self/fd/N. */
  path: string | Buffer;
  /** Folder-relative path ('' for the scan's root). */
  rel: string;
  /** The anchor `path` goes through (this frame holds one reference on it), or null. */
  anchor: Anchor | null;
}

/** Where a listed folder's entries go. */
export interface DirSink<F extends DirFrame> {
  /** A regular file of `frame`'s folder, `index` its position in the listing. */
  file(frame: F, name: string, st: Stats, index: number): void;
  /** A subfolder, to be listed later with this path, rel and anchor (a reference on it is already taken). */
  dir(frame: F, name: string, path: string | Buffer, rel: string, anchor: Anchor | null, index: number): void;
}

export type Skipped = Array<{ path: string; reason: string }>;

const SLASH = Buffer.from('/');
const decoder = new TextDecoder('utf-8');
/** Above this many bytes a folder's path is re-rooted at /proc/self/fd/N (PATH_MAX is 4096). */
const LONG_PATH = 3000;
let procFd: boolean | undefined;

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

/** Lists folders for one walk: owns the walk's open anchors; call close() when it ends (or throws). */
export class DirLister {
  private readonly open = new Set<Anchor>();

  constructor(
    private readonly exclude: string[],
    /** Where unreadable folders and files are reported (folder-relative path, error code). */
    private readonly skipped: Skipped,
  ) {}

  /**
   * Lists `frame`'s folder into `sink` and releases the frame's anchor reference. False when the
   * folder could not be opened or listed (reported in `skipped` unless it vanished).
   */
  list<F extends DirFrame>(frame: F, sink: DirSink<F>): boolean {
    let base = frame.path;
    let anchor = frame.anchor;
    if (byteLength(base) > LONG_PATH && (procFd ??= existsSync('/proc/self/fd'))) {
      let fd: number;
      try {
        fd = openSync(base, constants.O_RDONLY | constants.O_DIRECTORY);
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') this.skipped.push({ path: frame.rel || '.', reason: code });
        this.release(frame.anchor);
        return false;
      }
      this.release(frame.anchor);
      anchor = { fd, refs: 1 };
      this.open.add(anchor);
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
        if (code !== 'ENOENT' && code !== 'ENOTDIR') this.skipped.push({ path: frame.rel || '.', reason: code });
        return false;
      }
      const exclude = this.exclude;
      const rel = frame.rel;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
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
            if (code !== 'ENOTDIR') this.skipped.push({ path: childRel ?? (rel ? `${rel}/${name}` : name), reason: code });
            continue;
          }
          if (!st) continue; // vanished mid-scan
          if (st.isFile()) {
            sink.file(frame, name, st, i);
            continue;
          }
          isDir = st.isDirectory(); // replaced since the listing
          if (!isDir) continue;
        }
        if (anchor) anchor.refs++;
        sink.dir(frame, name, join(base, raw), childRel ?? (rel ? `${rel}/${name}` : name), anchor, i);
      }
      return true;
    } finally {
      this.release(anchor);
    }
  }

  /** Closes the anchors still open (frames left on a stack that is dropped hold them). */
  close(): void {
    for (const a of this.open) closeSync(a.fd);
    this.open.clear();
  }

  private release(anchor: Anchor | null): void {
    if (anchor && --anchor.refs === 0) {
      this.open.delete(anchor);
      closeSync(anchor.fd);
    }
  }
}
