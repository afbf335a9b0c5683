// Everything outside the areas; its children are the largest entries with area bytes taken off.
import * as vscode from 'vscode';
import { otherEntries } from '../../core/disk/usageRows';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { EntryNode } from './entryNode';
import { exactBytes, largestCount, UsageNode, type UsageContext } from './usageNode';

export class OtherNode extends UsageNode {
  constructor(
    parent: UsageNode,
    readonly snapshot: FolderSnapshot,
    context: UsageContext,
  ) {
    const other = snapshot.usage!.other;
    const hasChildren = largestCount(context, snapshot) > 0 && other.files > 0;
    super(
      'other',
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      parent,
    );
    this.id = `other:${snapshot.folder}`;
    this.contextValue = 'other';
    this.description = formatSize(other.bytes);
    this.iconPath = new vscode.ThemeIcon('files');
    this.tooltip = `Everything outside the areas: ${exactBytes(other.bytes)} in ${other.files.toLocaleString('en-US')} files`;
  }

  override children(context: UsageContext): UsageNode[] {
    const rows = otherEntries(
      this.snapshot.usage!.areas,
      this.snapshot.largest('', Number.MAX_SAFE_INTEGER),
      largestCount(context, this.snapshot),
    );
    return rows.map((x) => new EntryNode(this, this.snapshot, x.entry, x.bytes));
  }
}
