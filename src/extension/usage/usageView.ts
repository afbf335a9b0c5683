// The Usage view: registers its tree view, follows the model and the muted set by itself, shows
// the first scan's progress on its icon, badges the container with the areas over quota, and
// owns the commands of its rows (rescan, reveal, open, copy path).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { overQuotaBadge, quotaItems } from '../../core/notify/attention';
import { Disposable } from '../lifecycle';
import type { QuotaNotifier } from '../notifications';
import type { WorkspaceModel } from '../workspaceModel';
import { FolderNode } from './folderNode';
import type { Growth } from './growth';
import { MessageNode } from './messageNode';
import { TotalNode } from './totalNode';
import type { UsageContext, UsageNode } from './usageNode';

export const USAGE_VIEW_ID = 'workspaceUsage.usage';

class UsageTreeProvider implements vscode.TreeDataProvider<UsageNode> {
  private readonly changed = new vscode.EventEmitter<UsageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: WorkspaceModel,
    private readonly context: UsageContext,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: UsageNode): vscode.TreeItem {
    return node;
  }

  getParent(node: UsageNode): UsageNode | undefined {
    return node.parent;
  }

  getChildren(node?: UsageNode): UsageNode[] | Promise<UsageNode[]> {
    if (node) return node.children(this.context);
    const snapshots = this.model.snapshots();
    const nodes: UsageNode[] = snapshots.map((s) => new FolderNode(s, snapshots.length > 1, this.context));
    if (snapshots.length > 1) nodes.push(new TotalNode(snapshots));
    return nodes;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The file a row stands for: its resource, or the folder a message's Rescan action targets. */
function nodeUri(node: unknown): vscode.Uri | undefined {
  return node instanceof MessageNode ? node.target : node instanceof vscode.TreeItem ? node.resourceUri : undefined;
}

export class UsageView extends Disposable {
  private readonly provider: UsageTreeProvider;
  private readonly view: vscode.TreeView<UsageNode>;

  /** The view title toggles: Sort by Growth / Sort by Size, Group by Type / Show Largest. */
  private sortByGrowth = false;
  private groupByType = false;

  constructor(
    private readonly model: WorkspaceModel,
    notifier: QuotaNotifier,
    private readonly growth?: Growth,
  ) {
    super();
    this.provider = this.register(
      new UsageTreeProvider(model, {
        settingsFor: (folder) => model.settingsFor(folder),
        forecastFor: (folder, area) => model.history?.get(folder)?.forecastFor(area),
        isMuted: (folder, label) => notifier.isMuted(folder, label),
        workstreamsRootOf: (folder) => model.workstreamsRootOf(folder),
        changeOf: (folder, relPath, bytes) => growth?.changeOf(folder, relPath, bytes),
        growthEntries: (snapshot, relPath) =>
          this.sortByGrowth ? growth?.changedSubfolders(snapshot, relPath) : undefined,
        typesOf: (snapshot, relPath, bytes, files) =>
          this.groupByType ? growth?.byType(snapshot, relPath, bytes, files) : undefined,
      }),
    );
    this.view = this.register(
      vscode.window.createTreeView(USAGE_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true }),
    );
    if (growth) this.register(growth.onDidChange(() => this.update()));
    const toggle = (command: string, key: 'sortByGrowth' | 'groupByType', on: boolean) =>
      vscode.commands.registerCommand(command, () => {
        this[key] = on;
        void vscode.commands.executeCommand('setContext', `workspaceUsage.${key}`, on);
        this.update();
      });
    this.register(toggle('workspaceUsage.sortByGrowth', 'sortByGrowth', true));
    this.register(toggle('workspaceUsage.sortBySize', 'sortByGrowth', false));
    this.register(toggle('workspaceUsage.groupByType', 'groupByType', true));
    this.register(toggle('workspaceUsage.showLargest', 'groupByType', false));
    this.register(model.onDidChange(() => this.update()));
    this.register(notifier.onDidChangeMuted(() => this.provider.refresh()));
    // Progress in the view (a spinner on its icon) until the first scan of every folder is done.
    void vscode.window.withProgress({ location: { viewId: USAGE_VIEW_ID } }, () => model.firstScansDone());
    this.register(vscode.commands.registerCommand('workspaceUsage.rescan', (node: unknown) => this.rescan(node)));
    this.register(
      vscode.commands.registerCommand('workspaceUsage.revealInExplorer', (node: unknown) => {
        const uri = nodeUri(node);
        return uri && vscode.commands.executeCommand('revealInExplorer', uri);
      }),
    );
    this.register(
      vscode.commands.registerCommand('workspaceUsage.open', (node: unknown) => {
        const uri = nodeUri(node);
        return uri && vscode.commands.executeCommand('vscode.open', uri);
      }),
    );
    this.register(
      vscode.commands.registerCommand('workspaceUsage.copyPath', async (node: unknown) => {
        const uri = nodeUri(node);
        if (!uri) return;
        await vscode.env.clipboard.writeText(uri.fsPath);
        vscode.window.setStatusBarMessage(`Copied ${uri.fsPath}`, 3000);
      }),
    );
  }

  private update(): void {
    this.provider.refresh();
    // The badge counts what is over its quota, whether the view is open or not.
    this.view.badge = overQuotaBadge(quotaItems(this.model.snapshots()));
    this.view.description = this.sortByGrowth && this.growth ? `Changes since ${this.growth.label()}` : undefined;
  }

  private rescan(node: unknown): Promise<void> {
    const uri = nodeUri(node);
    const monitor = uri ? this.model.monitorContaining(uri.fsPath) : undefined;
    if (!uri || !monitor) return this.model.rescanAll();
    const rel = path.relative(monitor.folder, uri.fsPath).split(path.sep).join('/');
    return Promise.resolve(
      vscode.window.withProgress({ location: { viewId: USAGE_VIEW_ID } }, () => monitor.rescan(rel)),
    );
  }
}
