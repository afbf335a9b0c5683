// The storage size API (`/api/storage/sizes`, `/api/storage/history`) and the quota tracker's
// (`/api/storage/stats`, `/api/storage/usage-history`), as they had them, from the figures and
// the usage history: areas play the tables (file count as row_count), the served root the database.
import { formatSize } from '../format/size';
import { addLocalDays, localDayKey } from '../history/clock';
import type { HistoryExport } from '../history/historyExport';
import type { Figures } from './figures';

const GIB = 1024 ** 3;

export interface StorageSizes {
  tables: Array<{ table_name: string; size_bytes: number; size_human: string; row_count: number }>;
  total_bytes: number;
  total_human: string;
  measured_at: string;
}

/** Areas largest first (ties by name); the total is the whole served folder. */
export function storageSizes(f: Figures, measuredAt: number): StorageSizes {
  const tables = f.areas
    .map((a) => ({ table_name: a.label, size_bytes: a.bytes, size_human: formatSize(a.bytes), row_count: a.files }))
    .sort(
      (a, b) => b.size_bytes - a.size_bytes || (a.table_name < b.table_name ? -1 : a.table_name > b.table_name ? 1 : 0),
    );
  return {
    tables,
    total_bytes: f.totalBytes,
    total_human: formatSize(f.totalBytes),
    measured_at: new Date(measuredAt).toISOString(),
  };
}

export interface StorageSample {
  /** The sample's time in ms since the epoch: unique and stable while it is kept. */
  id: number;
  sampled_at: string;
  total_bytes: number;
  table_sizes: Record<string, number>;
}

/** The stored samples, newest first, at most `limit`. */
export function storageHistory(history: HistoryExport | undefined, limit: number): StorageSample[] {
  const samples = history?.samples ?? [];
  const out: StorageSample[] = [];
  for (let i = samples.length - 1; i >= 0 && out.length < limit; i--) {
    const s = samples[i];
    const table_sizes: Record<string, number> = {};
    for (const [name, a] of Object.entries(s.areas)) table_sizes[name] = a.bytes;
    out.push({ id: s.at, sampled_at: new Date(s.at).toISOString(), total_bytes: s.total_bytes, table_sizes });
  }
  return out;
}

export interface QuotaStats {
  total_files: number;
  total_size_bytes: number;
  total_size_gb: number;
  quota_gb: number;
  quota_percentage: number;
  /** At or above the warning fraction of the folder quota. */
  is_quota_warning: boolean;
}

export function quotaStats(f: Figures): QuotaStats {
  const quota = f.folderQuotaBytes;
  return {
    total_files: f.files,
    total_size_bytes: f.totalBytes,
    total_size_gb: f.totalBytes / GIB,
    quota_gb: quota / GIB,
    quota_percentage: quota > 0 ? (f.totalBytes / quota) * 100 : 0,
    is_quota_warning: f.folderLevel !== 'ok',
  };
}

export interface UsageDay {
  date: string;
  total_files: number;
  total_size_bytes: number;
  files_added: number;
  files_deleted: number;
}

/** Daily activity of the last `days` local days (today included), oldest first. */
export function usageHistory(history: HistoryExport | undefined, days: number, now: number): UsageDay[] {
  const oldest = addLocalDays(localDayKey(now), -(days - 1));
  return (history?.activity ?? [])
    .filter((d) => d.day >= oldest)
    .map((d) => ({
      date: d.day,
      total_files: d.end_files,
      total_size_bytes: d.end_total_bytes,
      files_added: d.files_added,
      files_deleted: d.files_deleted,
    }));
}
