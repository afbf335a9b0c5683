// The commands that belong to no one view: the report, Refresh, Cancel Scan, settings, and the
// malformed-line jump. Views register their own row commands.
import * as vscode from 'vscode';
import type { ReportPanel } from './reportPanel';
import { USAGE_VIEW_ID } from './usage/usageView';
import type { WorkspaceModel } from './workspaceModel';

export function registerCommands(
  context: vscode.ExtensionContext,
  model: WorkspaceModel,
  report: ReportPanel,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('workspaceUsage.showReport', () => report.show()),
    vscode.commands.registerCommand('workspaceUsage.refresh', () =>
      vscode.window.withProgress({ location: { viewId: USAGE_VIEW_ID }, title: 'Rescanning' }, () => model.rescanAll()),
    ),
    vscode.commands.registerCommand('workspaceUsage.cancelScan', () => model.cancel()),
    vscode.commands.registerCommand('workspaceUsage.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
    vscode.commands.registerCommand('workspaceUsage.showMalformed', async (logPath?: unknown, line?: unknown) => {
      if (typeof logPath !== 'string') return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(logPath));
      const wanted = typeof line === 'number' && Number.isFinite(line) ? line : 1;
      const position = new vscode.Position(Math.max(0, Math.min(wanted - 1, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, {
        selection: new vscode.Range(position, doc.lineAt(position.line).range.end),
        preview: true,
      });
    }),
  ];
}
