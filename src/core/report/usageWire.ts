// The usage report as JSON for the outside (`usage --json`, the report page, the JSON export):
// snake_case names, and the usage endpoint's `production_mb` / `work_mb` / `total_mb`. The domain
// model (core/disk/areas.ts) is mapped here field by field, so an output contract changes only
// where this mapper changes. Key order is part of the contract: the CLI's golden output is
// printed with JSON.stringify.
//
// Where this shape overlaps the usage endpoint (`serve`), it has the endpoint's semantics, so one
// reader of both sees the same numbers: the *_mb fields are exact MiB (bytes / 1048576, not
// floored), total_mb is production + work (the whole folder stays in total_bytes), and sessions
// are largest first. The folder counts as one workstream named after itself, as `serve` treats a
// plain folder.
import * as path from 'node:path';
import type { AreaUsage, ExcludedUsage, Level, UsageReport } from '../disk/areas';
import { toMB, workstreamBytes } from '../workstreams/arawnUsage';
import { figuresOf } from '../workstreams/figures';

interface AreaWire {
  name: string;
  path: string;
  pattern: string;
  bytes: number;
  allocated_bytes: number;
  files: number;
  quota_bytes: number;
  warning_fraction: number;
  percent: number;
  level: Level;
  session_id?: string;
  /** Only with workspaceUsage.useGitIgnore (absent otherwise, so the output is as before). */
  excluded?: ExcludedWire;
}

/** What .gitignore files leave out: measured, not in bytes/files/percent/level. */
interface ExcludedWire {
  bytes: number;
  allocated_bytes: number;
  files: number;
}

export interface UsageWire {
  folder: string;
  total_bytes: number;
  allocated_bytes: number;
  files: number;
  folder_quota_bytes: number;
  folder_percent: number;
  folder_level: Level;
  areas: AreaWire[];
  sessions: Array<{ id: string; bytes: number; mb: number; area: string }>;
  other: { bytes: number; allocated_bytes: number; files: number };
  warnings: string[];
  production_mb: number;
  work_mb: number;
  total_mb: number;
  excluded?: ExcludedWire;
}

function excludedToWire(e: ExcludedUsage): ExcludedWire {
  return { bytes: e.bytes, allocated_bytes: e.allocatedBytes, files: e.files };
}

function areaToWire(a: AreaUsage): AreaWire {
  const wire: AreaWire = {
    name: a.name,
    path: a.path,
    pattern: a.pattern,
    bytes: a.bytes,
    allocated_bytes: a.allocatedBytes,
    files: a.files,
    quota_bytes: a.quotaBytes,
    warning_fraction: a.warningFraction,
    percent: a.percent,
    level: a.level,
  };
  if (a.sessionId !== undefined) wire.session_id = a.sessionId;
  if (a.excluded) wire.excluded = excludedToWire(a.excluded);
  return wire;
}

export function usageToWire(r: UsageReport): UsageWire {
  const name = path.basename(r.folder);
  const endpoint = workstreamBytes(figuresOf(r, { kind: 'single', root: r.folder, name }), name);
  const sessions = r.areas
    .filter((a) => a.sessionId !== undefined)
    .map((a) => ({ id: a.sessionId!, bytes: a.bytes, mb: toMB(a.bytes), area: a.areaName }))
    .sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const wire: UsageWire = {
    folder: r.folder,
    total_bytes: r.totalBytes,
    allocated_bytes: r.allocatedBytes,
    files: r.files,
    folder_quota_bytes: r.folderQuotaBytes,
    folder_percent: r.folderPercent,
    folder_level: r.folderLevel,
    areas: r.areas.map(areaToWire),
    sessions,
    other: { bytes: r.other.bytes, allocated_bytes: r.other.allocatedBytes, files: r.other.files },
    warnings: r.warnings,
    production_mb: toMB(endpoint.production),
    work_mb: toMB(endpoint.work),
    total_mb: toMB(endpoint.production + endpoint.work),
  };
  if (r.excluded) wire.excluded = excludedToWire(r.excluded);
  return wire;
}
