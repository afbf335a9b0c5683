// The combined total of a multi-root workspace.
import * as vscode from 'vscode';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { exactBytes, UsageNode } from './usageNode';

export class TotalNode extends UsageNode {
  constructor(snapshots: readonly FolderSnapshot[]) {
    super('All folders', vscode.TreeItemCollapsibleState.None, undefined);
    this.id = 'total';
    this.contextValue = 'total';
    const bytes = snapshots.reduce((sum, s) => sum + (s.usage?.totalBytes ?? 0), 0);
    const files = snapshots.reduce((sum, s) => sum + (s.usage?.files ?? 0), 0);
    this.description = `${formatSize(bytes)} · ${files.toLocaleString('en-US')} files`;
    this.tooltip = `${exactBytes(bytes)} in ${snapshots.length} folders`;
    this.iconPath = new vscode.ThemeIcon('layers');
  }
}
