// The Records view: registers its tree view, follows the model by itself, keeps the user's sort
// (per workspace) and owns the Sort Records command and the "has records" context key.
import * as vscode from 'vscode';
import { isRecordSort, RECORD_SORTS, type RecordSort } from '../../core/log/recordGroups';
import { Disposable } from '../lifecycle';
import type { WorkspaceModel } from '../workspaceModel';
import { defaultSettings } from '../../core/config/settings';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';
import { folderChildren, RecordsFolderNode, type BudgetSettings, type RecordsNode } from './recordsNodes';

const SORT_KEY = 'workspaceUsage.recordSort';

class RecordsTreeProvider implements vscode.TreeDataProvider<RecordsNode> {
  private readonly changed = new vscode.EventEmitter<RecordsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: WorkspaceModel,
    public sort: RecordSort,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: RecordsNode): vscode.TreeItem {
    return node;
  }

  getParent(node: RecordsNode): RecordsNode | undefined {
    return node.parent;
  }

  getChildren(node?: RecordsNode): RecordsNode[] {
    if (node) return node.children(this.sort);
    const snapshots = this.model.snapshots();
    if (snapshots.length === 1) return folderChildren(undefined, snapshots[0], this.budget(snapshots[0]));
    return snapshots
      .filter((s) => s.records.length > 0 || s.malformed.count > 0)
      .map((s) => new RecordsFolderNode(s, this.budget(s)));
  }

  private budget(s: FolderSnapshot): BudgetSettings {
    return this.model.settingsFor(s.folder) ?? defaultSettings();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class RecordsView extends Disposable {
  private readonly provider: RecordsTreeProvider;
  private readonly view: vscode.TreeView<RecordsNode>;
  private hasRecords: boolean | undefined;

  constructor(
    private readonly model: WorkspaceModel,
    private readonly state: vscode.Memento,
  ) {
    super();
    const saved = state.get<unknown>(SORT_KEY);
    this.provider = this.register(new RecordsTreeProvider(model, isRecordSort(saved) ? saved : 'uses'));
    this.view = this.register(
      vscode.window.createTreeView('workspaceUsage.records', {
        treeDataProvider: this.provider,
        showCollapseAll: true,
      }),
    );
    this.view.description = RECORD_SORTS[this.provider.sort].short;
    this.register(model.onDidChange(() => this.update()));
    this.register(vscode.commands.registerCommand('workspaceUsage.sortRecords', () => this.pickSort()));
  }

  private update(): void {
    this.provider.refresh();
    const has = this.model.snapshots().some((s) => s.records.length > 0 || s.malformed.count > 0);
    if (has !== this.hasRecords) {
      this.hasRecords = has;
      void vscode.commands.executeCommand('setContext', 'workspaceUsage.hasRecords', has);
    }
  }

  private async pickSort(): Promise<void> {
    const picks = (Object.keys(RECORD_SORTS) as RecordSort[]).map((sort) => ({
      label: RECORD_SORTS[sort].label,
      description: RECORD_SORTS[sort].detail,
      sort,
    }));
    const pick = await vscode.window.showQuickPick(picks, {
      title: 'Sort Records',
      placeHolder: `Now sorted ${RECORD_SORTS[this.provider.sort].short}`,
    });
    if (!pick) return;
    this.provider.sort = pick.sort;
    this.view.description = RECORD_SORTS[pick.sort].short;
    await this.state.update(SORT_KEY, pick.sort);
    this.provider.refresh();
  }
}
