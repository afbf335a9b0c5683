import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('workspaceUsage.status', vscode.StatusBarAlignment.Left, 100);
  item.name = 'Workspace Usage';
  item.text = '$(database) stub';
  item.show();
  context.subscriptions.push(item);
  const tree: vscode.TreeDataProvider<string> = {
    getTreeItem: (s) => new vscode.TreeItem(s),
    getChildren: (s) => (s ? [] : ['production', 'work']),
  };
  context.subscriptions.push(vscode.window.registerTreeDataProvider('workspaceUsage.usage', tree));
  void vscode.commands.executeCommand('setContext', 'workspaceUsage.ready', true);
}

export function deactivate(): void {}
