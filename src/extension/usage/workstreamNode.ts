// One workstream of an arawn data dir: its production, its work and (scratch) its sessions.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { worstLevel } from '../../core/disk/usageRows';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import type { WorkstreamRow } from '../../core/workstreams/workstreamRows';
import { levelIcon } from '../levelStyle';
import { AreaNode } from './areaNode';
import { SessionsNode } from './sessionsNode';
import { exactBytes, UsageNode, type UsageContext } from './usageNode';

export class WorkstreamNode extends UsageNode {
  constructor(
    parent: UsageNode,
    readonly snapshot: FolderSnapshot,
    readonly row: WorkstreamRow,
  ) {
    super(row.name, vscode.TreeItemCollapsibleState.Expanded, parent);
    this.id = `workstream:${snapshot.folder}:${row.path}`;
    this.resourceUri = vscode.Uri.file(path.join(snapshot.folder, row.path));
    this.contextValue = 'workstream path rescan';
    this.description = formatSize(row.bytes);
    this.iconPath = levelIcon(row.level, 'project');
    this.tooltip = `Workstream ${row.name}: ${exactBytes(row.bytes)} in production, work and sessions`;
  }

  override children(context: UsageContext): UsageNode[] {
    const nodes: UsageNode[] = this.row.areas.map((a) => new AreaNode(this, this.snapshot, a, a.areaName, context));
    if (this.row.sessions.length > 0) {
      const bytes = this.row.sessions.reduce((n, s) => n + s.bytes, 0);
      const level = worstLevel(this.row.sessions.map((s) => s.level));
      nodes.push(
        new SessionsNode(this, this.snapshot, {
          kind: 'sessions',
          name: 'sessions',
          pattern: this.row.sessions[0].pattern,
          sessions: this.row.sessions,
          bytes,
          level,
        }),
      );
    }
    return nodes;
  }
}
