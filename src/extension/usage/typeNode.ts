// Group by Type: one row per file type under an area (the top ten, then "other").
import * as vscode from 'vscode';
import type { ByType } from '../../core/disk/byType';
import { formatSize } from '../../core/format/size';
import { exactBytes, UsageNode } from './usageNode';

const filesText = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'file' : 'files'}`;

export class TypeNode extends UsageNode {
  constructor(parent: UsageNode, id: string, type: string, bytes: number, files: number, tooltip?: string) {
    super(type, vscode.TreeItemCollapsibleState.None, parent);
    this.id = id;
    this.contextValue = 'type';
    this.description = `${formatSize(bytes)} · ${filesText(files)}`;
    this.iconPath = new vscode.ThemeIcon(type === 'other' ? 'files' : 'file');
    this.tooltip = tooltip ?? `${type}: ${exactBytes(bytes)} in ${filesText(files)}`;
  }

  static rows(parent: UsageNode, folder: string, relPath: string, t: ByType): TypeNode[] {
    const id = (type: string) => `type:${folder}:${relPath}:${type}`;
    const rows = t.rows.map((r) => new TypeNode(parent, id(r.type), r.type, r.bytes, r.files));
    if (t.other.types > 0)
      rows.push(
        new TypeNode(
          parent,
          id('\0other'),
          'other',
          t.other.bytes,
          t.other.files,
          `${t.other.types} more types: ${exactBytes(t.other.bytes)} in ${filesText(t.other.files)}`,
        ),
      );
    return rows;
  }
}
