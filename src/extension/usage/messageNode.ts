// A line of text in the Usage view (scanning, errors, notes); some carry a Rescan action.
import * as vscode from 'vscode';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { UsageNode } from './usageNode';

export class MessageNode extends UsageNode {
  /** The folder a Rescan action on this message rescans. */
  target?: vscode.Uri;

  constructor(
    parent: UsageNode | undefined,
    id: string,
    message: string,
    icon: string,
    tooltip?: string,
    color?: string,
  ) {
    super(message, vscode.TreeItemCollapsibleState.None, parent);
    this.id = id;
    this.contextValue = 'message';
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    this.tooltip = tooltip ?? message;
  }

  /** A message with a Rescan action (inline and in its context menu) for its folder. */
  static rescan(parent: UsageNode, s: FolderSnapshot, kind: string, text: string): MessageNode {
    const node = new MessageNode(
      parent,
      `${kind}:${s.folder}`,
      text,
      'debug-pause',
      `${text}\nRescan: the action on this row, or Workspace Usage: Refresh.`,
      'list.warningForeground',
    );
    node.contextValue = 'message rescan';
    node.target = vscode.Uri.file(s.folder);
    return node;
  }
}
