// Activation: wires the folder monitors (core) to the views, the status bar, Explorer
// decorations, the report page and the commands. Everything here is a thin adapter over core.
import './zodConfig';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { historyDirName } from '../core/history/historyRecorder';
import { exportReport, type ExportFormat } from '../core/report/exportReport';
import { buildReportData } from '../core/report/reportData';
import { overQuotaBadge, quotaItems } from '../core/notify/attention';
import { AreaDecorationProvider } from './decorations';
import { QuotaNotifier } from './notifications';
import { RecordsTreeProvider, type RecordSort } from './recordsTree';
import { ReportPanel } from './reportPanel';
import { ScanProgress } from './scanProgress';
import { UsageStatusBar } from './statusBar';
import { MessageNode, UsageTreeProvider } from './usageTree';
import { WorkspaceModel } from './workspaceModel';

let activeModel: WorkspaceModel | undefined;

/**
 * Where a folder's usage history lives: the extension's storage for this workspace, else (no
 * workspace storage, e.g. an untitled multi-root workspace) its global storage; either way under
 * a hash of the folder path, so the folders of a multi-root workspace keep separate histories.
 */
function historyDirFor(context: vscode.ExtensionContext, folder: string): string {
  const base = context.storageUri?.scheme === 'file' ? context.storageUri.fsPath : path.join(context.globalStorageUri.fsPath, 'workspaces');
  return path.join(base, 'history', historyDirName(folder));
}

type HistoryExportFormat = 'history-json' | 'history-csv-samples' | 'history-csv-activity';

