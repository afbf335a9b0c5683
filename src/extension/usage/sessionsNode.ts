// The sessions of one `*` area, grouped under the configured area's name.
import * as vscode from 'vscode';
import { formatSize } from '../../core/format/size';
import type { AreaRow } from '../../core/disk/usageRows';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { levelIcon } from '../levelStyle';
import { AreaNode } from './areaNode';
import { exactBytes, UsageNode, type UsageContext } from './usageNode';

export class SessionsNode extends UsageNode {
  constructor(
    parent: UsageNode,
    readonly snapshot: FolderSnapshot,
    readonly group: Extract<AreaRow, { kind: 'sessions' }>,
  ) {
    super(group.name, vscode.TreeItemCollapsibleState.Expanded, parent);
    const { sessions } = group;
    this.id = `sessions:${snapshot.folder}:${group.name}`;
    this.contextValue = 'sessions';
    this.description = `${formatSize(group.bytes)} · ${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}`;
    this.iconPath = levelIcon(group.level, 'layers');
    this.tooltip = `${sessions.length} sessions, ${exactBytes(group.bytes)}; each has a ${formatSize(sessions[0]?.quotaBytes ?? 0)} quota`;
  }

  override children(context: UsageContext): UsageNode[] {
    return this.group.sessions.map((s) => new AreaNode(this, this.snapshot, s, s.sessionId ?? s.name, context));
  }
}
