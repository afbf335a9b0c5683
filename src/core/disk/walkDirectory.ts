// One step of a full scan's walk, shared by scanSync (scanner.ts) and the parallel scan's workers
// (parallelScan.ts): list one folder and hand its files and subfolders to the caller, which keeps
// its own explicit stack of folders. Folder entries come with their type (d_type), so only files
// are lstat'ed, plus one stat of each folder as it is listed (its st_dev and st_ino, for the
// caller to skip a folder reached twice through a bind mount, or another file system). Names that
// are not valid UTF-8 are re-read as Buffers so those files can still be stat'ed and counted.
// Symlinks, sockets and devices are neither followed nor counted; unreadable folders and files
// are skipped and reported. A file that vanishes between the listing and its lstat was deleted
// (or moved, see the README): it is not counted, silently. A folder that vanishes between its
// parent's listing and its own is looked for again in its parent (one re-listing): still there,
// it is listed again; gone, it is reported as skipped (moved or deleted during the scan), since
// its bytes may be missing from the totals. A folder whose path is longer than PATH_MAX allows
// (very deep trees) is listed through /proc/self/fd/N of an open descriptor (an anchor, shared by
// the folders below it and closed when the last of them is listed), so paths stay short.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  statSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { matchesAnyGlob } from '../paths/glob';

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
  /**
   * `frame`'s folder is about to be listed; `st` is its stat. False: do not list it (the sink
   * noted why: already counted through another path, on another file system).
   */
  enter?(frame: F, st: Stats): boolean;
  /**
   * `frame`'s folder was listed; `allocated` is its own inode's st_blocks * 512 (what du adds for
   * a folder; 0 if it could not be stat'ed). Called before its entries go to file() and dir().
   */
  listed?(frame: F, allocated: number): void;
  /** A regular file of `frame`'s folder, `index` its position in the listing. */
  file(frame: F, name: string, st: Stats, index: number): void;
  /** A subfolder, to be listed later with this path, rel and anchor (a reference on it is already taken). */
  dir(frame: F, name: string, path: string | Buffer, rel: string, anchor: Anchor | null, index: number): void;
}

export type Skipped = Array<{ path: string; reason: string }>;

/** Why a folder that vanished during the scan was not measured. */
export const MOVED = 'moved or deleted during the scan';

/** The file system calls a walk makes (injectable: a test seam for races). */
export interface WalkFs {
  statSync: typeof statSync;
  readdirSync: typeof readdirSync;
}

const realFs: WalkFs = { statSync, readdirSync };

export interface ListerOptions {
  /** Runs after a folder's entries went to the sink, before any subfolder is listed (a test seam). */
  afterList?(rel: string): void;
  fs?: WalkFs;
  /**
   * Stat each folder as it is listed and ask the sink's enter() (default true). False when
   * nothing is mounted below the root (mounts.ts): no folder can be reached twice then.
   */
  statFolders?: boolean;
}

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
  return Buffer.concat([
    typeof base === 'string' ? Buffer.from(base) : base,
    SLASH,
    typeof name === 'string' ? Buffer.from(name) : name,
  ]);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** What list() made of one attempt: null listed; 'skip' not entered; else the error code. */
type Attempt = null | 'skip' | string;

/** Lists folders for one walk: owns the walk's open anchors; call close() when it ends (or throws). */
export class DirLister {
  private readonly open = new Set<Anchor>();
  private readonly fs: WalkFs;

  constructor(
    private readonly exclude: string[],
    /** Where unreadable folders and files are reported (folder-relative path, error code). */
    private readonly skipped: Skipped,
    private readonly options: ListerOptions = {},
  ) {
    this.fs = options.fs ?? realFs;
    this.statFolders = options.statFolders ?? true;
  }

  private readonly statFolders: boolean;

  /**
   * Lists `frame`'s folder into `sink` and releases the frame's anchor reference. False when the
   * folder was not listed: not entered (the sink's call), or could not be opened or listed
   * (reported in `skipped`).
   */
  list<F extends DirFrame>(frame: F, sink: DirSink<F>): boolean {
    try {
      let attempt = this.attempt(frame, sink);
      if (attempt === null) return true;
      if (attempt === 'skip') return false;
      if ((attempt === 'ENOENT' || attempt === 'ENOTDIR') && frame.rel !== '') {
        // Gone between its parent's listing and now: moved, deleted, or replaced. Look again.
        const now = this.lookAgain(frame.path);
        if (now === 'dir') {
          attempt = this.attempt(frame, sink);
          if (attempt === null) return true;
          if (attempt === 'skip') return false;
        }
        if (attempt === 'ENOENT' || attempt === 'ENOTDIR' || now !== 'dir') {
          this.skipped.push({ path: frame.rel, reason: now === 'file' ? 'replaced by a file during the scan' : MOVED });
          return false;
        }
      }
      this.skipped.push({ path: frame.rel || '.', reason: attempt });
      return false;
    } finally {
      this.release(frame.anchor);
    }
  }