export function activate(context: vscode.ExtensionContext): void {
  const activatedAt = performance.now();
  const output = vscode.window.createOutputChannel('Workspace Usage', { log: true });
  const model = new WorkspaceModel(context.extensionUri, output, (folder) => historyDirFor(context, folder));
  activeModel = model;
  const notifier = new QuotaNotifier(context.workspaceState, (message) => output.warn(message));
  const usageTree = new UsageTreeProvider(model, (folder, area) => model.history?.get(folder)?.forecastFor(area), (folder, label) => notifier.isMuted(folder, label));
  const recordsTree = new RecordsTreeProvider(model, context.workspaceState.get<RecordSort>('workspaceUsage.recordSort', 'uses'));
  const statusBar = new UsageStatusBar();
  const scanProgress = new ScanProgress(() => model.snapshots(), (folder) => model.cancel(folder));
  const decorations = new AreaDecorationProvider();
  const reportData = () => buildReportData(model.snapshots(), (folder) => model.history?.get(folder)?.view() ?? null);
  const report = new ReportPanel(context.extensionUri, reportData);

  const usageView = vscode.window.createTreeView('workspaceUsage.usage', { treeDataProvider: usageTree, showCollapseAll: true });
  const recordsView = vscode.window.createTreeView('workspaceUsage.records', { treeDataProvider: recordsTree, showCollapseAll: true });
  recordsView.description = sortLabel(recordsTree.sort);

  let ready = false;
  let wasScanning = false;
  let firstSizes = false;
  let firstScan: { resolve(): void } | undefined;
  model.onDidChange(() => {
    const snapshots = model.snapshots();
    if (!firstSizes && snapshots.some((s) => s.usage)) {
      firstSizes = true;
      output.info(`first sizes ${Math.round(performance.now() - activatedAt)} ms after activation`);
    }
    usageTree.refresh();
    recordsTree.refresh();
    statusBar.update(snapshots);
    decorations.update(snapshots);
    notifier.update(snapshots);
    scanProgress.update();
    // The badge on the view container counts what is over its quota, whether the view is open or not.
    usageView.badge = overQuotaBadge(quotaItems(snapshots));
    report.post();
    const scanning = snapshots.some((s) => s.busy !== undefined);
    if (scanning !== wasScanning) {
      wasScanning = scanning;
      void vscode.commands.executeCommand('setContext', 'workspaceUsage.scanning', scanning);
    }
    const allReady = snapshots.length > 0 && snapshots.every((s) => s.phase !== 'scanning');
    if (allReady !== ready) {
      ready = allReady;
      void vscode.commands.executeCommand('setContext', 'workspaceUsage.ready', ready);
      if (ready) firstScan?.resolve();
    }
    void vscode.commands.executeCommand('setContext', 'workspaceUsage.hasRecords', snapshots.some((s) => s.records.length > 0 || s.malformed.count > 0));
  });

  // Progress in the Usage view (and a spinner on its icon) while the first scan runs.
  void vscode.window.withProgress({ location: { viewId: 'workspaceUsage.usage' } }, () => new Promise<void>((resolve) => (firstScan = { resolve })));

  const nodePath = (node: unknown): vscode.Uri | undefined => (node instanceof MessageNode ? node.target : node instanceof vscode.TreeItem ? node.resourceUri : undefined);

  context.subscriptions.push(
    output, model, statusBar, decorations, report, usageView, recordsView, notifier, scanProgress,
    notifier.onDidChangeMuted(() => usageTree.refresh()),
    vscode.window.registerFileDecorationProvider(decorations),
    // The report page comes back after a window reload.
    vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => report.restore(panel),
    }),
    vscode.commands.registerCommand('workspaceUsage.showReport', () => report.show()),
    vscode.commands.registerCommand('workspaceUsage.cancelScan', () => model.cancel()),
    vscode.commands.registerCommand('workspaceUsage.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'workspaceUsage.usage' }, title: 'Rescanning' }, () => model.rescanAll())),
    vscode.commands.registerCommand('workspaceUsage.rescan', (node: unknown) => {
      const uri = nodePath(node);
      const monitor = uri ? model.monitorContaining(uri.fsPath) : undefined;
      if (!uri || !monitor) return model.rescanAll();
      const rel = path.relative(monitor.folder, uri.fsPath).split(path.sep).join('/');
      return vscode.window.withProgress({ location: { viewId: 'workspaceUsage.usage' } }, () => monitor.rescan(rel));
    }),
    vscode.commands.registerCommand('workspaceUsage.revealInExplorer', (node: unknown) => {
      const uri = nodePath(node);
      if (uri) return vscode.commands.executeCommand('revealInExplorer', uri);
      return undefined;
    }),
    vscode.commands.registerCommand('workspaceUsage.open', (node: unknown) => {
      const uri = nodePath(node);
      if (uri) return vscode.commands.executeCommand('vscode.open', uri);
      return undefined;
    }),
    vscode.commands.registerCommand('workspaceUsage.copyPath', async (node: unknown) => {
      const uri = nodePath(node);
      if (uri) {
        await vscode.env.clipboard.writeText(uri.fsPath);
        vscode.window.setStatusBarMessage(`Copied ${uri.fsPath}`, 3000);
      }
    }),
    vscode.commands.registerCommand('workspaceUsage.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`)),
    vscode.commands.registerCommand('workspaceUsage.sortRecords', async () => {
      const picks: Array<vscode.QuickPickItem & { sort: RecordSort }> = [
        { label: 'Most used', description: 'use count, highest first', sort: 'uses' },
        { label: 'Most tokens', description: 'resident exposure tokens, highest first', sort: 'tokens' },
        { label: 'Name', description: 'slug, A to Z', sort: 'name' },
      ];
      const pick = await vscode.window.showQuickPick(picks, { title: 'Sort Records', placeHolder: `Now sorted by ${sortLabel(recordsTree.sort)}` });
      if (!pick) return;
      recordsTree.sort = pick.sort;
      recordsView.description = sortLabel(pick.sort);
      await context.workspaceState.update('workspaceUsage.recordSort', pick.sort);
      recordsTree.refresh();
    }),
    vscode.commands.registerCommand('workspaceUsage.showMalformed', async (logPath?: string, line?: number) => {
      if (typeof logPath !== 'string') return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(logPath));
      const position = new vscode.Position(Math.max(0, Math.min((line ?? 1) - 1, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, doc.lineAt(position.line).range.end), preview: true });
    }),
    vscode.commands.registerCommand('workspaceUsage.exportReport', async () => {
      const formats: Array<vscode.QuickPickItem & { format: ExportFormat | HistoryExportFormat; ext: string }> = [
        { label: 'JSON', description: 'everything, exact bytes', format: 'json', ext: 'json' },
        { label: 'Markdown', description: 'tables for a wiki or a pull request', format: 'markdown', ext: 'md' },
        { label: 'CSV: areas', description: 'one row per area, session and folder', format: 'csv-areas', ext: 'csv' },
        { label: 'CSV: records', description: 'one row per memory record', format: 'csv-records', ext: 'csv' },
        { label: 'History: JSON', description: 'size samples and daily activity of one folder', format: 'history-json', ext: 'json' },
        { label: 'History: CSV samples', description: 'one row per size sample, columns per area', format: 'history-csv-samples', ext: 'csv' },
        { label: 'History: CSV activity', description: 'one row per day: files and bytes added and removed', format: 'history-csv-activity', ext: 'csv' },
      ];
      const pick = await vscode.window.showQuickPick(formats, { title: 'Export Usage Report' });
      if (!pick) return;
      let text: string;
      let what = 'the usage report';
      let folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      if (pick.format === 'history-json' || pick.format === 'history-csv-samples' || pick.format === 'history-csv-activity') {
        const chosen = await pickHistoryFolder(model);
        if (!chosen) return;
        folder = chosen.uri;
        const history = model.history?.get(chosen.uri.fsPath);
        const json = history?.toJSON();
        const csv = history?.toCSV();
        if (!json || !csv) {
          void vscode.window.showWarningMessage(`There is no usage history for ${chosen.name} yet.`);
          return;
        }
        text = pick.format === 'history-json' ? `${JSON.stringify({ folder: chosen.uri.fsPath, ...json }, null, 2)}\n` : pick.format === 'history-csv-samples' ? csv.samples : csv.activity;
        what = `the usage history of ${chosen.name}`;
      } else {
        text = exportReport(reportData(), pick.format);
      }
      const stamp = new Date().toISOString().slice(0, 10);
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, `workspace-usage-${pick.format}-${stamp}.${pick.ext}`) : undefined,
        filters: { [pick.label]: [pick.ext] },
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      const open = await vscode.window.showInformationMessage(`Exported ${what} to ${target.fsPath}`, 'Open');
      if (open) await vscode.commands.executeCommand('vscode.open', target);
    }),
  );

  model.start();
  if (vscode.workspace.getConfiguration('workspaceUsage').get<boolean>('revealOnStartup')) {
    void vscode.commands.executeCommand('workspaceUsage.usage.focus');
  }
  output.info(`activated in ${(performance.now() - activatedAt).toFixed(1)} ms`);
}

function sortLabel(sort: RecordSort): string {
  return sort === 'uses' ? 'by uses' : sort === 'tokens' ? 'by tokens' : 'by name';
}

/** The folder whose history to export: the only one, or the one the user picks. */
async function pickHistoryFolder(model: WorkspaceModel): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => model.history?.get(f.uri.fsPath));
  if (folders.length <= 1) return folders[0] ?? vscode.workspace.workspaceFolders?.[0];
  const pick = await vscode.window.showQuickPick(folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })), { title: 'Export the usage history of' });
  return pick?.folder;
}

/** Writes pending usage history before the extension host stops. */
export function deactivate(): Promise<void> {
  const model = activeModel;
  activeModel = undefined;
  return model?.closeHistory() ?? Promise.resolve();
}
