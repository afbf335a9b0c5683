// Exports of the usage report: JSON (everything), Markdown (for a pull request or a wiki page)
// and CSV (areas, or records) for spreadsheets. Byte counts are exact; sizes are also given in
// the human style.
import { escapeMarkdown } from '../format/markdown';
import { csv } from '../format/csv';
import { formatSize } from '../format/size';
import type { ReportData } from './reportData';
import { recordColumns } from './recordColumns';

export type ExportFormat = 'json' | 'markdown' | 'csv-areas' | 'csv-records';

export function exportReport(data: ReportData, format: ExportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(data, (key, value) => (key === 'treemap' || key === 'chart_svg' ? undefined : value), 2)}\n`;
    case 'markdown':
      return toMarkdown(data);
    case 'csv-areas':
      return toAreasCsv(data);
    case 'csv-records':
      return toRecordsCsv(data);
  }
}

function toAreasCsv(data: ReportData): string {
  const rows: unknown[][] = [
    ['folder', 'area', 'session', 'path', 'bytes', 'allocated_bytes', 'files', 'quota_bytes', 'percent', 'level'],
  ];
  for (const f of data.folders) {
    if (!f.usage) continue;
    for (const a of f.usage.areas)
      rows.push([
        f.name,
        a.name,
        a.session_id ?? '',
        a.path,
        a.bytes,
        a.allocated_bytes,
        a.files,
        a.quota_bytes,
        a.percent.toFixed(2),
        a.level,
      ]);
    rows.push([
      f.name,
      'other',
      '',
      '',
      f.usage.other.bytes,
      f.usage.other.allocated_bytes,
      f.usage.other.files,
      '',
      '',
      '',
    ]);
    rows.push([
      f.name,
      'total',
      '',
      '',
      f.usage.total_bytes,
      f.usage.allocated_bytes,
      f.usage.files,
      f.usage.folder_quota_bytes,
      f.usage.folder_percent.toFixed(2),
      f.usage.folder_level,
    ]);
  }
  return csv(rows);
}

function toRecordsCsv(data: ReportData): string {
  const columns = recordColumns('csv');
  const rows: unknown[][] = [['folder', ...columns.map((c) => c.key)]];
  for (const f of data.folders) {
    for (const r of f.records) rows.push([f.name, ...columns.map((c) => c.value(r))]);
  }
  return csv(rows);
}

const md = escapeMarkdown;

function mdRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Text from files and the log escaped; numbers as they are; null as an empty cell. */
function mdCell(value: string | number | null): string {
  return value === null ? '' : typeof value === 'string' ? md(value) : String(value);
}

function toMarkdown(data: ReportData): string {
  const out: string[] = [`# Workspace Usage report`, '', `Generated ${data.generated_at}.`, ''];
  for (const f of data.folders) {
    out.push(`## ${md(f.name)}`, '');
    if (!f.usage) {
      out.push(`Not scanned yet (${f.phase}).`, '');
      continue;
    }
    const u = f.usage;
    out.push(
      `Total **${formatSize(u.total_bytes)}** (${u.total_bytes} bytes, ${formatSize(u.allocated_bytes)} allocated) in ${u.files} files, ${Math.round(u.folder_percent)}% of the ${formatSize(u.folder_quota_bytes)} quota.`,
      '',
    );
    out.push('| Area | Size | Bytes | Files | Quota | Used | Level |', '|:--|--:|--:|--:|--:|--:|:--|');
    for (const a of u.areas) {
      out.push(
        `| ${md(a.session_id !== undefined ? `${a.name} (${a.session_id})` : a.name)} | ${formatSize(a.bytes)} | ${a.bytes} | ${a.files} | ${formatSize(a.quota_bytes)} | ${Math.round(a.percent)}% | ${a.level} |`,
      );
    }
    out.push(`| other | ${formatSize(u.other.bytes)} | ${u.other.bytes} | ${u.other.files} | | | |`, '');
    if (u.warnings.length) out.push('### Warnings', '', ...u.warnings.map((w) => `- ${md(w)}`), '');
    if (f.history?.forecasts.length) out.push('### Forecast', '', ...f.history.forecasts.map((w) => `- ${md(w)}`), '');
    if (f.records.length) {
      const columns = recordColumns('markdown');
      out.push(
        '### Memory records',
        '',
        mdRow(columns.map((c) => c.title)),
        `|${columns.map((c) => (c.numeric ? '--:' : ':--')).join('|')}|`,
      );
      for (const r of f.records) out.push(mdRow(columns.map((c) => mdCell(c.value(r)))));
      out.push('');
    }
    if (f.malformed.count) out.push(`${f.malformed.count} malformed usage log lines were skipped.`, '');
  }
  return out.join('\n');
}
