// The status bar item: the folder total against its quota, or the most critical area when one
// is near or over its quota; warning/error background by level; a tooltip listing every area;
// a click opens the report. Levels come from core's quota items, the same list the notifications
// and the view badge read. The resident token budget composes with them: a quota at warning or
// over wins (the most critical shows); with every quota fine, a folder over its budget turns the
// item to warning.
import * as vscode from 'vscode';
import { escapeMarkdown } from '../core/format/markdown';
import { dataAndDisk } from '../core/format/dataAndDisk';
import { formatSize } from '../core/format/size';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';
import { staleNote } from '../core/monitor/staleMark';
import { formatTokens, residentLine, residentSummary, type ResidentSummary } from '../core/log/tokenBudget';
import { areaLabel, mostCritical, quotaItems } from '../core/notify/attention';
import { Disposable } from './lifecycle';
import type { WorkspaceModel } from './workspaceModel';

export class UsageStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly model: Pick<WorkspaceModel, 'snapshots' | 'onDidChange' | 'settingsFor'>) {
    super();
    this.item = vscode.window.createStatusBarItem('workspaceUsage.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Workspace Usage';
    this.item.command = 'workspaceUsage.showReport';
    this.item.text = '$(loading~spin) Workspace Usage';
    this.item.tooltip = 'Workspace Usage: scanning…';
    this.register(this.item);
    this.register(model.onDidChange(() => this.update(model.snapshots())));
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
    // The most critical area by level, then by how far into its quota; otherwise the folder total.
    const critical = mostCritical(quotaItems(ready));
    const budgets = this.budgets(ready);
    const overBudget = budgets
      .filter((b) => b.summary.level === 'over')
      .sort((a, b) => b.summary.tokens / b.summary.budget - a.summary.tokens / a.summary.budget)[0];
    if (critical) {
      this.item.text = `$(${critical.level === 'exceeded' ? 'error' : 'warning'}) ${critical.label} ${formatSize(critical.bytes)} / ${formatSize(critical.quota)}`;
      this.item.backgroundColor = new vscode.ThemeColor(
        critical.level === 'exceeded' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground',
      );
    } else if (overBudget) {
      const { tokens, budget } = overBudget.summary;
      this.item.text = `$(warning) Resident ${formatTokens(tokens, true)} / ${formatTokens(budget, true)} tokens`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      const bytes = ready.reduce((n, s) => n + s.usage!.totalBytes, 0);
      const quota = ready.reduce((n, s) => n + s.usage!.folderQuotaBytes, 0);
      this.item.text = `$(database) ${formatSize(bytes)} / ${formatSize(quota)}`;
      this.item.backgroundColor = undefined;
    }
    this.item.accessibilityInformation = {
      label: critical
        ? `Workspace Usage: ${critical.label} ${critical.level === 'exceeded' ? 'exceeds' : 'is near'} its quota, ${formatSize(critical.bytes)} of ${formatSize(critical.quota)}`
        : overBudget
          ? `Workspace Usage: resident memory is over its token budget, ${formatTokens(overBudget.summary.tokens)} of ${formatTokens(overBudget.summary.budget)} tokens`
          : `Workspace Usage: ${this.item.text.replace('$(database) ', '')}`,
    };
    this.item.tooltip = this.tooltip(ready, budgets);
    this.item.show();
  }

  /** The resident token summary of each folder with a budget set. */
  private budgets(ready: FolderSnapshot[]): Array<{ folder: string; summary: ResidentSummary }> {
    const out: Array<{ folder: string; summary: ResidentSummary }> = [];
    for (const s of ready) {
      const settings = this.model.settingsFor(s.folder);
      if (!settings || settings.residentTokenBudget <= 0) continue;
      out.push({
        folder: s.folder,
        summary: residentSummary(s.records, settings.residentTokenBudget, settings.contextWindowTokens),
      });
    }
    return out;
  }

  private tooltip(
    ready: FolderSnapshot[],
    budgets: Array<{ folder: string; summary: ResidentSummary }>,
  ): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    for (const s of ready) {
      const u = s.usage!;
      md.appendMarkdown(
        `**${escapeMarkdown(s.name)}**: ${formatSize(u.totalBytes)} of ${formatSize(u.folderQuotaBytes)} (${Math.round(u.folderPercent)}%); ${dataAndDisk(u.totalBytes, u.allocatedBytes)}\n\n`,
      );
      md.appendMarkdown('| Area | Size | Quota | |\n|:--|--:|--:|--:|\n');
      for (const a of u.areas) {
        const icon = a.level === 'exceeded' ? '$(error)' : a.level === 'warning' ? '$(warning)' : '$(pass)';
        md.appendMarkdown(
          `| ${icon} ${escapeMarkdown(areaLabel(a))} | ${formatSize(a.bytes)} | ${formatSize(a.quotaBytes)} | ${Math.round(a.percent)}% |\n`,
        );
      }
      md.appendMarkdown(`| other | ${formatSize(u.other.bytes)} | | |\n\n`);
      for (const w of u.warnings) md.appendMarkdown(`$(warning) ${escapeMarkdown(w)}\n\n`);
      if (s.stale) md.appendMarkdown(`$(history) ${escapeMarkdown(staleNote(s.stale.at))}\n\n`);
      const budget = budgets.find((b) => b.folder === s.folder)?.summary;
      if (budget)
        md.appendMarkdown(
          `${budget.level === 'over' ? '$(warning) ' : ''}${escapeMarkdown(residentLine(budget))}${budget.level === 'over' ? ' (over budget)' : ''}\n\n`,
        );
    }
    md.appendMarkdown('Click to open the usage report.');
    return md;
  }
}
