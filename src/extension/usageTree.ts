// The Usage view: each workspace folder, its areas (sessions grouped under their area), "other",
// and under each the largest subfolders and files. One TreeItem subclass per node kind, with a
// contextValue for menus, as VS Code's built-in views do.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AreaUsage } from '../core/disk/areas';
import { escapeMarkdown } from '../core/format/markdown';
import { formatSize } from '../core/format/size';
import type { FolderSnapshot, LargestEntry } from '../core/monitor/folderSnapshot';
import { areaLabel, quotaKey } from '../core/notify/attention';
import type { WorkspaceModel } from './workspaceModel';
import { levelColor, levelIcon } from './levelStyle';

type Level = 'ok' | 'warning' | 'exceeded';

function percentText(percent: number): string {
  return percent >= 10 || percent === 0 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

function exactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** Whether notifications about a folder or area are muted (it still shows its level). */
export type MutedCheck = (folder: string, label: string) => boolean;

const MUTED_NOTE = 'Notifications muted for this workspace (Warn Again from the context menu).';

export class FolderNode extends vscode.TreeItem {
  /** Key of the folder's own quota, for Don't Warn Again / Warn Again. */
  readonly quotaKey: string;

  constructor(readonly snapshot: FolderSnapshot, multiRoot: boolean, muted: boolean) {
    super(snapshot.name, vscode.TreeItemCollapsibleState.Expanded);
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
      this.description = `${formatSize(usage.total_bytes)} · ${percentText(usage.folder_percent)} of ${formatSize(usage.folder_quota_bytes)}`;
      this.iconPath = new vscode.ThemeIcon(multiRoot ? 'root-folder' : 'database', levelColor(usage.folder_level));
      this.tooltip = new vscode.MarkdownString(
        `**${escapeMarkdown(snapshot.name)}**\n\n${exactBytes(usage.total_bytes)} (${formatSize(usage.allocated_bytes)} allocated) in ${usage.files.toLocaleString('en-US')} files\n\nQuota ${formatSize(usage.folder_quota_bytes)}${muted ? `\n\n${MUTED_NOTE}` : ''}`,
      );
    }
  }
}

export class TotalNode extends vscode.TreeItem {
  constructor(snapshots: FolderSnapshot[]) {
    super('All folders', vscode.TreeItemCollapsibleState.None);
    this.id = 'total';
    this.contextValue = 'total';
    const bytes = snapshots.reduce((sum, s) => sum + (s.usage?.total_bytes ?? 0), 0);
    const files = snapshots.reduce((sum, s) => sum + (s.usage?.files ?? 0), 0);
    this.description = `${formatSize(bytes)} · ${files.toLocaleString('en-US')} files`;
    this.tooltip = `${exactBytes(bytes)} in ${snapshots.length} folders`;
    this.iconPath = new vscode.ThemeIcon('layers');
  }
}

export class AreaNode extends vscode.TreeItem {
  /** Key of the area's quota, for Don't Warn Again / Warn Again. */
  readonly quotaKey: string;

  constructor(readonly snapshot: FolderSnapshot, readonly area: AreaUsage, label: string, readonly relPath: string, hasChildren: boolean, muted: boolean, forecast?: string) {
    super(label, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `area:${snapshot.folder}:${area.name}:${relPath}`;
    this.resourceUri = vscode.Uri.file(path.join(snapshot.folder, relPath));
    this.quotaKey = quotaKey(snapshot.folder, areaLabel(area));
    this.contextValue = `area path rescan ${muted ? 'muted' : 'mutable'}`;
    this.description = `${formatSize(area.bytes)} · ${percentText(area.percent)}`;
    this.iconPath = levelIcon(area.level as Level, 'folder');
    const lines = [
      `**${escapeMarkdown(label)}** — ${area.level === 'ok' ? 'within quota' : area.level === 'warning' ? 'near its quota' : 'over its quota'}`,
      '',
      `${formatSize(area.bytes)} (${exactBytes(area.bytes)}) of ${formatSize(area.quota_bytes)}, ${percentText(area.percent)}`,
      '',
      `${formatSize(area.allocated_bytes)} allocated on disk, ${area.files.toLocaleString('en-US')} files`,
      '',
      `Warning at ${Math.round(area.warning_fraction * 100)}% · ${escapeMarkdown(relPath)}`,
    ];
    if (forecast) lines.push('', escapeMarkdown(forecast));
    if (muted) lines.push('', MUTED_NOTE);
    this.tooltip = new vscode.MarkdownString(lines.join('\n'));
    this.accessibilityInformation = { label: `${label}, ${formatSize(area.bytes)}, ${percentText(area.percent)} of ${formatSize(area.quota_bytes)} quota, ${area.level}` };
  }
}

export class SessionsNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot, readonly areaName: string, readonly sessions: AreaUsage[]) {
    super(areaName, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `sessions:${snapshot.folder}:${areaName}`;
    this.contextValue = 'sessions';
    const bytes = sessions.reduce((sum, s) => sum + s.bytes, 0);
    const worst = sessions.reduce<Level>((w, s) => (s.level === 'exceeded' || (s.level === 'warning' && w === 'ok') ? (s.level as Level) : w), 'ok');
    this.description = `${formatSize(bytes)} · ${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}`;
    this.iconPath = levelIcon(worst, 'layers');
    this.tooltip = `${sessions.length} sessions, ${exactBytes(bytes)}; each has a ${formatSize(sessions[0]?.quota_bytes ?? 0)} quota`;
  }
}

