// Long scans are visible and can be stopped: a scan or rescan still running after a second gets a
// progress notification with the files counted so far (redrawn at most twice a second) and a
// Cancel button. Short scans, the usual case, show nothing here.
import * as vscode from 'vscode';
import type { FolderSnapshot } from '../core/monitor/folderSnapshot';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 500;

interface Shown {
  id: string;
  report(files: number): void;
  done(): void;
}

export class ScanProgress implements vscode.Disposable {
  private readonly shown = new Map<string, Shown>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly snapshots: () => FolderSnapshot[],
    private readonly cancel: (folder: string) => void,
    onDidChange: vscode.Event<void>,
  ) {
    this.subscription = onDidChange(() => this.update());
  }

  update(): void {
    const now = Date.now();
    const running = new Map<string, FolderSnapshot>();
    let nextCheck = Infinity;
    for (const s of this.snapshots()) {
      if (!s.busy) continue;
      const id = `${s.busy.kind}:${s.busy.startedAt}`;
      running.set(s.folder, s);
      const shown = this.shown.get(s.folder);
      if (shown && shown.id !== id) {
        shown.done();
        this.shown.delete(s.folder);
      }
      if (this.shown.has(s.folder)) this.shown.get(s.folder)!.report(s.busy.files);
      else if (now - s.busy.startedAt >= SHOW_AFTER_MS) this.open(s, id);
      else nextCheck = Math.min(nextCheck, s.busy.startedAt + SHOW_AFTER_MS);
    }
    for (const [folder, shown] of this.shown) {
      if (!running.has(folder)) {
        shown.done();
        this.shown.delete(folder);
      }
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = nextCheck < Infinity ? setTimeout(() => this.update(), Math.max(0, nextCheck - now) + 20) : undefined;
  }

  private open(s: FolderSnapshot, id: string): void {
    const busy = s.busy!;
    const what = busy.relPath ? `${s.name}/${busy.relPath}` : s.name;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let lastDraw = 0;
    let lastFiles = -1;
    let report: (files: number) => void = () => undefined;
    this.shown.set(s.folder, { id, report: (files) => report(files), done: () => finish() });
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `${busy.kind === 'scan' ? 'Scanning' : 'Rescanning'} ${what}`,
        cancellable: true,
      },
      (progress, token) => {
        token.onCancellationRequested(() => this.cancel(s.folder));
        report = (files) => {
          const now = Date.now();
          if (files === lastFiles || now - lastDraw < REDRAW_MS) return;
          lastDraw = now;
          lastFiles = files;
          progress.report({ message: `${files.toLocaleString('en-US')} files counted` });
        };
        report(busy.files);
        return finished;
      },
    );
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.timer) clearTimeout(this.timer);
    for (const shown of this.shown.values()) shown.done();
    this.shown.clear();
  }
}
