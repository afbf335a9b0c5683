// One worker's share of a parallel scan (see parallelScan.ts): an explicit stack of folders, each
// listed by the step scanSync uses (walkDirectory.ts), into a partial tree already in serialized
// form (serializedTree.ts), so nothing is built or flattened on the worker's side. When asked, it
// donates the bottom half of its pending stack (the shallowest folders, the largest subtrees).
import { OTHER_FILE_SYSTEM, SeenDirs, type ScanResult } from './scanner';
import { compareKeys, DIR_STEP_BASE, keyOfDir, type WorkUnit } from './scanOrder';
import { SerializedTreeWriter, type SerializedTree } from './serializedTree';
import { DirLister, type DirFrame, type DirSink } from './walkDirectory';

export type { WorkUnit } from './scanOrder';
export { startUnit } from './scanOrder';

/** What a worker sends back: its partial tree and, per entry of `tree.links`, the file's order key. */
export interface ScanPart {
  tree: SerializedTree;
  linkKeys: number[][];
  skipped: ScanResult['skipped'];
  /** Folders on another file system (oneFileSystem); folders reached twice are found by the merge. */
  notEntered: ScanResult['notEntered'];
  files: number;
  /** Per folder of `tree`: st_dev and st_ino when this part listed (or declined) it, else NaN. */
  dirDevs: Float64Array;
  dirInos: Float64Array;
  /** Per folder: its key step below its parent; and the keys of the units' start folders. */
  dirSteps: Float64Array;
  unitKeys: Array<[number, number[]]>;
}

export interface PartialScanOptions {
  /** With the root's st_dev: stay on that file system (du -x). */
  oneFileSystem?: boolean;
  rootDev?: number;
  /** Stat each folder for its device and inode (default true); false when nothing is mounted below the root. */
  statFolders?: boolean;
  /** Runs after each folder's entries are taken (a test seam: to slow a walk, or make it throw). */
  afterList?(rel: string): void;
}

export interface WalkControl {
  /** True when the coordinator asks this worker for work (checked once per folder). */
  wantsWork(): boolean;
  donate(units: WorkUnit[]): void;
  /** Folders pending on this worker's stack (for the coordinator to pick whom to ask). */
  pending(n: number): void;
  progress(files: number): void;
  /**
   * Checked once per folder: true to stop walking for now and return from run() with the pending
   * folders kept (a walk on the coordinator's own thread pauses so it can answer its workers);
   * run([]) goes on.
   */
  pause?(): boolean;
}

interface Frame extends DirFrame {
  /** The folder's index in the partial tree. */
  dir: number;
}

/**
 * Walks the units it is given into flat arrays (the serialized form of a partial tree, no
 * SizeTree on this side: the caller builds the one tree).
 */
export class PartialScan {
  private readonly stack: Frame[] = [];
  private readonly skipped: ScanResult['skipped'] = [];
  private readonly notEntered: ScanResult['notEntered'] = [];
  // The partial tree: folder 0 is the root; a unit's folder and those above it are added by
  // path (once per worker); the merge joins folders of the same path.
  private readonly out = new SerializedTreeWriter();
  /** Per folder of `out`: key step, and st_dev/st_ino once entered. */
  private readonly dirSteps: number[] = [0];
  private readonly dirDevs: number[] = [NaN];
  private readonly dirInos: number[] = [NaN];
  private readonly unitKeys = new Map<number, number[]>();
  /** Folders this worker entered, by device and inode: their index. */
  private readonly seen = new SeenDirs<number>();
  private readonly unitDirs = new Map<string, number>([['', 0]]);
  /** The order keys of the hard-linked files, in the order of their link entries. */
  private readonly linkKeys: number[][] = [];
  private files = 0;
  private lastProgress = 0;
  /** Open while folders are pending (a paused walk's anchors stay open). */
  private lister: DirLister | null = null;
  private sink: DirSink<Frame> | null = null;

  constructor(
    private readonly exclude: string[] = [],
    private readonly control?: WalkControl,
    private readonly options: PartialScanOptions = {},
  ) {}

  get fileCount(): number {
    return this.files;
  }

  private dirOf(rel: string): number {
    let id = this.unitDirs.get(rel);
    if (id === undefined) {
      const slash = rel.lastIndexOf('/');
      const parent = slash < 0 ? 0 : this.dirOf(rel.slice(0, slash));
      id = this.addDir(parent, rel.slice(slash + 1));
      this.unitDirs.set(rel, id);
    }
    return id;
  }

  private addDir(parent: number, name: string, step = 0): number {
    this.dirSteps.push(step);
    this.dirDevs.push(NaN);
    this.dirInos.push(NaN);
    return this.out.addDir(parent, name);
  }

  private keyOf(dir: number): number[] {
    return keyOfDir(dir, this.out.dirParents, this.dirSteps, this.unitKeys);
  }

