// Worker-thread entry. Alone (`mode: 'single'`) it runs the synchronous scan off the caller's main
// thread and posts progress and the result (the tree as flat arrays, the typed ones transferred)
// back. In a parallel scan (`mode: 'parallel'`) it walks the work units the coordinator sends,
// donates half of its pending folders when its flag in the shared array is set, says when it is
// idle, and sends its partial tree on `finish` (see parallelScan.ts and scanInWorker.ts).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { BACKGROUND_NICE } from '../sched/priority';
import { ShareBoard, type FromWorker, type ToWorker } from './parallelScan';
import { PartialScan } from './partialScan';
import { scanSync } from './scanner';
import { packTree, transferList } from './serializedTree';

interface Data {
  mode?: 'single' | 'parallel';
  root: string;
  exclude: string[];
  relPath?: string;
  oneFileSystem?: boolean;
  /** The root's st_dev, for oneFileSystem in a parallel scan. */
  rootDev?: number;
  /** Parallel: whether to stat each folder (something is mounted below the root). */
  statFolders?: boolean;
  /** Parallel: this worker's index, the worker count, and [donate flags..., pending counts...]. */
  id?: number;
  workers?: number;
  shared?: SharedArrayBuffer;
  /** Lower this thread's CPU priority (scanInWorker's `background`). */
  background?: boolean;
}

const data = workerData as Data;
const port = parentPort!;

if (data.background) {
  // On Linux a nice value belongs to the thread: pid 0 is this worker thread alone, not the
  // extension host's. Where it cannot be lowered, the scan runs as before.
  try {
    setPriority(0, BACKGROUND_NICE);
  } catch {
    // not permitted or not supported
  }
}

if (data.mode === 'parallel') {
  const id = data.id!;
  const board = new ShareBoard(data.shared!, data.workers!);
  const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const scan = new PartialScan(
    data.exclude,
    {
      wantsWork: () => board.asked(id),
      donate: (units) => {
        board.clear(id);
        post({ type: 'donate', units });
      },
      pending: (n) => board.setPending(id, n),
      progress: (files) => post({ type: 'progress', files }),
    },
    { oneFileSystem: data.oneFileSystem, rootDev: data.rootDev, statFolders: data.statFolders },
  );
  port.on('message', (m: ToWorker) => {
    if (m.type === 'work') {
      scan.run(m.units);
      board.setHungry(id, true);
      post({ type: 'idle', files: scan.fileCount });
    } else {
      const part = scan.finish();
      const tree = packTree(part.tree);
      post({ type: 'done', part: { ...part, tree } }, transferList(tree));
      port.close();
    }
  });
  board.setHungry(id, true);
  post({ type: 'up' });
} else {
  const result = scanSync(data.root, {
    exclude: data.exclude,
    relPath: data.relPath,
    oneFileSystem: data.oneFileSystem,
    onProgress: (files) => port.postMessage({ type: 'progress', files }),
  });
  const tree = packTree(result.tree.serialize());
  port.postMessage(
    { type: 'done', tree, skipped: result.skipped, notEntered: result.notEntered, durationMs: result.durationMs },
    transferList(tree),
  );
}
