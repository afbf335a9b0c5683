// The Records view's nodes: each kind knows its children and its parent and renders itself.
import * as vscode from 'vscode';
import { formatRelativeTime } from '../../core/format/relativeTime';
import type { Settings } from '../../core/config/settings';
import type { RecordRow } from '../../core/log/joinRecords';
import { recordsByKind, sortRecords, type RecordSort } from '../../core/log/recordGroups';
import {
  formatShare,
  formatTokens,
  residentLine,
  residentSummary,
  type ResidentShare,
  type ResidentSummary,
} from '../../core/log/tokenBudget';
import { timestampToMs } from '../../core/log/timestamp';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';

export abstract class RecordsNode extends vscode.TreeItem {
  constructor(
    label: string,
    state: vscode.TreeItemCollapsibleState,
    readonly parent: RecordsNode | undefined,
  ) {
    super(label, state);
  }

  children(_sort: RecordSort): RecordsNode[] {
    return [];
  }
}

/** The token budget settings of a folder (defaults when its settings are not known). */
export type BudgetSettings = Pick<Settings, 'residentTokenBudget' | 'contextWindowTokens'>;

/** The resident context row (when any record was injected or a budget is set), the kinds of a folder's records, then its malformed lines. */
export function folderChildren(
  parent: RecordsNode | undefined,
  s: FolderSnapshot,
  budget: BudgetSettings,
): RecordsNode[] {
  const nodes: RecordsNode[] = [];
  const summary = residentSummary(s.records, budget.residentTokenBudget, budget.contextWindowTokens);
  if (summary.records.length > 0 || summary.budget > 0) nodes.push(new ResidentContextNode(parent, s, summary));
  nodes.push(...recordsByKind(s.records).map((g) => new KindNode(parent, s, g.kind, g.records)));
  if (s.malformed.count > 0) nodes.push(new MalformedNode(parent, s));
  return nodes;
}

