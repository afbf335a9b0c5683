// A workspace folder: its total against the folder quota; its children are the notes about it
// (scanning, cancelled, errors, watching), its areas and "other".
import * as vscode from 'vscode';
import { areaRows } from '../../core/disk/usageRows';
import { escapeMarkdown } from '../../core/format/markdown';
import { formatPercent } from '../../core/format/numbers';
import { dataAndDisk } from '../../core/format/dataAndDisk';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { staleMark, staleNote } from '../../core/monitor/staleMark';
import { quotaKey } from '../../core/notify/attention';
import { levelColor } from '../levelStyle';
import { AreaNode } from './areaNode';
import { ExcludedNode } from './excludedNode';
import { MessageNode } from './messageNode';
import { OtherNode } from './otherNode';
import { SessionsNode } from './sessionsNode';
import { WorkstreamNode } from './workstreamNode';
import { workstreamRows } from '../../core/workstreams/workstreamRows';
import { changeText, exactBytes, MUTED_NOTE, UsageNode, type UsageContext } from './usageNode';

export class FolderNode extends UsageNode {
  /** Key of the folder's own quota, for Don't Warn Again / Warn Again. */
  readonly quotaKey: string;

  constructor(
    readonly snapshot: FolderSnapshot,
    multiRoot: boolean,
    context: UsageContext,
  ) {
    super(snapshot.name, vscode.TreeItemCollapsibleState.Expanded, undefined);
    const muted = context.isMuted(snapshot.folder, snapshot.name);
    this.id = `folder:${snapshot.folder}`;
    this.resourceUri = vscode.Uri.file(snapshot.folder);
    this.quotaKey = quotaKey(snapshot.folder, snapshot.name);
    this.contextValue = `folder path rescan ${muted ? 'muted' : 'mutable'}`;
    const usage = snapshot.usage;
    if (snapshot.phase === 'cancelled' && !usage) {
      this.description = 'scan cancelled';
      this.iconPath = new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('list.warningForeground'));
      this.tooltip = 'The scan was cancelled: no sizes yet. Rescan to count.';
    } else if (snapshot.phase === 'scanning' && !usage) {
      this.description = `scanning… ${snapshot.scannedFiles.toLocaleString('en-US')} files`;
      this.iconPath = new vscode.ThemeIcon('loading~spin');
    } else if (snapshot.phase === 'failed' && !usage) {
      this.description = 'scan failed';
      this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    } else if (usage) {
      this.description = `${formatSize(usage.totalBytes)} · ${formatPercent(usage.folderPercent)} of ${formatSize(usage.folderQuotaBytes)}${changeText(context, snapshot.folder, '', usage.totalBytes)}${snapshot.stale ? ` · ${staleMark(snapshot.stale.at)}` : ''}`;
      this.iconPath = new vscode.ThemeIcon(multiRoot ? 'root-folder' : 'database', levelColor(usage.folderLevel));
      this.tooltip = new vscode.MarkdownString(
        `**${escapeMarkdown(snapshot.name)}**\n\n${exactBytes(usage.totalBytes)} in ${usage.files.toLocaleString('en-US')} files: ${dataAndDisk(usage.totalBytes, usage.allocatedBytes)}\n\nQuota ${formatSize(usage.folderQuotaBytes)}${muted ? `\n\n${MUTED_NOTE}` : ''}${snapshot.stale ? `\n\n${staleNote(snapshot.stale.at)}` : ''}`,
      );
    }
  }

  override children(context: UsageContext): UsageNode[] {
    const s = this.snapshot;
    const nodes: UsageNode[] = [];
    if (s.phase === 'scanning') {
      nodes.push(
        new MessageNode(
          this,
          `scan:${s.folder}`,
          `Scanning… ${s.scannedFiles.toLocaleString('en-US')} files so far`,
          'loading~spin',
        ),
      );
    }
    if (s.phase === 'cancelled')
      nodes.push(MessageNode.rescan(this, s, 'cancelled', 'Scan cancelled: no sizes yet. Rescan to count.'));
    if (s.rescanCancelled) nodes.push(MessageNode.rescan(this, s, 'rescan-cancelled', s.rescanCancelled));
    if (s.error)
      nodes.push(new MessageNode(this, `error:${s.folder}`, s.error, 'error', s.error, 'list.errorForeground'));
    if (s.watchNote) nodes.push(new MessageNode(this, `watch:${s.folder}`, s.watchNote, 'info', s.watchNote));
    for (const [i, note] of s.notes.entries())
      nodes.push(new MessageNode(this, `note:${s.folder}:${i}`, note, 'shield', note));
    if (s.skipped.length > 0) {
      const text = `${s.skipped.length} ${s.skipped.length === 1 ? 'folder' : 'folders'} could not be read`;
      nodes.push(
        new MessageNode(
          this,
          `skipped:${s.folder}`,
          text,
          'warning',
          s.skipped
            .slice(0, 20)
            .map((k) => `${k.path}: ${k.reason}`)
            .join('\n'),
          'list.warningForeground',
        ),
      );
    }
    const usage = s.usage;
    if (!usage) return nodes;
    const workstreams = context.workstreamsRootOf(s.folder);
    if (workstreams !== undefined) {
      for (const row of workstreamRows(usage.areas, workstreams)) nodes.push(new WorkstreamNode(this, s, row));
    } else {
      for (const row of areaRows(usage)) {
        nodes.push(
          row.kind === 'area'
            ? new AreaNode(this, s, row.area, row.area.name, context)
            : new SessionsNode(this, s, row),
        );
      }
    }
    nodes.push(new OtherNode(this, s, context));
    nodes.push(
      ...ExcludedNode.of(this, `folder:${s.folder}`, usage.excluded, 'the folder total', usage.excludedPending),
    );
    return nodes;
  }
}
