// `workspace-usage usage` and `check`: disk usage per area with the quotas from the folder's
// .vscode/settings.json (overridable by flags).
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseJsonc, settingsFromJson, type Settings } from '../core/config/settings';
import { computeUsage, type UsageReport } from '../core/disk/areas';
import { scanSync } from '../core/disk/scanner';
import { formatSize, parseSize } from '../core/format/size';
import { CliError, type CliIO } from './io';
import { usageJson } from './json';

function load(argv: string[], io: CliIO): { report: UsageReport; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        quota: { type: 'string', multiple: true },
        'folder-quota': { type: 'string' },
        'warning-fraction': { type: 'string' },
        exclude: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CliError(`expected one FOLDER, got ${positionals.length}`);
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
  const progress = io.stderrIsTTY ? (files: number) => io.stderr(`\rscanning… ${files.toLocaleString('en-US')} files`) : undefined;
  const result = scanSync(folder, { exclude: settings.exclude, onProgress: progress });
  if (progress) io.stderr('\r\x1b[K');
  for (const s of result.skipped) io.stderr(`workspace-usage: skipped ${s.path}: ${s.reason}\n`);
  return { report: computeUsage(result.tree, settings, folder), json: Boolean(values.json) };
}

function applyFlags(settings: Settings, values: Record<string, unknown>): void {
  for (const q of (values.quota as string[] | undefined) ?? []) {
    const eq = q.indexOf('=');
    const bytes = eq > 0 ? parseSize(q.slice(eq + 1)) : undefined;
    if (bytes === undefined) throw new CliError(`--quota expects NAME=SIZE, e.g. work=1GB; got "${q}"`);
    const name = q.slice(0, eq);
    const area = settings.areas.find((a) => a.name === name);
    if (!area) throw new CliError(`--quota: no area named "${name}" (areas: ${settings.areas.map((a) => a.name).join(', ')})`);
    settings.areas = settings.areas.map((a) => (a.name === name ? { ...a, quota: bytes } : a));
  }
  if (values['folder-quota'] !== undefined) {
    const bytes = parseSize(values['folder-quota']);
    if (bytes === undefined) throw new CliError(`--folder-quota expects a size such as 100GB; got "${values['folder-quota']}"`);
    settings.folderQuota = bytes;
  }
  if (values['warning-fraction'] !== undefined) {
    const f = Number(values['warning-fraction']);
    if (!(f > 0 && f <= 1)) throw new CliError(`--warning-fraction expects a number above 0 and at most 1; got "${values['warning-fraction']}"`);
    settings.warningFraction = f;
  }
  const exclude = values.exclude as string[] | undefined;
  if (exclude?.length) settings.exclude = [...settings.exclude, ...exclude];
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(r: UsageReport): string {
  const rows: string[][] = [['AREA', 'SIZE', 'QUOTA', 'USED', 'FILES', 'LEVEL']];
  for (const a of r.areas) rows.push([a.name, formatSize(a.bytes), formatSize(a.quota_bytes), `${Math.round(a.percent)}%`, String(a.files), a.level]);
  rows.push(['other', formatSize(r.other.bytes), '', '', String(r.other.files), '']);
  rows.push(['total', formatSize(r.total_bytes), formatSize(r.folder_quota_bytes), `${Math.round(r.folder_percent)}%`, String(r.files), r.folder_level]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((c, i) => pad(c, widths[i], i > 0 && i < 5)).join('  ').trimEnd());
  lines.push('', `${r.folder}: ${r.total_bytes.toLocaleString('en-US')} bytes (${formatSize(r.allocated_bytes)} allocated)`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export async function runUsage(argv: string[], io: CliIO): Promise<number> {
  const { report, json } = load(argv, io);
  io.stdout(json ? `${JSON.stringify(usageJson(report), null, 2)}\n` : table(report));
  return 0;
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const { report } = load(argv, io);
  const exceeded = report.areas.filter((a) => a.level === 'exceeded');
  for (const a of exceeded) io.stdout(`exceeded: ${a.name} ${formatSize(a.bytes)} > ${formatSize(a.quota_bytes)} (${Math.round(a.percent)}%)\n`);
  if (report.folder_level === 'exceeded') io.stdout(`exceeded: folder ${formatSize(report.total_bytes)} > ${formatSize(report.folder_quota_bytes)}\n`);
  const bad = exceeded.length > 0 || report.folder_level === 'exceeded';
  if (!bad) io.stdout(`ok: ${report.areas.length} areas and the folder are within quota (${formatSize(report.total_bytes)})\n`);
  return bad ? 1 : 0;
}
