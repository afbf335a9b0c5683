// A folder or file among the largest under an area, "other", or a folder above it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { entryActionWords } from '../../core/cleanup/protection';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot, LargestEntry } from '../../core/monitor/folderSnapshot';
import { changeText, entriesUnder, exactBytes, UsageNode, type UsageContext } from './usageNode';

export class EntryNode extends UsageNode {
  constructor(
    parent: UsageNode,
    readonly snapshot: FolderSnapshot,
    readonly entry: LargestEntry,
    bytesShown = entry.bytes,
    context?: UsageContext,
  ) {
    super(
      entry.name,
      entry.isDirectory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      parent,
    );
    const uri = vscode.Uri.file(path.join(snapshot.folder, entry.relPath));
    this.id = `entry:${snapshot.folder}:${entry.relPath}`;
    this.resourceUri = uri;
    // Clean-up words (trashable, excludable) come from core's protection rule.
    const actions = entryActionWords(entry.relPath, entry.isDirectory, snapshot.usage?.areas ?? []);
    this.contextValue = [entry.isDirectory ? 'entry directory path rescan' : 'entry file path', ...actions].join(' ');
    // Folders only (a baseline keeps no files), and not the part of one shown under "other".
    this.description =
      formatSize(bytesShown) +
      (context && entry.isDirectory && bytesShown === entry.bytes
        ? changeText(context, snapshot.folder, entry.relPath, entry.bytes)
        : '');
    this.iconPath = entry.isDirectory ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    this.tooltip = `${entry.relPath}\n${exactBytes(bytesShown)}${entry.isDirectory ? ` in ${entry.files.toLocaleString('en-US')} files` : ''}`;
    if (!entry.isDirectory) this.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  }

  override children(context: UsageContext): UsageNode[] {
    if (!this.entry.isDirectory) return [];
    return entriesUnder(context, this.snapshot, this.entry.relPath).map(
      (e) => new EntryNode(this, this.snapshot, e, e.bytes, context),
    );
  }
}
