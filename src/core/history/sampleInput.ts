// The edge between the usage report (domain, camelCase) and the history's on-disk sample format
// (snake_case, versioned): what a size sample keeps of a report.
import type { UsageReport } from '../disk/areas';
import type { SampleInput } from './historyFormat';

export function sampleInputOf(report: UsageReport): SampleInput {
  return {
    total_bytes: report.totalBytes,
    files: report.files,
    folder_quota_bytes: report.folderQuotaBytes,
    areas: report.areas.map((a) => ({ name: a.name, bytes: a.bytes, files: a.files, quota_bytes: a.quotaBytes })),
  };
}