  /** One try at listing `frame` (its anchor reference is the caller's to release). */
  private attempt<F extends DirFrame>(frame: F, sink: DirSink<F>): Attempt {
    let base = frame.path;
    let anchor = frame.anchor;
    let st: Stats | undefined;
    if (byteLength(base) > LONG_PATH && (procFd ??= existsSync('/proc/self/fd'))) {
      let fd: number;
      try {
        fd = openSync(base, constants.O_RDONLY | constants.O_DIRECTORY);
      } catch (error) {
        return errorCode(error);
      }
      anchor = { fd, refs: 1 };
      this.open.add(anchor);
      base = `/proc/self/fd/${fd}`;
      if (this.statFolders) {
        try {
          st = fstatSync(fd);
        } catch (error) {
          this.release(anchor);
          return errorCode(error);
        }
      }
    } else {
      if (this.statFolders) {
        try {
          st = this.fs.statSync(base);
        } catch (error) {
          return errorCode(error);
        }
      }
      if (anchor) anchor.refs++; // this attempt's own reference, released below
    }
    try {
      if (st) {
        if (!st.isDirectory()) return 'ENOTDIR';
        if (sink.enter && !sink.enter(frame, st)) return 'skip';
      }
      let entries: Array<Dirent | Dirent<Buffer>>;
      try {
        entries = this.fs.readdirSync(base, { withFileTypes: true });
        // A name that is not valid UTF-8 decodes with U+FFFD: re-read as Buffers to reach it.
        if (entries.some((e) => (e.name as string).includes('\uFFFD')))
          entries = this.fs.readdirSync(base, { withFileTypes: true, encoding: 'buffer' });
      } catch (error) {
        return errorCode(error);
      }
      if (sink.listed) sink.listed(frame, this.folderBlocks(st, base));
      this.deliver(frame, sink, base, anchor, entries);
      this.options.afterList?.(frame.rel);
      return null;
    } finally {
      this.release(anchor);
    }
  }

  /**
   * A listed folder's own allocated bytes: from the stat made for enter() when there was one,
   * else one more stat after the listing (outside the WalkFs seam: a folder that went away in
   * between was still listed, and counts 0 here). A /proc/self/fd/N path resolves to the folder.
   */
  private folderBlocks(st: Stats | undefined, base: string | Buffer): number {
    if (!st) {
      try {
        st = statSync(base, { throwIfNoEntry: false });
      } catch {
        st = undefined;
      }
    }
    return st ? st.blocks * 512 : 0;
  }

  private deliver<F extends DirFrame>(
    frame: F,
    sink: DirSink<F>,
    base: string | Buffer,
    anchor: Anchor | null,
    entries: Array<Dirent | Dirent<Buffer>>,
  ): void {
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
          if (code !== 'ENOTDIR')
            this.skipped.push({ path: childRel ?? (rel ? `${rel}/${name}` : name), reason: code });
          continue;
        }
        if (!st) continue; // deleted mid-scan
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
  }

  /** After a folder vanished: what its parent's listing shows under its name now. */
  private lookAgain(path: string | Buffer): 'dir' | 'file' | 'gone' {
    const slash = typeof path === 'string' ? path.lastIndexOf('/') : path.lastIndexOf(0x2f);
    if (slash <= 0) return 'gone';
    const parent = typeof path === 'string' ? path.slice(0, slash) : path.subarray(0, slash);
    const name = typeof path === 'string' ? path.slice(slash + 1) : path.subarray(slash + 1);
    let entries: Array<Dirent | Dirent<Buffer>>;
    try {
      entries =
        typeof name === 'string'
          ? this.fs.readdirSync(parent, { withFileTypes: true })
          : this.fs.readdirSync(parent, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return 'gone';
    }
    const entry = entries.find((e) =>
      typeof name === 'string' ? e.name === name : Buffer.compare(e.name as Buffer, name) === 0,
    );
    if (!entry) return 'gone';
    return entry.isDirectory() ? 'dir' : 'file';
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
