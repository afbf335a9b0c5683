// Exports of the usage history: the JSON document and the two CSV tables (samples, activity).
import { csv } from '../format/csv';
import { FORMAT, VERSION, type DailyActivity, type Sample } from './historyFormat';

export interface HistoryExport {
  format: typeof FORMAT;
  version: typeof VERSION;
  retention: number;
  samples: Sample[];
  activity: DailyActivity[];
}

export function historyToJSON(retention: number, samples: Sample[], activity: DailyActivity[]): HistoryExport {
  return { format: FORMAT, version: VERSION, retention, samples, activity };
}

/** RFC 4180 (CRLF): samples one row per sample with columns per area; activity one row per day. */
export function historyToCSV(
  samples: readonly Sample[],
  activity: readonly DailyActivity[],
): { samples: string; activity: string } {
  const names: string[] = [];
  for (const s of samples) for (const name of Object.keys(s.areas)) if (!names.includes(name)) names.push(name);
  const sampleRows: unknown[][] = [
    ['time', 'total_bytes', 'files', ...names.flatMap((n) => [`${n} bytes`, `${n} files`, `${n} quota_bytes`])],
  ];
  for (const s of samples) {
    sampleRows.push([
      new Date(s.at).toISOString(),
      s.total_bytes,
      s.files,
      ...names.flatMap((n): unknown[] => {
        const a = Object.prototype.hasOwnProperty.call(s.areas, n) ? s.areas[n] : undefined;
        return a ? [a.bytes, a.files, a.quota_bytes] : ['', '', ''];
      }),
    ]);
  }
  const activityRows: unknown[][] = [
    ['day', 'files_added', 'files_deleted', 'bytes_added', 'bytes_removed', 'end_total_bytes', 'end_files'],
  ];
  for (const d of activity)
    activityRows.push([
      d.day,
      d.files_added,
      d.files_deleted,
      d.bytes_added,
      d.bytes_removed,
      d.end_total_bytes,
      d.end_files,
    ]);
  return { samples: csv(sampleRows), activity: csv(activityRows) };
}
