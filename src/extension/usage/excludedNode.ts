// One row for what .gitignore files leave out of an area or a folder (workspaceUsage.useGitIgnore):
// measured but not counted, shown so the counted total plus this row is still everything there.
import * as vscode from 'vscode';
import type { ExcludedUsage } from '../../core/disk/areas';
import { dataAndDisk } from '../../core/format/dataAndDisk';
import { formatSize } from '../../core/format/size';
import { exactBytes, UsageNode } from './usageNode';

export class ExcludedNode extends UsageNode {
  /** `pending`: the report's excludedPending (the figures are not those of the latest sizes yet). */
  constructor(parent: UsageNode, id: string, excluded: ExcludedUsage | undefined, where: string, pending?: string) {
    super('excluded (.gitignore)', vscode.TreeItemCollapsibleState.None, parent);
    this.id = `excluded:${id}`;
    this.contextValue = 'excluded';
    const known = excluded ?? { bytes: 0, allocatedBytes: 0, files: 0 };
    const files = `${known.files.toLocaleString('en-US')} ${known.files === 1 ? 'file' : 'files'}`;
    this.description = !excluded
      ? 'computing…'
      : `${pending ? 'updating… · ' : ''}${formatSize(known.bytes)} · ${files}`;
    this.iconPath = new vscode.ThemeIcon('eye-closed');
    this.tooltip = new vscode.MarkdownString(
      [
        `**excluded (.gitignore)** — measured, not counted in ${where}`,
        '',
        ...(pending ? [pending, ''] : []),
        ...(excluded
          ? [`${exactBytes(known.bytes)} in ${files}: ${dataAndDisk(known.bytes, known.allocatedBytes)}`, '']
          : []),
        'workspaceUsage.useGitIgnore is on: paths that .gitignore files ignore are left out of the sizes, percentages and quota levels. They are still measured; this row shows them.',
      ].join('\n'),
    );
    this.accessibilityInformation = {
      label: `excluded by .gitignore, ${excluded ? `${pending ? 'updating, ' : ''}${formatSize(known.bytes)}, ${files}` : 'computing'}`,
    };
  }

  /** The row for `excluded`, or none when it is absent (setting off) or empty and not pending. */
  static of(
    parent: UsageNode,
    id: string,
    excluded: ExcludedUsage | undefined,
    where: string,
    pending?: string,
  ): ExcludedNode[] {
    return pending || (excluded && (excluded.bytes > 0 || excluded.files > 0))
      ? [new ExcludedNode(parent, id, excluded, where, pending)]
      : [];
  }
}
