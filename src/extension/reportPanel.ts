// The "Show Usage Report" page: a webview with a strict Content-Security-Policy (nonce, no
// remote resources). Data arrives by postMessage and is rendered with DOM text nodes, so every
// value from files or the log shows as text. Live: re-posted on every model change while open.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportData } from '../core/report/reportData';

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'workspaceUsage.report';
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly data: () => ReportData) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.post();
      return;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'Usage Report', vscode.ViewColumn.Active, this.options());
    this.attach(panel);
  }

  /** Takes over a report page VS Code restored after a window reload. */
  restore(panel: vscode.WebviewPanel): void {
    if (this.panel) {
      // Only one report page: the restored one replaces none that is open.
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    this.attach(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')], retainContextWhenHidden: false };
  }

  private attach(panel: vscode.WebviewPanel): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.iconPath = vscode.Uri.joinPath(media, 'activity.svg');
    this.panel = panel;
    panel.webview.html = this.html(panel.webview, media);
    panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
    panel.onDidChangeViewState(() => panel.visible && this.post(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message), undefined, this.disposables);
  }

  /** Sends fresh data to the page when it is open and visible. */
  post(): void {
    if (this.panel?.visible) void this.panel.webview.postMessage({ type: 'data', data: this.data() });
  }

  private onMessage(message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const m = message as { type?: string; folder?: string; relPath?: string; command?: string };
    if (m.type === 'ready') this.post();
    if (m.type === 'reveal' && typeof m.folder === 'string' && typeof m.relPath === 'string') {
      const known = this.data().folders.some((f) => f.folder === m.folder);
      if (!known || m.relPath.split('/').includes('..')) return;
      void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(m.folder, m.relPath)));
    }
    if (m.type === 'command' && (m.command === 'workspaceUsage.exportReport' || m.command === 'workspaceUsage.refresh')) {
      void vscode.commands.executeCommand(m.command);
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Usage Report</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the usage report…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
