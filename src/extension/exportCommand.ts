// Export Report…: pick a format (the report as JSON, Markdown or CSV; a folder's history as JSON
// or CSV), pick a file, write it, offer to open it.
import * as vscode from 'vscode';
import { exportReport, type ExportFormat } from '../core/report/exportReport';
import type { ReportData } from '../core/report/reportData';
import type { WorkspaceModel } from './workspaceModel';

type HistoryExportFormat = 'history-json' | 'history-csv-samples' | 'history-csv-activity';

const FORMATS: Array<vscode.QuickPickItem & { format: ExportFormat | HistoryExportFormat; ext: string }> = [
  { label: 'JSON', description: 'everything, exact bytes', format: 'json', ext: 'json' },
  { label: 'Markdown', description: 'tables for a wiki or a pull request', format: 'markdown', ext: 'md' },
  { label: 'CSV: areas', description: 'one row per area, session and folder', format: 'csv-areas', ext: 'csv' },
  { label: 'CSV: records', description: 'one row per memory record', format: 'csv-records', ext: 'csv' },
  {
    label: 'History: JSON',
    description: 'size samples and daily activity of one folder',
    format: 'history-json',
    ext: 'json',
  },
  {
    label: 'History: CSV samples',
    description: 'one row per size sample, columns per area',
    format: 'history-csv-samples',
    ext: 'csv',
  },
  {
    label: 'History: CSV activity',
    description: 'one row per day: files and bytes added and removed',
    format: 'history-csv-activity',
    ext: 'csv',
  },
];

function isHistoryFormat(format: string): format is HistoryExportFormat {
  return format.startsWith('history-');
}

export function registerExportCommand(model: WorkspaceModel, reportData: () => ReportData): vscode.Disposable {
  return vscode.commands.registerCommand('workspaceUsage.exportReport', async () => {
    const pick = await vscode.window.showQuickPick(FORMATS, { title: 'Export Usage Report' });
    if (!pick) return;
    let text: string;
    let what = 'the usage report';
    let folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (isHistoryFormat(pick.format)) {
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
      text =
        pick.format === 'history-json'
          ? `${JSON.stringify({ folder: chosen.uri.fsPath, ...json }, null, 2)}\n`
          : pick.format === 'history-csv-samples'
            ? csv.samples
            : csv.activity;
      what = `the usage history of ${chosen.name}`;
    } else {
      text = exportReport(reportData(), pick.format);
    }
    const stamp = new Date().toISOString().slice(0, 10);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder
        ? vscode.Uri.joinPath(folder, `workspace-usage-${pick.format}-${stamp}.${pick.ext}`)
        : undefined,
      filters: { [pick.label]: [pick.ext] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    const open = await vscode.window.showInformationMessage(`Exported ${what} to ${target.fsPath}`, 'Open');
    if (open) await vscode.commands.executeCommand('vscode.open', target);
  });
}

/** The folder whose history to export: the only one, or the one the user picks. */
async function pickHistoryFolder(model: WorkspaceModel): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => model.history?.get(f.uri.fsPath));
  if (folders.length <= 1) return folders[0] ?? vscode.workspace.workspaceFolders?.[0];
  const pick = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
    { title: 'Export the usage history of' },
  );
  return pick?.folder;
}
