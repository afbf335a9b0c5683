// Builds the report page's and the exports' data (reportData.ts) from folder snapshots: the usage
// report mapped to its JSON shape, the treemap of the largest folders, records, notes, history.
import type { FolderSnapshot } from '../monitor/folderSnapshot';
import {
  RESIDENT_DAYS,
  TREEMAP_HEADER,
  TREEMAP_HEIGHT,
  TREEMAP_PAD,
  TREEMAP_WIDTH,
  type FolderExtras,
  type HistoryView,
  type ReportData,
  type TreemapCell,
} from './reportData';
import { squarify } from './treemap';
import { usageToWire } from './usageWire';

/** Treemap of the largest folders two levels deep (top level, then their largest children). */
function buildTreemap(snapshot: FolderSnapshot, topN = 24, childN = 12): TreemapCell[] {
  const top = snapshot.largest('', topN);
  const cells: TreemapCell[] = [];
  const outer = squarify(
    top.map((e) => ({ key: e.relPath, value: e.bytes, entry: e })),
    0,
    0,
    TREEMAP_WIDTH,
    TREEMAP_HEIGHT,
  );
  for (const r of outer) {
    const e = r.item.entry;
    cells.push({
      label: e.name,
      rel_path: e.relPath,
      bytes: e.bytes,
      is_directory: e.isDirectory,
      depth: 0,
      x: r.x,
      y: r.y,
      w: r.w,
      h: r.h,
    });
    // Children inside, below a header strip, when the cell is big enough to read.
    if (e.isDirectory && r.w > 60 && r.h > 50) {
      const children = snapshot.largest(e.relPath, childN);
      const pad = TREEMAP_PAD;
      const header = TREEMAP_HEADER;
      for (const c of squarify(
        children.map((ch) => ({ key: ch.relPath, value: ch.bytes, entry: ch })),
        r.x + pad,
        r.y + header,
        r.w - 2 * pad,
        r.h - header - pad,
      )) {
        const ce = c.item.entry;
        cells.push({
          label: ce.name,
          rel_path: ce.relPath,
          bytes: ce.bytes,
          is_directory: ce.isDirectory,
          depth: 1,
          x: c.x,
          y: c.y,
          w: c.w,
          h: c.h,
        });
      }
    }
  }
  return cells;
}

export function buildReportData(
  snapshots: FolderSnapshot[],
  history: (folder: string) => HistoryView | null = () => null,
  now = Date.now(),
  extras: (folder: string) => FolderExtras = () => ({}),
): ReportData {
  return {
    generated_at: new Date(now).toISOString(),
    folders: snapshots.map((s) => ({
      name: s.name,
      folder: s.folder,
      phase: s.phase,
      scanned_files: s.scannedFiles,
      usage: s.usage ? usageToWire(s.usage) : null,
      treemap: s.usage ? buildTreemap(s) : [],
      records: s.records,
      malformed: s.malformed,
      log_path: s.logPath,
      log_exists: s.logExists,
      notes: [...(s.watchNote ? [s.watchNote] : []), ...s.notes, ...(s.error ? [s.error] : [])],
      history: history(s.folder),
      resident_by_day: s.residentByDay(RESIDENT_DAYS),
      ...extras(s.folder),
    })),
  };
}
