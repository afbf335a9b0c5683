// Quota notifications: one summary when the window opens, one per later crossing (the policy is
// core's), a "Don't Warn Again" that is kept per workspace, and the commands that undo it. The
// status bar, the views and the badge show levels whatever the user mutes here.
// The same notices go to the folder's `workspaceUsage.alertWebhook`, in trusted workspaces only,
// fired without waiting (core's sender retries and times out by itself, and never throws).
import * as vscode from 'vscode';
import type { Settings } from '../core/config/settings';
import { sendNotice } from '../core/notify/webhook';
import {
  NOTIFICATION_MODES,
  NotificationPolicy,
  quotaItems,
  quotaKey,
  type Notice,
  type NotificationMode,
  type QuotaItem,
} from '../core/notify/attention';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';

const MUTED_KEY = 'workspaceUsage.mutedWarnings';

function readMode(): NotificationMode {
  const value = vscode.workspace.getConfiguration('workspaceUsage').get<string>('notifications');
  return (NOTIFICATION_MODES as readonly string[]).includes(value ?? '') ? (value as NotificationMode) : 'all';
}

export class QuotaNotifier implements vscode.Disposable {
  private readonly policy: NotificationPolicy;
  private muted: Set<string>;
  private items: QuotaItem[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the muted set changes (the Usage view marks muted areas). */
  readonly onDidChangeMuted = this.changed.event;

  constructor(
    private readonly model: {
      snapshots(): FolderSnapshot[];
      onDidChange: vscode.Event<void>;
      settingsFor?(folder: string): Settings | undefined;
    },
    private readonly state: vscode.Memento,
    private readonly log: (message: string) => void,
  ) {
    this.muted = new Set(state.get<string[]>(MUTED_KEY, []));
    this.policy = new NotificationPolicy(readMode(), this.muted);
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('workspaceUsage.notifications')) this.policy.setMode(readMode());
      }),
      vscode.commands.registerCommand('workspaceUsage.muteWarnings', (node?: { quotaKey?: string; label?: unknown }) =>
        this.muteFromNode(node),
      ),
      vscode.commands.registerCommand('workspaceUsage.unmuteWarnings', (node?: { quotaKey?: string }) =>
        this.unmuteFromNode(node),
      ),
      vscode.commands.registerCommand('workspaceUsage.resetMutedWarnings', () => this.reset()),
      model.onDidChange(() => this.update(model.snapshots())),
    );
  }

  isMuted(folder: string, label: string): boolean {
    return this.muted.has(quotaKey(folder, label));
  }

  update(snapshots: readonly FolderSnapshot[]): void {
    this.items = quotaItems(snapshots);
    const allReady = snapshots.length > 0 && snapshots.every((s) => s.phase !== 'scanning');
    for (const notice of this.policy.update(this.items, allReady)) this.show(notice);
  }

  private show(notice: Notice): void {
    this.log(notice.message);
    this.post(notice);
    const show = notice.level === 'exceeded' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const mute = notice.items.length === 1 ? `Don't Warn Again for ${notice.items[0].label}` : "Don't Warn Again…";
    void show(notice.message, 'Show Report', mute).then(async (choice) => {
      if (choice === 'Show Report') await vscode.commands.executeCommand('workspaceUsage.showReport');
      else if (choice === mute) {
        const chosen = notice.items.length === 1 ? notice.items : await this.pick(notice.items);
        if (chosen?.length)
          await this.setMuted(
            chosen.map((i) => i.key),
            true,
          );
      }
    });
  }

  /** POSTs the notice's items to each folder's webhook (trusted workspaces only), in the background. */
  private post(notice: Notice): void {
    if (!vscode.workspace.isTrusted) return;
    const byFolder = new Map<string, QuotaItem[]>();
    for (const item of notice.items) byFolder.set(item.folder, [...(byFolder.get(item.folder) ?? []), item]);
    for (const [folder, items] of byFolder) {
      const url = this.model.settingsFor?.(folder)?.alertWebhook;
      if (!url) continue;
      void sendNotice(url, { ...notice, items }).then((results) => {
        for (const r of results)
          if (!r.ok)
            this.log(
              `alert webhook ${url}: ${r.error} after ${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'}`,
            );
      });
    }
  }

  private async pick(items: readonly QuotaItem[]): Promise<QuotaItem[] | undefined> {
    const picks = await vscode.window.showQuickPick(
      items.map((item) => ({
        label: item.label,
        description: `${Math.round(item.percent)}% of its quota`,
        picked: true,
        item,
      })),
      {
        title: "Don't warn again for",
        canPickMany: true,
        placeHolder: 'Muted areas still show their level in the status bar and the Usage view',
      },
    );
    return picks?.map((p) => p.item);
  }

  private async setMuted(keys: readonly string[], muted: boolean): Promise<void> {
    for (const key of keys) {
      if (muted) this.muted.add(key);
      else this.muted.delete(key);
    }
    this.policy.setMuted(this.muted);
    await this.state.update(MUTED_KEY, [...this.muted].sort());
    this.changed.fire();
  }

  private async muteFromNode(node?: { quotaKey?: string }): Promise<void> {
    if (typeof node?.quotaKey === 'string') await this.setMuted([node.quotaKey], true);
  }

  private async unmuteFromNode(node?: { quotaKey?: string }): Promise<void> {
    if (typeof node?.quotaKey !== 'string') return;
    await this.setMuted([node.quotaKey], false);
    this.tellLifted(new Set([node.quotaKey]));
  }

  private async reset(): Promise<void> {
    const lifted = new Set(this.muted);
    if (lifted.size === 0) {
      vscode.window.setStatusBarMessage('Workspace Usage: no muted warnings', 4000);
      return;
    }
    await this.setMuted([...lifted], false);
    vscode.window.setStatusBarMessage(
      `Workspace Usage: warnings for ${lifted.size} ${lifted.size === 1 ? 'area' : 'areas'} will show again`,
      4000,
    );
    this.tellLifted(lifted);
  }

  /** Lifted mutes come back at once for what is beyond its level now. */
  private tellLifted(lifted: ReadonlySet<string>): void {
    const notice = this.policy.unmuted(this.items, lifted);
    if (notice) this.show(notice);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
