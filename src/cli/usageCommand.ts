// `workspace-usage usage` and `check`: disk usage per area with the quotas from the folder's
// .vscode/settings.json (overridable by flags).
//
// A measurement is incomplete when the scan skipped something (a folder it could not read, or one
// moved or deleted while it ran): each is named on stderr, `usage` says so (human: an
// "incomplete:" line; --json: "incomplete": true and "skipped"), and `check` exits 3 unless a
// quota is already exceeded by what was measured (then 1: the missing bytes can only add to it).
// Folders not entered on purpose (bind mounts reached a second time, other file systems with
// --one-file-system) do not make it incomplete; they are noted on stderr.
// Names from the disk are printed through escapeTerminal() (no raw control characters reach a terminal).
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseJsonc, settingsFromJson, type Settings } from '../core/config/settings';
import { computeUsage, type ExcludedLookup, type UsageReport } from '../core/disk/areas';
import { GitIgnored } from '../core/disk/gitIgnored';
import type { ScanResult } from '../core/disk/scanner';
import type { SizeTree } from '../core/disk/sizeTree';
import { dataAndDisk } from '../core/format/dataAndDisk';
import { formatSize, parseSize } from '../core/format/size';
import { escapeTerminal } from '../core/format/terminal';
import { CliError, EXIT, parseCliArgs, type CliIO } from './io';
import { scanForCli, scanModeFromEnv, scanWorkerPath } from './scanPath';
import { usageJson } from './usageJson';

interface Loaded {
  report: UsageReport;
  tree: SizeTree;
  scan: ScanResult;
  json: boolean;
  /** With --git-ignore (or the setting): what .gitignore files leave out. */
  excluded?: ExcludedLookup;
}

