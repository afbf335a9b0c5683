// `workspace-usage records [FOLDER] [--log PATH] [--allow-outside] [--json]`: the memory records
// of a folder with their use counts, last use and resident exposure tokens, from the usage log
// joined with the records on disk.
// The folder is not trusted (as in the extension's Restricted Mode): the log it names (its
// settings, or the default path) and its record files must resolve inside it, unless
// --allow-outside. A log named with --log is the caller's own choice and read wherever it is.
// Only a regular file is read as the log. Text from the folder is escaped for the terminal.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseJsonc, settingsFromJson } from '../core/config/settings';
import { formatRelativeTime } from '../core/format/relativeTime';
import { formatSize } from '../core/format/size';
import { escapeTerminal } from '../core/format/terminal';
import { joinRecords, type RecordRow } from '../core/log/joinRecords';
import { readLog } from '../core/log/readLogOnce';
import type { RecordReport } from '../core/log/recordReport';
import { listRecordsOnDisk } from '../core/log/recordsOnDisk';
import { resolveLogPath } from '../core/log/resolveLogPath';
import { timestampToMs } from '../core/log/timestamp';
import { CliError, type CliIO } from './io';

export interface RecordsArgs {
  folder: string;
  log?: string;
  json: boolean;
  /** Read a log (from the folder's settings or default path) and record files outside FOLDER. */
  allowOutside: boolean;
}

export function parseRecordsArgs(argv: string[]): RecordsArgs {
  let folder: string | undefined;
  let log: string | undefined;
  let json = false;
  let allowOutside = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--allow-outside') allowOutside = true;
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
      throw new CliError(`unknown option "${arg}" for records (expected --log PATH, --allow-outside or --json)`);
    } else {
      if (folder !== undefined) throw new CliError(`unexpected argument "${arg}" (records takes one FOLDER)`);
      folder = arg;
    }
  }
  return { folder: folder ?? '.', log, json, allowOutside };
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
    malformed: {
      count: report.malformed.count,
      samples: report.malformed.samples.map((s) => ({ line: s.line, reason: s.reason })),
    },
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

/** "3 days ago"; "-" when never used; never throws (a leap second :60 shows as the next second). */
function lastUsed(at: string | null, now: number): string {
  if (at === null) return '-';
  return formatRelativeTime(timestampToMs(at) ?? Number.NaN, now);
}

function formatHuman(
  rows: RecordRow[],
  report: RecordReport,
  logPath: string,
  logExists: boolean,
  now: number,
): string {
  const t = escapeTerminal;
  let out = `Usage log: ${t(logPath)}${logExists ? '' : ' (not found)'}\n`;
  if (rows.length === 0) {
    out += 'No memory records on disk or in the log.\n';
  } else {
    const header = ['KIND', 'SLUG', 'STATUS', 'USES', 'LAST USED', 'SOURCES', 'RESIDENT', 'RESIDENT TOKENS', 'SIZE'];
    const body = rows.map((r) => [
      t(r.kind),
      t(r.slug),
      r.status,
      String(r.use_count),
      lastUsed(r.last_used_at, now),
      Object.entries(r.source_breakdown)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || '-',
      String(r.resident_exposure_count),
      r.resident_exposure_count > 0
        ? `${r.estimated_total_resident_exposure_tokens} (${r.estimated_tokens_per_injection} each)`
        : '-',
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
    for (const s of samples) out += `  line ${s.line}: ${t(s.reason)}\n`;
  }
  return out;
}

export async function runRecords(argv: string[], io: CliIO): Promise<number> {
  const args = parseRecordsArgs(argv);
  const folder = path.resolve(io.cwd, args.folder);
  let isDir: boolean;
  try {
    isDir = (await stat(folder)).isDirectory();
  } catch {
    throw new CliError(`folder not found: ${folder}`);
  }
  if (!isDir) throw new CliError(`not a folder: ${folder}`);
  const explicit = args.log !== undefined;
  const logPath = explicit
    ? path.resolve(io.cwd, args.log!)
    : resolveLogPath(folder, await usageLogSetting(folder, io));
  const hint = explicit || args.allowOutside ? '' : ' (pass --allow-outside to read it)';
  const skipped: string[] = [];
  const [log, onDisk] = await Promise.all([
    // The inside-the-folder rule applies to the log the folder names, not to one named by --log.
    readLog(logPath, { folder, allowOutside: explicit || args.allowOutside }),
    listRecordsOnDisk(folder, { allowOutside: args.allowOutside, onSkip: (_file, reason) => skipped.push(reason) }),
  ]);
  if (!log.ok) throw new CliError(escapeTerminal(`${log.reason}${log.cause === 'outside' ? hint : ''}`));
  for (const reason of skipped)
    io.stderr(`workspace-usage: record file skipped: ${escapeTerminal(reason)} (pass --allow-outside to read it)\n`);
  const rows = joinRecords(log.report, onDisk);
  if (args.json) io.stdout(`${JSON.stringify(recordsJson(rows, log.report), null, 2)}\n`);
  else io.stdout(formatHuman(rows, log.report, logPath, log.exists, Date.now()));
  return 0;
}