export class OtherNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot, hasChildren: boolean) {
    super('other', hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `other:${snapshot.folder}`;
    this.contextValue = 'other';
    const other = snapshot.usage!.other;
    this.description = formatSize(other.bytes);
    this.iconPath = new vscode.ThemeIcon('files');
    this.tooltip = `Everything outside the areas: ${exactBytes(other.bytes)} in ${other.files.toLocaleString('en-US')} files`;
  }
}

export class EntryNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot, readonly entry: LargestEntry, bytesShown = entry.bytes) {
    super(entry.name, entry.isDirectory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const uri = vscode.Uri.file(path.join(snapshot.folder, entry.relPath));
    this.id = `entry:${snapshot.folder}:${entry.relPath}`;
    this.resourceUri = uri;
    this.contextValue = entry.isDirectory ? 'entry directory path rescan' : 'entry file path';
    this.description = formatSize(bytesShown);
    this.iconPath = entry.isDirectory ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    this.tooltip = `${entry.relPath}\n${exactBytes(bytesShown)}${entry.isDirectory ? ` in ${entry.files.toLocaleString('en-US')} files` : ''}`;
    if (!entry.isDirectory) this.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  }
}

export class MessageNode extends vscode.TreeItem {
  /** The folder a Rescan action on this message rescans. */
  target?: vscode.Uri;

  constructor(id: string, message: string, icon: string, tooltip?: string, color?: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.contextValue = 'message';
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    this.tooltip = tooltip ?? message;
  }
}

/** A message with a Rescan action (inline and in its context menu) for its folder. */
function rescanMessage(s: FolderSnapshot, kind: string, text: string): MessageNode {
  const node = new MessageNode(`${kind}:${s.folder}`, text, 'debug-pause', `${text}\nRescan: the action on this row, or Workspace Usage: Refresh.`, 'list.warningForeground');
  node.contextValue = 'message rescan';
  node.target = vscode.Uri.file(s.folder);
  return node;
}

type UsageNode = FolderNode | TotalNode | AreaNode | SessionsNode | OtherNode | EntryNode | MessageNode;

