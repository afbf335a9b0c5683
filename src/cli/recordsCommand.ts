// `workspace-usage records [FOLDER] [--log PATH] [--json]`: the memory records of a folder with
// their use counts, last use and resident exposure tokens, from the usage log joined with the
// records on disk.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseJsonc, settingsFromJson } from '../core/config/settings';
import { formatRelativeTime } from '../core/format/relativeTime';
import { formatSize } from '../core/format/size';
import { joinRecords, type RecordRow } from '../core/log/joinRecords';
import { readLogOnce } from '../core/log/readLogOnce';
import type { RecordReport } from '../core/log/recordReport';
import { listRecordsOnDisk } from '../core/log/recordsOnDisk';
import { resolveLogPath } from '../core/log/resolveLogPath';
import { CliError, type CliIO } from './io';

export interface RecordsArgs {
  folder: string;
  log?: string;
  json: boolean;
}

export function parseRecordsArgs(argv: string[]): RecordsArgs {
  let folder: string | undefined;
  let log: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--log' || arg.startsWith('--log=')) {
      const value = arg === '--log' ? argv[++i] : arg.slice('--log='.length);
      if (value === undefined || value === '') throw new CliError('--log needs a path');
      log = value;
    } else if (arg === '--') {
      for (const rest of argv.slice(i + 1)) {
        if (folder !== undefined) throw new CliError(`unexpected argument "${rest}" (records takes one FOLDER)`);
        folder = rest;
      }
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new CliError(`unknown option "${arg}" for records (expected --log PATH or --json)`);
    } else {
      if (folder !== undefined) throw new CliError(`unexpected argument "${arg}" (records takes one FOLDER)`);
      folder = arg;
    }
  }
  return { folder: folder ?? '.', log, json };
}

/** The usage log setting of FOLDER/.vscode/settings.json ('' when unset). */
async function usageLogSetting(folder: string, io: CliIO): Promise<string> {
  const file = path.join(folder, '.vscode', 'settings.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return '';
  }
  let json: unknown;
  try {
    json = parseJsonc(text);
  } catch (error) {
    throw new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return '';
  const { settings, errors } = settingsFromJson(json as Record<string, unknown>);
  for (const e of errors) if (e.setting === 'workspaceUsage.usageLog') io.stderr(`workspace-usage: ${e.message}\n`);
  return settings.usageLog;
}

/** The record as `--json` prints it: the report's fields, then the on-disk status and size. */
export function recordJson(r: RecordRow) {
  return {
    kind: r.kind,
    slug: r.slug,
    use_count: r.use_count,
    last_used_at: r.last_used_at,
    source_breakdown: r.source_breakdown,
    resident_exposure_count: r.resident_exposure_count,
    estimated_tokens_per_injection: r.estimated_tokens_per_injection,
    estimated_total_resident_exposure_tokens: r.estimated_total_resident_exposure_tokens,
    status: r.status,
    file_bytes: r.file_bytes,
  };
}

export function recordsJson(rows: RecordRow[], report: RecordReport) {
  return {
    records: rows.map(recordJson),
    malformed: { count: report.malformed.count, samples: report.malformed.samples.map((s) => ({ line: s.line, reason: s.reason })) },
  };
}

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function formatHuman(rows: RecordRow[], report: RecordReport, logPath: string, logExists: boolean, now: number): string {
  let out = `Usage log: ${logPath}${logExists ? '' : ' (not found)'}\n`;
  if (rows.length === 0) {
    out += 'No memory records on disk or in the log.\n';
  } else {
    const header = ['KIND', 'SLUG', 'STATUS', 'USES', 'LAST USED', 'SOURCES', 'RESIDENT', 'RESIDENT TOKENS', 'SIZE'];
    const body = rows.map((r) => [
      r.kind,
      r.slug,
      r.status,
      String(r.use_count),
      r.last_used_at === null ? '-' : formatRelativeTime(Date.parse(r.last_used_at), now),
      Object.entries(r.source_breakdown).map(([s, n]) => `${s} ${n}`).join(', ') || '-',
      String(r.resident_exposure_count),
      r.resident_exposure_count > 0 ? `${r.estimated_total_resident_exposure_tokens} (${r.estimated_tokens_per_injection} each)` : '-',
      r.file_bytes === null ? '-' : formatSize(r.file_bytes),
    ]);
    out += '\n' + table(header, body, new Set([3, 6, 7, 8]));
    const used = rows.filter((r) => r.status === 'used').length;
    const unused = rows.filter((r) => r.status === 'unused').length;
    const missing = rows.filter((r) => r.status === 'missing').length;
    out += `\n${rows.length} records: ${used} used, ${unused} unused, ${missing} missing on disk; ${report.events} events read.\n`;
  }
  const { count, samples } = report.malformed;
  if (count > 0) {
    out += `${count} malformed log ${count === 1 ? 'line' : 'lines'} skipped${count > samples.length ? ` (first ${samples.length} shown)` : ''}:\n`;
    for (const s of samples) out += `  line ${s.line}: ${s.reason}\n`;
  }
  return out;
}

export async function runRecords(argv: string[], io: CliIO): Promise<number> {
  const args = parseRecordsArgs(argv);
  const folder = path.resolve(io.cwd, args.folder);
  let isDir = false;
  try {
    isDir = (await stat(folder)).isDirectory();
  } catch {
    throw new CliError(`folder not found: ${folder}`);
  }
  if (!isDir) throw new CliError(`not a folder: ${folder}`);
  const logPath = args.log !== undefined ? path.resolve(io.cwd, args.log) : resolveLogPath(folder, await usageLogSetting(folder, io));
  let logExists = false;
  try {
    const s = await stat(logPath);
    if (s.isDirectory()) throw new CliError(`the usage log is a folder: ${logPath}`);
    logExists = true;
  } catch (error) {
    if (error instanceof CliError) throw error;
  }
  const [report, onDisk] = await Promise.all([readLogOnce(logPath), listRecordsOnDisk(folder)]);
  const rows = joinRecords(report, onDisk);
  if (args.json) io.stdout(`${JSON.stringify(recordsJson(rows, report), null, 2)}\n`);
  else io.stdout(formatHuman(rows, report, logPath, logExists, Date.now()));
  return 0;
}
