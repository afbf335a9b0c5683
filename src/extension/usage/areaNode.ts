// An area (or one session of a `*` area) against its quota; its children are its largest entries.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AreaUsage } from '../../core/disk/areas';
import { areaActionWords } from '../../core/cleanup/protection';
import { escapeMarkdown } from '../../core/format/markdown';
import { formatPercent } from '../../core/format/numbers';
import { formatSize } from '../../core/format/size';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { areaLabel, quotaKey } from '../../core/notify/attention';
import { levelIcon } from '../levelStyle';
import { EntryNode } from './entryNode';
import { ExcludedNode } from './excludedNode';
import { TypeNode } from './typeNode';
import {
  changeText,
  entriesUnder,
  exactBytes,
  largestCount,
  MUTED_NOTE,
  UsageNode,
  type UsageContext,
} from './usageNode';

export class AreaNode extends UsageNode {
  /** Key of the area's quota, for Don't Warn Again / Warn Again. */
  readonly quotaKey: string;

  constructor(
    parent: UsageNode,
    readonly snapshot: FolderSnapshot,
    readonly area: AreaUsage,
    label: string,
    context: UsageContext,
  ) {
    const hasChildren = (largestCount(context, snapshot) > 0 && area.files > 0) || (area.excluded?.files ?? 0) > 0;
    super(
      label,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      parent,
    );
    const relPath = area.path;
    const muted = context.isMuted(snapshot.folder, areaLabel(area));
    this.id = `area:${snapshot.folder}:${area.name}:${relPath}`;
    this.resourceUri = vscode.Uri.file(path.join(snapshot.folder, relPath));
    this.quotaKey = quotaKey(snapshot.folder, areaLabel(area));
    // Clean-up words (cleanable, excludable or excluded) come from core's protection rule.
    const actions = areaActionWords(
      area,
      context.settingsFor(snapshot.folder)?.exclude ?? [],
      snapshot.usage?.areas ?? [],
    );
    this.contextValue = [`area path rescan ${muted ? 'muted' : 'mutable'}`, ...actions].join(' ');
    this.description = `${formatSize(area.bytes)} · ${formatPercent(area.percent)}${changeText(context, snapshot.folder, relPath, area.bytes)}`;
    this.iconPath = levelIcon(area.level, 'folder');
    const lines = [
      `**${escapeMarkdown(label)}** — ${area.level === 'ok' ? 'within quota' : area.level === 'warning' ? 'near its quota' : 'over its quota'}`,
      '',
      `${formatSize(area.bytes)} (${exactBytes(area.bytes)}) of ${formatSize(area.quotaBytes)}, ${formatPercent(area.percent)}`,
      '',
      `${formatSize(area.allocatedBytes)} allocated on disk, ${area.files.toLocaleString('en-US')} files`,
      '',
      `Warning at ${Math.round(area.warningFraction * 100)}% · ${escapeMarkdown(relPath)}`,
    ];
    const forecast = context.forecastFor(snapshot.folder, area.name);
    if (forecast) lines.push('', escapeMarkdown(forecast));
    if (muted) lines.push('', MUTED_NOTE);
    this.tooltip = new vscode.MarkdownString(lines.join('\n'));
    this.accessibilityInformation = {
      label: `${label}, ${formatSize(area.bytes)}, ${formatPercent(area.percent)} of ${formatSize(area.quotaBytes)} quota, ${area.level}`,
    };
  }

  override children(context: UsageContext): UsageNode[] | Promise<UsageNode[]> {
    const excluded = ExcludedNode.of(
      this,
      `${this.id}`,
      this.area.excluded,
      `this area (${this.area.name})`,
      this.snapshot.usage?.excludedPending,
    );
    const types = context.typesOf?.(this.snapshot, this.area.path, this.area.bytes, this.area.files);
    if (types) return types.then((t) => [...TypeNode.rows(this, this.snapshot.folder, this.area.path, t), ...excluded]);
    return [
      ...entriesUnder(context, this.snapshot, this.area.path).map(
        (e) => new EntryNode(this, this.snapshot, e, e.bytes, context),
      ),
      ...excluded,
    ];
  }
}