  /** Drops a paused walk: its pending folders, and the descriptors their long paths go through. */
  abandon(): void {
    this.lister?.close();
    this.lister = null;
    this.stack.length = 0;
  }

  /** Folders waiting on this walk's stack. */
  get pendingFolders(): number {
    return this.stack.length;
  }

  /**
   * Walks the units and everything below them (less what is donated meanwhile), or until
   * control.pause() says so; true when nothing is left pending.
   */
  run(units: WorkUnit[]): boolean {
    const stack = this.stack;
    for (const u of units) {
      const path =
        typeof u.path === 'string' ? u.path : Buffer.from(u.path.buffer, u.path.byteOffset, u.path.byteLength);
      const dir = this.dirOf(
        u.rel
          .split('/')
          .filter((p) => p !== '')
          .join('/'),
      );
      this.unitKeys.set(dir, u.key);
      stack.push({ dir, path, rel: u.rel, anchor: null });
    }
    const { control, options } = this;
    const sink = (this.sink ??= this.makeSink());
    const lister = (this.lister ??= new DirLister(this.exclude, this.skipped, {
      statFolders: options.statFolders ?? true,
      afterList: options.afterList,
    }));
    let paused = false;
    try {
      while (stack.length > 0) {
        // A request to share is answered before a pause: a walk that pauses for a waiting
        // worker (walkHere.ts) gives it work first.
        if (control) {
          if (stack.length >= 2 && control.wantsWork()) this.donate();
          control.pending(stack.length - 1);
        }
        if (control?.pause?.()) {
          paused = true;
          break;
        }
        if (!lister.list(stack.pop()!, sink)) continue;
        if (this.files - this.lastProgress >= 5000) {
          this.lastProgress = this.files;
          control?.progress(this.files);
        }
      }
    } finally {
      // Paused: the pending folders and their anchors stay. Emptied, or thrown out of: the
      // anchors go (with the frames left, whose anchors they are).
      if (!paused) {
        lister.close();
        this.lister = null;
        stack.length = 0;
      }
    }
    control?.pending(stack.length);
    return !paused;
  }

  /**
   * Where listed entries go: one object for the walk's whole life, so the lister's calls into it
   * stay monomorphic however often run() is entered (a walk in slices enters it hundreds of times).
   */
  private makeSink(): DirSink<Frame> {
    const { out, options, stack } = this;
    return {
      enter: (frame, st) => {
        if (options.oneFileSystem && st.dev !== options.rootDev) {
          this.notEntered.push({ path: frame.rel || '.', reason: OTHER_FILE_SYSTEM });
          return false;
        }
        this.dirDevs[frame.dir] = st.dev;
        this.dirInos[frame.dir] = st.ino;
        const prior = this.seen.get(st);
        // Met before at a smaller key: the merge keeps that copy (and reports this one).
        if (prior !== undefined && prior !== frame.dir && compareKeys(this.keyOf(prior), this.keyOf(frame.dir)) < 0)
          return false;
        this.seen.set(st, frame.dir);
        return true;
      },
      listed: (frame, allocated) => out.setDirAlloc(frame.dir, allocated),
      file: (frame, name, st, index) => {
        const file = out.addFile(frame.dir, name, st.size, st.blocks * 512, st.ino);
        if (st.nlink > 1) {
          // The merge picks the carrying name, by order key.
          out.addLink(file, { dev: st.dev, carries: false });
          this.linkKeys.push([...this.keyOf(frame.dir), 0, index]);
        }
        this.files++;
      },
      dir: (frame, name, path, rel, anchor, index) => {
        stack.push({ dir: this.addDir(frame.dir, name, DIR_STEP_BASE - index), path, rel, anchor });
      },
    };
  }

  /** Gives the bottom half of the pending stack (anchored folders excepted) to the coordinator. */
  private donate(): void {
    const stack = this.stack;
    const want = stack.length >> 1;
    const given: WorkUnit[] = [];
    let kept = 0;
    for (let i = 0; i < stack.length; i++) {
      const f = stack[i];
      if (given.length < want && f.anchor === null) {
        // Raw bytes travel as a copy of their own (a Buffer may be a view on a shared pool).
        given.push({
          path: typeof f.path === 'string' ? f.path : new Uint8Array(f.path),
          rel: f.rel,
          key: this.keyOf(f.dir),
        });
      } else stack[kept++] = f;
    }
    stack.length = kept;
    if (given.length > 0) this.control!.donate(given);
  }

  /** The partial tree as a serialized tree, with the order keys of its hard-linked files. */
  finish(): ScanPart {
    return {
      tree: this.out.finish(),
      linkKeys: this.linkKeys,
      skipped: this.skipped,
      notEntered: this.notEntered,
      files: this.files,
      dirDevs: Float64Array.from(this.dirDevs),
      dirInos: Float64Array.from(this.dirInos),
      dirSteps: Float64Array.from(this.dirSteps),
      unitKeys: [...this.unitKeys],
    };
  }
}
