// The wire shape of `workspace-usage usage --json`, built field by field from the usage report in
// this one file (a rename in the domain model touches only here). Its fields are unchanged; since
// issue 11 it has the endpoint's semantics where they overlap, so one reader of both sees the same
// numbers: production_mb, work_mb and total_mb are exact MiB (bytes / 1048576) with total =
// production + work (the whole folder stays in total_bytes), and sessions are largest first.
import * as path from 'node:path';
import type { UsageReport } from '../core/disk/areas';
import { toMB, workstreamBytes } from '../core/workstreams/arawnUsage';
import { figuresOf } from '../core/workstreams/figures';

export function usageJson(report: UsageReport): Record<string, unknown> {
  // The folder is one workstream named after itself, as `serve` treats a plain folder.
  const name = path.basename(report.folder);
  const bytes = workstreamBytes(figuresOf(report, { kind: 'single', root: report.folder, name }), name);
  const sessions = report.sessions
    .map((s) => ({ id: s.id, bytes: s.bytes, mb: toMB(s.bytes), area: s.area }))
    .sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    folder: report.folder,
    total_bytes: report.total_bytes,
    allocated_bytes: report.allocated_bytes,
    files: report.files,
    folder_quota_bytes: report.folder_quota_bytes,
    folder_percent: report.folder_percent,
    folder_level: report.folder_level,
    areas: report.areas.map((a) => ({
      name: a.name,
      path: a.path,
      pattern: a.pattern,
      bytes: a.bytes,
      allocated_bytes: a.allocated_bytes,
      files: a.files,
      quota_bytes: a.quota_bytes,
      warning_fraction: a.warning_fraction,
      percent: a.percent,
      level: a.level,
      ...(a.session_id !== undefined ? { session_id: a.session_id } : {}),
    })),
    sessions,
    other: { bytes: report.other.bytes, allocated_bytes: report.other.allocated_bytes, files: report.other.files },
    warnings: report.warnings,
    production_mb: toMB(bytes.production),
    work_mb: toMB(bytes.work),
    total_mb: toMB(bytes.production + bytes.work),
  };
}
