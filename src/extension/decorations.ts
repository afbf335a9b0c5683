// Explorer decorations: areas in warning or exceeded get a badge and a colour.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatSize } from '../core/format/size';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';
import { areaLabel } from '../core/notify/attention';
import { Disposable } from './lifecycle';
import type { WorkspaceModel } from './workspaceModel';

export class AreaDecorationProvider extends Disposable implements vscode.FileDecorationProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri[]>());
  readonly onDidChangeFileDecorations = this.changed.event;
  private decorations = new Map<string, vscode.FileDecoration>();

  constructor(model: WorkspaceModel) {
    super();
    this.register(vscode.window.registerFileDecorationProvider(this));
    this.register(model.onDidChange(() => this.update(model.snapshots())));
  }

  update(snapshots: FolderSnapshot[]): void {
    const next = new Map<string, vscode.FileDecoration>();
    for (const s of snapshots) {
      for (const a of s.usage?.areas ?? []) {
        if (a.level === 'ok') continue;
        const abs = path.join(s.folder, a.path);
        const exceeded = a.level === 'exceeded';
        const decoration = new vscode.FileDecoration(
          exceeded ? '!!' : '!',
          `${areaLabel(a)}: ${formatSize(a.bytes)} of ${formatSize(a.quotaBytes)} (${Math.round(a.percent)}%)${exceeded ? ', over quota' : ', near quota'}`,
          new vscode.ThemeColor(exceeded ? 'list.errorForeground' : 'list.warningForeground'),
        );
        next.set(vscode.Uri.file(abs).toString(), decoration);
      }
    }
    const touched = new Set([...this.decorations.keys(), ...next.keys()]);
    const changed = [...touched].filter((k) => {
      const a = this.decorations.get(k);
      const b = next.get(k);
      return a?.badge !== b?.badge || a?.tooltip !== b?.tooltip;
    });
    this.decorations = next;
    if (changed.length > 0) this.changed.fire(changed.map((k) => vscode.Uri.parse(k)));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    return this.decorations.get(uri.toString());
  }
}
