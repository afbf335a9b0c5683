// The data behind the Usage Report page and the exports: plain JSON (its types and the treemap
// geometry; buildReportData.ts builds it from folder snapshots). The page's browser bundle imports
// this file, so it holds types and constants only. Every string here is data from files or the
// log; renderers must escape it.
import type { DailyActivity } from '../history/historyFormat';
import type { RecordRow } from '../log/joinRecords';
import type { ResidentDay } from '../log/tokenBudget';
import type { FolderSnapshot, MalformedSummary } from '../monitor/folderSnapshot';
import type { UsageWire } from './usageWire';

export const TREEMAP_WIDTH = 1000;
export const TREEMAP_HEIGHT = 420;
/** Height of the strip above a folder's children that holds its label (the page draws it there). */
export const TREEMAP_HEADER = 18;
/** Padding between a folder's cell and its children. */
export const TREEMAP_PAD = 3;

export interface TreemapCell {
  label: string;
  rel_path: string;
  bytes: number;
  is_directory: boolean;
  depth: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HistoryView {
  chart_svg: string;
  forecasts: string[];
  activity: DailyActivity[];
  samples: number;
}

/** "Grew most" (issue 15): folders that grew most since a baseline, changed subfolders under each. */
export interface GrewMostView {
  /** "the last sample", "yesterday", "7 days ago", "the pinned baseline". */
  since: string;
  /** When the baseline was taken (ms since the epoch). */
  at: number;
  rows: Array<{
    rel_path: string;
    depth: number;
    before: number;
    after: number;
    delta: number;
    status: 'added' | 'removed' | 'changed';
  }>;
}

/** Bytes and files by file type under one area: the top types, then "other". */
export interface ByTypeView {
  area: string;
  rel_path: string;
  rows: Array<{ type: string; bytes: number; files: number }>;
  other: { bytes: number; files: number; types: number };
}

/** Report sections computed off the build (asynchronously, then re-posted); absent: not yet. */
export interface FolderExtras {
  grew_most?: GrewMostView | null;
  by_type?: ByTypeView[] | null;
}

export interface FolderReport extends FolderExtras {
  name: string;
  folder: string;
  phase: FolderSnapshot['phase'];
  scanned_files: number;
  /** The usage report in its JSON shape (the page and the exports read these names). */
  usage: UsageWire | null;
  treemap: TreemapCell[];
  records: RecordRow[];
  malformed: MalformedSummary;
  log_path: string;
  log_exists: boolean;
  notes: string[];
  history: HistoryView | null;
  /** Tokens injected by resident exposures per UTC day, oldest first (the last RESIDENT_DAYS days with any). */
  resident_by_day?: ResidentDay[];
}

/** How many days of resident tokens the page shows. */
export const RESIDENT_DAYS = 30;

export interface ReportData {
  generated_at: string;
  folders: FolderReport[];
}