function tokens(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${n}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export class RecordsFolderNode extends RecordsNode {
  constructor(
    readonly snapshot: FolderSnapshot,
    private readonly budget: BudgetSettings,
  ) {
    super(snapshot.name, vscode.TreeItemCollapsibleState.Expanded, undefined);
    this.id = `records-folder:${snapshot.folder}`;
    this.contextValue = 'recordsFolder';
    this.iconPath = new vscode.ThemeIcon('root-folder');
    this.description = plural(snapshot.records.length, 'record');
  }

  override children(): RecordsNode[] {
    return folderChildren(this, this.snapshot, this.budget);
  }
}

/** Tokens the resident records put into every injection, against the budget; records largest first. */
class ResidentContextNode extends RecordsNode {
  constructor(
    parent: RecordsNode | undefined,
    readonly snapshot: FolderSnapshot,
    readonly summary: ResidentSummary,
  ) {
    super(
      'Resident context',
      summary.records.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      parent,
    );
    this.id = `resident:${snapshot.folder}`;
    this.contextValue = 'residentContext';
    const over = summary.level === 'over';
    this.description = residentLine(summary).replace(/^Resident: /, '') + (over ? ' · over budget' : '');
    this.iconPath = over
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon('pulse');
    this.tooltip =
      `${residentLine(summary)}${over ? ' — over budget' : ''}\n\n` +
      `Tokens per injection of each record's latest resident exposure, summed over ${plural(summary.records.length, 'resident record')}; records never injected count zero.`;
  }

  override children(): RecordsNode[] {
    const byKey = new Map(this.snapshot.records.map((r) => [`${r.kind}\0${r.slug}`, r]));
    return this.summary.records.map(
      (share) => new ResidentRecordNode(this, this.snapshot, share, byKey.get(`${share.kind}\0${share.slug}`)),
    );
  }
}

class ResidentRecordNode extends RecordsNode {
  constructor(
    parent: RecordsNode,
    snapshot: FolderSnapshot,
    readonly share: ResidentShare,
    record: RecordRow | undefined,
  ) {
    super(`${share.kind}/${share.slug}`, vscode.TreeItemCollapsibleState.None, parent);
    this.id = `resident:${snapshot.folder}:${share.kind}:${share.slug}`;
    this.description = `${formatTokens(share.tokens)} tokens · ${formatShare(share.share)}`;
    this.iconPath = new vscode.ThemeIcon('note');
    this.tooltip = `${share.kind}/${share.slug}: ${formatTokens(share.tokens)} tokens per injection, ${formatShare(share.share)} of the resident tokens`;
    if (record?.path) {
      this.resourceUri = vscode.Uri.file(record.path);
      this.contextValue = `record file path ${record.status}`;
      this.command = { command: 'vscode.open', title: 'Open Record', arguments: [vscode.Uri.file(record.path)] };
    }
  }
}

class KindNode extends RecordsNode {
  constructor(
    parent: RecordsNode | undefined,
    readonly snapshot: FolderSnapshot,
    readonly kind: string,
    readonly records: RecordRow[],
  ) {
    super(kind, vscode.TreeItemCollapsibleState.Expanded, parent);
    this.id = `kind:${snapshot.folder}:${kind}`;
    this.contextValue = 'recordKind';
    const uses = records.reduce((n, r) => n + r.use_count, 0);
    this.description = `${plural(records.length, 'record')} · ${plural(uses, 'use')}`;
    this.iconPath = new vscode.ThemeIcon(kindIcon(kind));
  }

  override children(sort: RecordSort): RecordsNode[] {
    const now = Date.now();
    return sortRecords(this.records, sort).map((r) => new RecordNode(this, this.snapshot, r, now));
  }
}

class RecordNode extends RecordsNode {
  constructor(
    parent: RecordsNode,
    readonly snapshot: FolderSnapshot,
    readonly record: RecordRow,
    now: number,
  ) {
    super(record.slug, vscode.TreeItemCollapsibleState.None, parent);
    this.id = `record:${snapshot.folder}:${record.kind}:${record.slug}`;
    const parts: string[] = [];
    if (record.status === 'unused') parts.push('unused');
    else parts.push(plural(record.use_count, 'use'));
    if (record.last_used_at) parts.push(formatRelativeTime(timestampToMs(record.last_used_at) ?? Number.NaN, now));
    if (record.estimated_total_resident_exposure_tokens)
      parts.push(`${tokens(record.estimated_total_resident_exposure_tokens)} resident tokens`);
    if (record.status === 'missing') parts.push('missing on disk');
    this.description = parts.join(' · ');
    this.contextValue = record.path ? `record file path ${record.status}` : `record ${record.status}`;
    this.iconPath =
      record.status === 'missing'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : record.status === 'unused'
          ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
          : new vscode.ThemeIcon('note');
    if (record.path) {
      this.resourceUri = vscode.Uri.file(record.path);
      this.command = { command: 'vscode.open', title: 'Open Record', arguments: [vscode.Uri.file(record.path)] };
    }
    const sources = Object.entries(record.source_breakdown)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const md = new vscode.MarkdownString();
    md.appendText(`${record.kind}/${record.slug} — ${record.status}\n\n`);
    md.appendText(`Uses: ${record.use_count}${sources ? ` (${sources})` : ''}\n\n`);
    md.appendText(`Last used: ${record.last_used_at ?? 'never'}\n\n`);
    md.appendText(`Resident exposures: ${record.resident_exposure_count}`);
    if (record.resident_exposure_count > 0) {
      md.appendText(
        ` × ${record.estimated_tokens_per_injection} tokens = ${record.tokens_saturated ? 'more than ' : ''}${record.estimated_total_resident_exposure_tokens} tokens`,
      );
    }
    md.appendText('\n\n');
    if (record.file_bytes !== null)
      md.appendText(`On disk: ${record.file_bytes} bytes, about ${record.tokens_estimate} tokens`);
    this.tooltip = md;
  }
}

class MalformedNode extends RecordsNode {
  constructor(
    parent: RecordsNode | undefined,
    readonly snapshot: FolderSnapshot,
  ) {
    super(
      `${plural(snapshot.malformed.count, 'malformed log line')}`,
      vscode.TreeItemCollapsibleState.Collapsed,
      parent,
    );
    this.id = `malformed:${snapshot.folder}`;
    this.contextValue = 'malformed';
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.description = 'skipped';
    this.tooltip = `${snapshot.logPath}: ${snapshot.malformed.count} lines could not be read and were skipped`;
  }

  override children(): RecordsNode[] {
    const { malformed, folder } = this.snapshot;
    const nodes: RecordsNode[] = malformed.samples.map((s) => new MalformedLineNode(this, this.snapshot, s));
    const hidden = malformed.count - malformed.samples.length;
    if (hidden > 0)
      nodes.push(
        new RecordsMessageNode(
          this,
          `malformed-more:${folder}`,
          `and ${plural(hidden, 'more line')} (first ${malformed.samples.length} kept)`,
          'ellipsis',
        ),
      );
    return nodes;
  }
}

class MalformedLineNode extends RecordsNode {
  constructor(parent: RecordsNode, snapshot: FolderSnapshot, sample: { line: number; reason: string; text?: string }) {
    super(`line ${sample.line}`, vscode.TreeItemCollapsibleState.None, parent);
    this.id = `malformed:${snapshot.folder}:${sample.line}`;
    this.description = sample.reason;
    this.contextValue = 'malformedLine';
    this.iconPath = new vscode.ThemeIcon('debug-breakpoint-unsupported');
    this.tooltip = `${sample.reason}${sample.text ? `\n\n${sample.text}` : ''}`;
    this.command = {
      command: 'workspaceUsage.showMalformed',
      title: 'Show Line',
      arguments: [snapshot.logPath, sample.line],
    };
  }
}

class RecordsMessageNode extends RecordsNode {
  constructor(parent: RecordsNode, id: string, message: string, icon: string) {
    super(message, vscode.TreeItemCollapsibleState.None, parent);
    this.id = id;
    this.iconPath = new vscode.ThemeIcon(icon);
  }
}

function kindIcon(kind: string): string {
  switch (kind) {
    case 'summary':
      return 'book';
    case 'decision':
      return 'law';
    case 'request':
      return 'comment-discussion';
    case 'workflow':
      return 'run-all';
    case 'knowledge':
      return 'lightbulb';
    default:
      return 'symbol-misc';
  }
}
