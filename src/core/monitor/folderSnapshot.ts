// What the editor shows for one workspace folder at one moment: the disk usage, the memory
// records and the state of the tracking behind them. Views render snapshots; they never reach
// into the engines.
import type { MalformedSummary } from '../log/recordReport';
import type { ResidentDay } from '../log/tokenBudget';
import type { UsageReport } from '../disk/areas';
import type { FolderSizeEntry, LargestEntry } from '../disk/sizeTree';
import type { RecordRow } from '../log/joinRecords';

// One entry of a folder's largest list: defined with the size tree (disk does not import monitor).
export type { LargestEntry } from '../disk/sizeTree';

export type WatchMode = 'starting' | 'watching' | 'periodic' | 'off';

export type { MalformedSummary } from '../log/recordReport';

export interface FolderSnapshot {
  /** Absolute path of the workspace folder. */
  folder: string;
  name: string;
  /** 'cancelled': the user stopped the first scan; there are no numbers until a rescan. */
  phase: 'scanning' | 'ready' | 'failed' | 'cancelled';
  /** Files counted so far by the first scan. */
  scannedFiles: number;
  error?: string;
  usage?: UsageReport;
  /** Largest direct children of a folder-relative path (dirs and files), largest first. */
  largest(relPath: string, n: number): LargestEntry[];
  /**
   * Every folder below the root, each before its subfolders, with the sums largest() gives it:
   * for a walk of every folder (a baseline's), without an entry per file or a path look-up.
   */
  folderSizes(): Iterable<FolderSizeEntry>;
  records: RecordRow[];
  malformed: MalformedSummary;
  /** Tokens injected by resident exposures per UTC day, oldest first: the last `days` days with any. */
  residentByDay(days: number): ResidentDay[];
  logPath: string;
  logExists: boolean;
  watchMode: WatchMode;
  /** Why the folder is rescanned periodically instead of watched, if it is. */
  watchNote?: string;
  /** Notes for the user shown in the view (e.g. settings ignored in Restricted Mode). */
  notes: string[];
  skipped: Array<{ path: string; reason: string }>;
  lastScanMs?: number;
  /** The scan or rescan running now: since when, and files counted so far. */
  busy?: { kind: 'scan' | 'rescan'; relPath: string; startedAt: number; files: number };
  /** Why the sizes may be stale: a rescan was cancelled (until the next one completes). */
  rescanCancelled?: string;
  /**
   * Set while `usage` and `largest` come from the sizes stored at the end of the last session
   * (treeSnapshot.ts), taken at `at` (ms since the epoch), while the first scan verifies them;
   * a cancelled or failed scan drops them (the folder then says so, as without them). Phase
   * stays 'scanning' meanwhile, so nothing acts on stored numbers (quota notifications, history
   * samples, the ready context key).
   */
  stale?: { at: number };
}
