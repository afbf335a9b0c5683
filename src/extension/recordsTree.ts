// The Records view: memory records by kind with use count, last use, and resident exposure
// tokens; unused and missing records marked; a node for malformed log lines.
import * as vscode from 'vscode';
import { formatRelativeTime } from '../core/format/relativeTime';
import type { RecordRow } from '../core/log/joinRecords';
import { timestampToMs } from '../core/log/timestamp';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';
import type { WorkspaceModel } from './workspaceModel';

export type RecordSort = 'uses' | 'tokens' | 'name';

function tokens(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${n}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export class RecordsFolderNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot) {
    super(snapshot.name, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `records-folder:${snapshot.folder}`;
    this.contextValue = 'recordsFolder';
    this.iconPath = new vscode.ThemeIcon('root-folder');
    this.description = plural(snapshot.records.length, 'record');
  }
}

export class KindNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot, readonly kind: string, readonly records: RecordRow[]) {
    super(kind, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `kind:${snapshot.folder}:${kind}`;
    this.contextValue = 'recordKind';
    const uses = records.reduce((n, r) => n + r.use_count, 0);
    this.description = `${plural(records.length, 'record')} · ${plural(uses, 'use')}`;
    this.iconPath = new vscode.ThemeIcon(kindIcon(kind));
  }
}

export class RecordNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot, readonly record: RecordRow, now: number) {
    super(record.slug, vscode.TreeItemCollapsibleState.None);
    this.id = `record:${snapshot.folder}:${record.kind}:${record.slug}`;
    const parts: string[] = [];
    if (record.status === 'unused') parts.push('unused');
    else parts.push(plural(record.use_count, 'use'));
    if (record.last_used_at) parts.push(formatRelativeTime(timestampToMs(record.last_used_at) ?? Number.NaN, now));
    if (record.estimated_total_resident_exposure_tokens) parts.push(`${tokens(record.estimated_total_resident_exposure_tokens)} resident tokens`);
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
    const sources = Object.entries(record.source_breakdown).map(([s, n]) => `${s} ${n}`).join(', ');
    const md = new vscode.MarkdownString();
    md.appendText(`${record.kind}/${record.slug} — ${record.status}\n\n`);
    md.appendText(`Uses: ${record.use_count}${sources ? ` (${sources})` : ''}\n\n`);
    md.appendText(`Last used: ${record.last_used_at ?? 'never'}\n\n`);
    md.appendText(`Resident exposures: ${record.resident_exposure_count}`);
    if (record.resident_exposure_count > 0) {
      md.appendText(` × ${record.estimated_tokens_per_injection} tokens = ${record.estimated_total_resident_exposure_tokens} tokens`);
    }
    md.appendText('\n\n');
    if (record.file_bytes !== null) md.appendText(`On disk: ${record.file_bytes} bytes, about ${record.tokens_estimate} tokens`);
    this.tooltip = md;
  }
}

export class MalformedNode extends vscode.TreeItem {
  constructor(readonly snapshot: FolderSnapshot) {
    super(`${plural(snapshot.malformed.count, 'malformed log line')}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `malformed:${snapshot.folder}`;
    this.contextValue = 'malformed';
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.description = 'skipped';
    this.tooltip = `${snapshot.logPath}: ${snapshot.malformed.count} lines could not be read and were skipped`;
  }
}

export class MalformedLineNode extends vscode.TreeItem {
  constructor(snapshot: FolderSnapshot, sample: { line: number; reason: string; text?: string }) {
    super(`line ${sample.line}`, vscode.TreeItemCollapsibleState.None);
    this.id = `malformed:${snapshot.folder}:${sample.line}`;
    this.description = sample.reason;
    this.contextValue = 'malformedLine';
    this.iconPath = new vscode.ThemeIcon('debug-breakpoint-unsupported');
    this.tooltip = `${sample.reason}${sample.text ? `\n\n${sample.text}` : ''}`;
    this.command = { command: 'workspaceUsage.showMalformed', title: 'Show Line', arguments: [snapshot.logPath, sample.line] };
  }
}

export class RecordsMessageNode extends vscode.TreeItem {
  constructor(id: string, message: string, icon: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.iconPath = new vscode.ThemeIcon(icon);
  }
}

type RecordsNode = RecordsFolderNode | KindNode | RecordNode | MalformedNode | MalformedLineNode | RecordsMessageNode;

export class RecordsTreeProvider implements vscode.TreeDataProvider<RecordsNode> {
  private readonly changed = new vscode.EventEmitter<RecordsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: WorkspaceModel, public sort: RecordSort = 'uses') {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: RecordsNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: RecordsNode): RecordsNode[] {
    const snapshots = this.model.snapshots();
    if (!node) {
      if (snapshots.length === 1) return this.folderChildren(snapshots[0]);
      return snapshots.filter((s) => s.records.length > 0 || s.malformed.count > 0).map((s) => new RecordsFolderNode(s));
    }
    if (node instanceof RecordsFolderNode) return this.folderChildren(node.snapshot);
    if (node instanceof KindNode) {
      const now = Date.now();
      return this.sorted(node.records).map((r) => new RecordNode(node.snapshot, r, now));
    }
    if (node instanceof MalformedNode) {
      const nodes: RecordsNode[] = node.snapshot.malformed.samples.map((s) => new MalformedLineNode(node.snapshot, s));
      const hidden = node.snapshot.malformed.count - node.snapshot.malformed.samples.length;
      if (hidden > 0) nodes.push(new RecordsMessageNode(`malformed-more:${node.snapshot.folder}`, `and ${plural(hidden, 'more line')} (first ${node.snapshot.malformed.samples.length} kept)`, 'ellipsis'));
      return nodes;
    }
    return [];
  }

  private folderChildren(s: FolderSnapshot): RecordsNode[] {
    const byKind = new Map<string, RecordRow[]>();
    for (const r of s.records) {
      const list = byKind.get(r.kind) ?? [];
      list.push(r);
      byKind.set(r.kind, list);
    }
    const order = ['summary', 'decision', 'request', 'workflow', 'knowledge'];
    const kinds = [...byKind.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || (a < b ? -1 : a > b ? 1 : 0));
    const nodes: RecordsNode[] = kinds.map((k) => new KindNode(s, k, byKind.get(k)!));
    if (s.malformed.count > 0) nodes.push(new MalformedNode(s));
    return nodes;
  }

  private sorted(records: RecordRow[]): RecordRow[] {
    const copy = [...records];
    const byName = (a: RecordRow, b: RecordRow) => Buffer.compare(Buffer.from(a.slug), Buffer.from(b.slug));
    if (this.sort === 'name') return copy.sort(byName);
    if (this.sort === 'tokens') {
      return copy.sort((a, b) => (b.estimated_total_resident_exposure_tokens ?? 0) - (a.estimated_total_resident_exposure_tokens ?? 0) || (b.tokens_estimate ?? 0) - (a.tokens_estimate ?? 0) || byName(a, b));
    }
    return copy.sort((a, b) => b.use_count - a.use_count || byName(a, b));
  }
}

function kindIcon(kind: string): string {
  switch (kind) {
    case 'summary': return 'book';
    case 'decision': return 'law';
    case 'request': return 'comment-discussion';
    case 'workflow': return 'run-all';
    case 'knowledge': return 'lightbulb';
    default: return 'symbol-misc';
  }
}
