// Activation: composition only. The model follows the folders (core monitors); each view, the
// status bar, the decorations, the notifier and the report subscribe to it themselves.
import './zodConfig';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { historyDirName } from '../core/history/historyRecorder';
import { buildReportData } from '../core/report/buildReportData';
import { CleanupCommands } from './cleanupCommands';
import { registerCommands } from './commands';
import { registerBaselineCommands } from './baselineCommands';
import { startBenchProbe } from './benchProbe';
import { AreaDecorationProvider } from './decorations';
import { registerExportCommand } from './exportCommand';
import { QuotaNotifier } from './notifications';
import { RecordsView } from './records/recordsView';
import { ReportPanel } from './reportPanel';
import { ScanProgress } from './scanProgress';
import { UsageStatusBar } from './statusBar';
import { Growth } from './usage/growth';
import { UsageView } from './usage/usageView';
import { WorkspaceModel } from './workspaceModel';

let activeModel: WorkspaceModel | undefined;

/**
 * Where a folder's usage history lives: the extension's storage for this workspace, else (no
 * workspace storage, e.g. an untitled multi-root workspace) its global storage; either way under
 * a hash of the folder path, so the folders of a multi-root workspace keep separate histories.
 */
function historyDirFor(context: vscode.ExtensionContext, folder: string): string {
  const base =
    context.storageUri?.scheme === 'file'
      ? context.storageUri.fsPath
      : path.join(context.globalStorageUri.fsPath, 'workspaces');
  return path.join(base, 'history', historyDirName(folder));
}

export function activate(context: vscode.ExtensionContext): void {
  const activatedAt = performance.now();
  const probe = startBenchProbe();
  if (probe) context.subscriptions.push(probe);
  const output = vscode.window.createOutputChannel('Workspace Usage', { log: true });
  const model = new WorkspaceModel(context.extensionUri, output, (folder) => historyDirFor(context, folder));
  activeModel = model;
  const notifier = new QuotaNotifier(model, context.workspaceState, (message) => output.warn(message));
  const growth = new Growth(
    model,
    (folder) => historyDirFor(context, folder),
    context.workspaceState,
    (message) => model.warnOnce(`baseline:${message}`, `Workspace Usage: ${message}`),
  );
  const reportData = () =>
    buildReportData(
      model.snapshots(),
      (folder) => model.history?.get(folder)?.view() ?? null,
      undefined,
      (folder) => growth.reportExtras(folder),
    );
  const report = new ReportPanel(context.extensionUri, reportData);
  context.subscriptions.push(
    output,
    model,
    notifier,
    report,
    growth,
    growth.onDidChangeReport(() => report.post()),
    ...registerBaselineCommands(growth),
    new UsageView(model, notifier, growth),
    new RecordsView(model, context.workspaceState),
    new UsageStatusBar(model),
    new AreaDecorationProvider(model),
    new ScanProgress(
      () => model.snapshots(),
      (folder) => model.cancel(folder),
      model.onDidChange,
    ),
    model.onDidChange(() => report.post()),
    // The report page comes back after a window reload.
    vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => report.restore(panel),
    }),
    ...registerCommands(context, model, report),
    registerExportCommand(model, reportData),
    new CleanupCommands(model),
  );
  // When the first numbers showed (stored ones count), and when every folder's were exact.
  let firstShown = false;
  const firstSizes = model.onDidChange(() => {
    const snapshots = model.snapshots();
    if (!snapshots.some((s) => s.usage)) return;
    const ms = Math.round(performance.now() - activatedAt);
    if (!firstShown) {
      firstShown = true;
      output.info(`first sizes ${ms} ms after activation${snapshots.some((s) => s.stale) ? ' (stored)' : ''}`);
    }
    if (snapshots.every((s) => s.usage && !s.stale)) {
      firstSizes.dispose();
      output.info(`first exact sizes ${ms} ms after activation`);
    }
  });
  context.subscriptions.push(firstSizes);
  // The folders start in a task of their own (settings, the stored sizes, the scan process's spawn,
  // the watcher): with activation in one task they held the host's thread for 70 to 258 ms at
  // 200,000 files while the window started (the editor bench's stalls, --profile). Two immediates:
  // one runs in this turn of the event loop's check phase, right after activation with no timer or
  // message let in; one queued from it runs in the next turn, after the timers and the I/O.
  let starting = setImmediate(() => {
    starting = setImmediate(() => {
      const startedAt = performance.now();
      model.start();
      output.info(`folders started in ${(performance.now() - startedAt).toFixed(1)} ms`);
    });
  });
  context.subscriptions.push({ dispose: () => clearImmediate(starting) });
  if (vscode.workspace.getConfiguration('workspaceUsage').get<boolean>('revealOnStartup'))
    void vscode.commands.executeCommand('workspaceUsage.usage.focus');
  output.info(`activated in ${(performance.now() - activatedAt).toFixed(1)} ms`);
}

/** Writes pending usage history before the extension host stops. */
export function deactivate(): Promise<void> {
  const model = activeModel;
  activeModel = undefined;
  return model ? Promise.all([model.closeHistory(), model.saveSnapshots()]).then(() => undefined) : Promise.resolve();
}