async function load(argv: string[], io: CliIO): Promise<Loaded> {
  const { values, positionals } = parseCliArgs(argv, {
    json: { type: 'boolean', default: false },
    quota: { type: 'string', multiple: true },
    'folder-quota': { type: 'string' },
    'warning-fraction': { type: 'string' },
    exclude: { type: 'string', multiple: true },
    'one-file-system': { type: 'boolean', short: 'x', default: false },
    'git-ignore': { type: 'boolean', default: false },
  });
  if (positionals.length > 1) throw new CliError(`expected one FOLDER, got ${positionals.length}`);
  // Like du: an empty name is no folder (it would silently mean the current one).
  if (positionals[0] === '') throw new CliError('FOLDER is empty (use . for the current folder)');
  const folder = path.resolve(io.cwd, positionals[0] ?? '.');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new CliError(`${folder} is not a folder`);
  const settingsFile = path.join(folder, '.vscode', 'settings.json');
  let json: Record<string, unknown> = {};
  if (existsSync(settingsFile)) {
    try {
      json = parseJsonc(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new CliError(`${settingsFile}: ${(error as Error).message}`);
    }
  }
  const { settings, errors } = settingsFromJson(json ?? {});
  if (errors.length) throw new CliError(`${settingsFile}: ${errors[0].problem}`);
  applyFlags(settings, values);
  const progress = io.stderrIsTTY ? (files: number) => io.stderr(`\rscanning… ${grouped(files)} files`) : undefined;
  // The extension's worker pool for a big tree, the synchronous walk for a small one (scanPath.ts).
  const result = await scanForCli(folder, {
    exclude: settings.exclude,
    onProgress: progress,
    oneFileSystem: Boolean(values['one-file-system']) || settings.oneFileSystem,
    hooks: io.scan,
    workerPath: io.workerPath ?? scanWorkerPath(),
    mode: scanModeFromEnv(),
  });
  if (progress) io.stderr('\r\x1b[K');
  for (const s of result.skipped)
    io.stderr(`workspace-usage: skipped ${escapeTerminal(s.path)}: ${escapeTerminal(s.reason)}\n`);
  for (const s of result.notEntered)
    io.stderr(`workspace-usage: not entered ${escapeTerminal(s.path)}: ${escapeTerminal(s.reason)}\n`);
  // Everything is measured; with --git-ignore the ignored part is then taken off (gitIgnored.ts).
  const excluded =
    Boolean(values['git-ignore']) || settings.useGitIgnore
      ? new GitIgnored(folder, (rel, problem) =>
          io.stderr(`workspace-usage: ${escapeTerminal(rel)} ${problem}: its rules are not used\n`),
        ).lookup(result.tree)
      : undefined;
  return {
    report: computeUsage(result.tree, settings, folder, excluded),
    tree: result.tree,
    scan: result,
    json: Boolean(values.json),
    excluded,
  };
}

/** The line that says a measurement is incomplete ('' when it is not). */
function incompleteLine(scan: ScanResult): string {
  const n = scan.skipped.length;
  return n === 0
    ? ''
    : `incomplete: ${n} ${n === 1 ? 'folder or file' : 'folders or files'} could not be measured (named above); the sizes leave them out`;
}

function applyFlags(settings: Settings, values: Record<string, unknown>): void {
  for (const q of (values.quota as string[] | undefined) ?? []) {
    const eq = q.indexOf('=');
    const bytes = eq > 0 ? parseSize(q.slice(eq + 1)) : undefined;
    if (bytes === undefined) throw new CliError(`--quota expects NAME=SIZE, e.g. work=1GB; got "${q}"`);
    const name = q.slice(0, eq);
    const area = settings.areas.find((a) => a.name === name);
    if (!area)
      throw new CliError(`--quota: no area named "${name}" (areas: ${settings.areas.map((a) => a.name).join(', ')})`);
    settings.areas = settings.areas.map((a) => (a.name === name ? { ...a, quota: bytes } : a));
  }
  if (values['folder-quota'] !== undefined) {
    const bytes = parseSize(values['folder-quota']);
    if (bytes === undefined)
      throw new CliError(`--folder-quota expects a size such as 100GB; got "${values['folder-quota']}"`);
    settings.folderQuota = bytes;
  }
  if (values['warning-fraction'] !== undefined) {
    const f = Number(values['warning-fraction']);
    if (!(f > 0 && f <= 1))
      throw new CliError(
        `--warning-fraction expects a number above 0 and at most 1; got "${values['warning-fraction']}"`,
      );
    settings.warningFraction = f;
  }
  const exclude = values.exclude as string[] | undefined;
  if (exclude?.length) settings.exclude = [...settings.exclude, ...exclude];
}

/** 1234567 as "1,234,567" (toLocaleString('en-US') would load ICU's data: ~18 ms of each run). */
export function grouped(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(r: UsageReport, tree: SizeTree, scan: ScanResult): string {
  const rows: string[][] = [['AREA', 'SIZE', 'QUOTA', 'USED', 'FILES', 'LEVEL']];
  for (const a of r.areas)
    rows.push([
      escapeTerminal(a.name),
      formatSize(a.bytes),
      formatSize(a.quotaBytes),
      `${Math.round(a.percent)}%`,
      String(a.files),
      a.level,
    ]);
  rows.push(['other', formatSize(r.other.bytes), '', '', String(r.other.files), '']);
  rows.push([
    'total',
    formatSize(r.totalBytes),
    formatSize(r.folderQuotaBytes),
    `${Math.round(r.folderPercent)}%`,
    String(r.files),
    r.folderLevel,
  ]);
  // Not in any size above (total included): what .gitignore files leave out (--git-ignore).
  if (r.excluded)
    rows.push(['excluded (.gitignore)', formatSize(r.excluded.bytes), '', '', String(r.excluded.files), '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row
      .map((c, i) => pad(c, widths[i], i > 0 && i < 5))
      .join('  ')
      .trimEnd(),
  );
  // The exact count (past 2^53 the double's digits would be made up).
  const total = Number.isSafeInteger(r.totalBytes) ? r.totalBytes : (tree.exact('')?.bytes ?? r.totalBytes);
  lines.push(
    '',
    `${escapeTerminal(r.folder)}: ${grouped(total)} bytes (${dataAndDisk(r.totalBytes, r.allocatedBytes)})`,
  );
  for (const w of r.warnings) lines.push(`warning: ${escapeTerminal(w)}`);
  const incomplete = incompleteLine(scan);
  if (incomplete) lines.push(incomplete);
  return `${lines.join('\n')}\n`;
}

export async function runUsage(argv: string[], io: CliIO): Promise<number> {
  const { report, tree, scan, json, excluded } = await load(argv, io);
  io.stdout(json ? `${usageJson(report, tree, scan, excluded)}\n` : table(report, tree, scan));
  return EXIT.ok;
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { report, scan } = await load(argv, io);
  const exceeded = report.areas.filter((a) => a.level === 'exceeded');
  for (const a of exceeded)
    io.stdout(
      `exceeded: ${escapeTerminal(a.name)} ${formatSize(a.bytes)} > ${formatSize(a.quotaBytes)} (${Math.round(a.percent)}%)\n`,
    );
  if (report.folderLevel === 'exceeded')
    io.stdout(`exceeded: folder ${formatSize(report.totalBytes)} > ${formatSize(report.folderQuotaBytes)}\n`);
  const bad = exceeded.length > 0 || report.folderLevel === 'exceeded';
  const incomplete = incompleteLine(scan);
  // Over quota on what was measured stays over quota whatever was missed: 1 before 3.
  if (incomplete) io.stderr(`workspace-usage: ${incomplete}${bad ? '' : '; cannot tell whether the quotas hold'}\n`);
  if (bad) return EXIT.exceeded;
  if (incomplete) return EXIT.incomplete;
  io.stdout(`ok: ${report.areas.length} areas and the folder are within quota (${formatSize(report.totalBytes)})\n`);
  return EXIT.ok;
}
