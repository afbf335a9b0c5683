// One row for what .gitignore files leave out of an area or a folder (workspaceUsage.useGitIgnore):
// measured but not counted, shown so the counted total plus this row is still everything there.
import * as vscode from 'vscode';
import type { ExcludedUsage } from '../../core/disk/areas';
import { dataAndDisk } from '../../core/format/dataAndDisk';
import { formatSize } from '../../core/format/size';
import { exactBytes, UsageNode } from './usageNode';

export class ExcludedNode extends UsageNode {
  constructor(parent: UsageNode, id: string, excluded: ExcludedUsage, where: string) {
    super('excluded (.gitignore)', vscode.TreeItemCollapsibleState.None, parent);
    this.id = `excluded:${id}`;
    this.contextValue = 'excluded';
    const files = `${excluded.files.toLocaleString('en-US')} ${excluded.files === 1 ? 'file' : 'files'}`;
    this.description = `${formatSize(excluded.bytes)} · ${files}`;
    this.iconPath = new vscode.ThemeIcon('eye-closed');
    this.tooltip = new vscode.MarkdownString(
      [
        `**excluded (.gitignore)** — measured, not counted in ${where}`,
        '',
        `${exactBytes(excluded.bytes)} in ${files}: ${dataAndDisk(excluded.bytes, excluded.allocatedBytes)}`,
        '',
        'workspaceUsage.useGitIgnore is on: paths that .gitignore files ignore are left out of the sizes, percentages and quota levels. They are still measured; this row shows them.',
      ].join('\n'),
    );
    this.accessibilityInformation = { label: `excluded by .gitignore, ${formatSize(excluded.bytes)}, ${files}` };
  }

  /** The row for `excluded`, or none when it is absent (setting off) or empty. */
  static of(parent: UsageNode, id: string, excluded: ExcludedUsage | undefined, where: string): ExcludedNode[] {
    return excluded && (excluded.bytes > 0 || excluded.files > 0)
      ? [new ExcludedNode(parent, id, excluded, where)]
      : [];
  }
}
