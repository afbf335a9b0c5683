// The status bar item: the folder total against its quota, or the most critical area when one
// is near or over its quota; warning/error background by level; a tooltip listing every area;
// a click opens the report. Also raises one notification when an area enters warning or
// exceeded (not one per update).
import * as vscode from 'vscode';
import type { AreaUsage } from '../core/disk/areas';
import { formatSize } from '../core/format/size';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';

type Level = 'ok' | 'warning' | 'exceeded';
const RANK: Record<Level, number> = { ok: 0, warning: 1, exceeded: 2 };

interface Candidate {
  folder: FolderSnapshot;
  label: string;
  bytes: number;
  quota: number;
  percent: number;
  level: Level;
}

export class UsageStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly lastLevels = new Map<string, Level>();

  constructor(private readonly notify: (message: string, level: Level) => void) {
    this.item = vscode.window.createStatusBarItem('workspaceUsage.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Workspace Usage';
    this.item.command = 'workspaceUsage.showReport';
    this.item.text = '$(loading~spin) Workspace Usage';
    this.item.tooltip = 'Workspace Usage: scanning…';
  }

  update(snapshots: FolderSnapshot[]): void {
    const ready = snapshots.filter((s) => s.usage);
    if (snapshots.length === 0) {
      this.item.hide();
      return;
    }
    if (ready.length === 0) {
      const files = snapshots.reduce((n, s) => n + s.scannedFiles, 0);
      this.item.text = `$(loading~spin) ${files.toLocaleString('en-US')} files`;
      this.item.tooltip = 'Workspace Usage: scanning the workspace…';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const candidates: Candidate[] = [];
    for (const s of ready) {
      const u = s.usage!;
      candidates.push({ folder: s, label: s.name, bytes: u.total_bytes, quota: u.folder_quota_bytes, percent: u.folder_percent, level: u.folder_level as Level });
      for (const a of u.areas) candidates.push({ folder: s, label: areaLabel(a), bytes: a.bytes, quota: a.quota_bytes, percent: a.percent, level: a.level as Level });
    }
    this.notifyTransitions(candidates);
    // The most critical area by level, then by how far into its quota; otherwise the folder total.
    const critical = candidates
      .filter((c) => c.level !== 'ok')
      .sort((a, b) => RANK[b.level] - RANK[a.level] || b.percent - a.percent)[0];
    if (critical) {
      this.item.text = `$(${critical.level === 'exceeded' ? 'error' : 'warning'}) ${critical.label} ${formatSize(critical.bytes)} / ${formatSize(critical.quota)}`;
      this.item.backgroundColor = new vscode.ThemeColor(critical.level === 'exceeded' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    } else {
      const bytes = ready.reduce((n, s) => n + s.usage!.total_bytes, 0);
      const quota = ready.reduce((n, s) => n + s.usage!.folder_quota_bytes, 0);
      this.item.text = `$(database) ${formatSize(bytes)} / ${formatSize(quota)}`;
      this.item.backgroundColor = undefined;
    }
    this.item.accessibilityInformation = {
      label: critical
        ? `Workspace Usage: ${critical.label} ${critical.level === 'exceeded' ? 'exceeds' : 'is near'} its quota, ${formatSize(critical.bytes)} of ${formatSize(critical.quota)}`
        : `Workspace Usage: ${this.item.text.replace('$(database) ', '')}`,
    };
    this.item.tooltip = this.tooltip(ready);
    this.item.show();
  }

  private tooltip(ready: FolderSnapshot[]): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    for (const s of ready) {
      const u = s.usage!;
      md.appendMarkdown(`**${escapeMd(s.name)}**: ${formatSize(u.total_bytes)} of ${formatSize(u.folder_quota_bytes)} (${Math.round(u.folder_percent)}%)\n\n`);
      md.appendMarkdown('| Area | Size | Quota | |\n|:--|--:|--:|--:|\n');
      for (const a of u.areas) {
        const icon = a.level === 'exceeded' ? '$(error)' : a.level === 'warning' ? '$(warning)' : '$(pass)';
        md.appendMarkdown(`| ${icon} ${escapeMd(areaLabel(a))} | ${formatSize(a.bytes)} | ${formatSize(a.quota_bytes)} | ${Math.round(a.percent)}% |\n`);
      }
      md.appendMarkdown(`| other | ${formatSize(u.other.bytes)} | | |\n\n`);
      for (const w of u.warnings) md.appendMarkdown(`$(warning) ${escapeMd(w)}\n\n`);
    }
    md.appendMarkdown('Click to open the usage report.');
    return md;
  }

  private notifyTransitions(candidates: Candidate[]): void {
    for (const c of candidates) {
      const key = `${c.folder.folder}\u0000${c.label}`;
      const before = this.lastLevels.get(key) ?? 'ok';
      this.lastLevels.set(key, c.level);
      if (RANK[c.level] > RANK[before]) {
        const message = c.level === 'exceeded'
          ? `${c.label} exceeds its ${formatSize(c.quota)} quota (${formatSize(c.bytes)}, ${Math.round(c.percent)}%).`
          : `${c.label} is at ${Math.round(c.percent)}% of its ${formatSize(c.quota)} quota.`;
        this.notify(message, c.level);
      }
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function areaLabel(a: AreaUsage): string {
  return a.session_id !== undefined ? `session ${a.session_id}` : a.name;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
