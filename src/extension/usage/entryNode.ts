// A folder or file among the largest under an area, "other", or a folder above it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { entryActionWords } from '../../core/cleanup/protection';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot, LargestEntry } from '../../core/monitor/folderSnapshot';
import { exactBytes, largestCount, UsageNode, type UsageContext } from './usageNode';

export class EntryNode extends UsageNode {
  constructor(parent: UsageNode, readonly snapshot: FolderSnapshot, readonly entry: LargestEntry, bytesShown = entry.bytes) {
    super(entry.name, entry.isDirectory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None, parent);
    const uri = vscode.Uri.file(path.join(snapshot.folder, entry.relPath));
    this.id = `entry:${snapshot.folder}:${entry.relPath}`;
    this.resourceUri = uri;
    // Clean-up words (trashable, excludable) come from core's protection rule.
    const actions = entryActionWords(entry.relPath, entry.isDirectory, snapshot.usage?.areas ?? []);
    this.contextValue = [entry.isDirectory ? 'entry directory path rescan' : 'entry file path', ...actions].join(' ');
    this.description = formatSize(bytesShown);
    this.iconPath = entry.isDirectory ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    this.tooltip = `${entry.relPath}\n${exactBytes(bytesShown)}${entry.isDirectory ? ` in ${entry.files.toLocaleString('en-US')} files` : ''}`;
    if (!entry.isDirectory) this.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  }

  override children(context: UsageContext): UsageNode[] {
    if (!this.entry.isDirectory) return [];
    return this.snapshot.largest(this.entry.relPath, largestCount(context, this.snapshot)).map((e) => new EntryNode(this, this.snapshot, e));
  }
}