export class UsageTreeProvider implements vscode.TreeDataProvider<UsageNode> {
  private readonly changed = new vscode.EventEmitter<UsageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: WorkspaceModel,
    private readonly forecastFor: (folder: string, area: string) => string | undefined = () => undefined,
    private readonly isMuted: MutedCheck = () => false,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: UsageNode): vscode.TreeItem {
    return node;
  }

  getParent(): undefined {
    return undefined;
  }

  getChildren(node?: UsageNode): UsageNode[] {
    const snapshots = this.model.snapshots();
    if (!node) {
      if (snapshots.length === 0) return [];
      const nodes: UsageNode[] = snapshots.map((s) => new FolderNode(s, snapshots.length > 1, this.isMuted(s.folder, s.name)));
      if (snapshots.length > 1) nodes.push(new TotalNode(snapshots));
      return nodes;
    }
    const largestCount = this.model.settingsFor(('snapshot' in node && node.snapshot?.folder) || '')?.largestEntries ?? 10;
    if (node instanceof FolderNode) return this.folderChildren(node.snapshot, largestCount);
    if (node instanceof SessionsNode) {
      return node.sessions.map((s) => new AreaNode(node.snapshot, s, s.session_id ?? s.name, s.path, largestCount > 0 && s.files > 0, this.isMuted(node.snapshot.folder, areaLabel(s)), this.forecastFor(node.snapshot.folder, s.name)));
    }
    if (node instanceof AreaNode) return node.snapshot.largest(node.relPath, largestCount).map((e) => new EntryNode(node.snapshot, e));
    if (node instanceof OtherNode) return this.otherChildren(node.snapshot, largestCount);
    if (node instanceof EntryNode && node.entry.isDirectory) return node.snapshot.largest(node.entry.relPath, largestCount).map((e) => new EntryNode(node.snapshot, e));
    return [];
  }

  private folderChildren(s: FolderSnapshot, largestCount: number): UsageNode[] {
    const nodes: UsageNode[] = [];
    if (s.phase === 'scanning') {
      nodes.push(new MessageNode(`scan:${s.folder}`, `Scanning… ${s.scannedFiles.toLocaleString('en-US')} files so far`, 'loading~spin'));
    }
    if (s.phase === 'cancelled') nodes.push(rescanMessage(s, 'cancelled', 'Scan cancelled: no sizes yet. Rescan to count.'));
    if (s.rescanCancelled) nodes.push(rescanMessage(s, 'rescan-cancelled', s.rescanCancelled));
    if (s.error) nodes.push(new MessageNode(`error:${s.folder}`, s.error, 'error', s.error, 'list.errorForeground'));
    if (s.watchNote) nodes.push(new MessageNode(`watch:${s.folder}`, s.watchNote, 'info', s.watchNote));
    for (const [i, note] of s.notes.entries()) nodes.push(new MessageNode(`note:${s.folder}:${i}`, note, 'shield', note));
    if (s.skipped.length > 0) {
      const text = `${s.skipped.length} ${s.skipped.length === 1 ? 'folder' : 'folders'} could not be read`;
      nodes.push(new MessageNode(`skipped:${s.folder}`, text, 'warning', s.skipped.slice(0, 20).map((k) => `${k.path}: ${k.reason}`).join('\n'), 'list.warningForeground'));
    }
    const usage = s.usage;
    if (!usage) return nodes;
    // Areas from a pattern with `*` (one per session) are grouped under one node, placed where
    // the pattern's first match is; the others are listed as they come.
    const groups = new Map<string, AreaUsage[]>();
    for (const area of usage.areas) {
      if (area.session_id === undefined) continue;
      groups.set(area.pattern, [...(groups.get(area.pattern) ?? []), area]);
    }
    for (const area of usage.areas) {
      if (area.session_id === undefined) {
        nodes.push(new AreaNode(s, area, area.name, area.path, largestCount > 0 && area.files > 0, this.isMuted(s.folder, areaLabel(area)), this.forecastFor(s.folder, area.name)));
      } else if (groups.get(area.pattern)![0] === area) {
        const name = this.model.settingsFor(s.folder)?.areas.find((a) => a.pattern === area.pattern)?.name ?? area.pattern;
        nodes.push(new SessionsNode(s, name, groups.get(area.pattern)!));
      }
    }
    nodes.push(new OtherNode(s, largestCount > 0 && usage.other.files > 0));
    return nodes;
  }

  /** The largest top-level entries outside the areas, with bytes inside areas taken off. */
  private otherChildren(s: FolderSnapshot, n: number): UsageNode[] {
    const areaPaths = s.usage!.areas.map((a) => ({ rel: a.path, bytes: a.bytes }));
    const entries = s.largest('', Number.MAX_SAFE_INTEGER)
      .map((e) => {
        let bytes = e.bytes;
        for (const a of areaPaths) {
          if (a.rel === e.relPath) bytes = 0;
          else if (a.rel.startsWith(`${e.relPath}/`)) bytes -= a.bytes;
        }
        return { entry: e, bytes };
      })
      .filter((x) => x.bytes > 0 || (!x.entry.isDirectory && !areaPaths.some((a) => a.rel === x.entry.relPath)))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, n);
    return entries.map((x) => new EntryNode(s, x.entry, x.bytes));
  }
}
