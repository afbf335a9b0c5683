// The "Show Usage Report" page: a webview with a strict Content-Security-Policy (nonce, no
// remote resources). Data arrives by postMessage and is rendered with DOM text nodes, so every
// value from files or the log shows as text. Live: re-posted on every model change while open.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportData } from '../core/report/reportData';
import { checkPageMessage, type ToPageMessage } from '../core/report/reportMessages';

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'workspaceUsage.report';
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly data: () => ReportData,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      this.post();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ReportPanel.viewType,
      'Usage Report',
      vscode.ViewColumn.Active,
      this.options(),
    );
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
    // media/ for the styles and icon, dist/webview/ for the page's script (built from src/webview).
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), this.scripts()],
      retainContextWhenHidden: false,
    };
  }

  private scripts(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
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
    if (!this.panel?.visible) return;
    const message: ToPageMessage = { type: 'data', data: this.data() };
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    // Every message is checked before anything is done with it: the page renders text from
    // files and the log, so it is treated as untrusted.
    const checked = checkPageMessage(message);
    if (!checked.ok) return;
    const m = checked.value;
    switch (m.type) {
      case 'ready':
        this.post();
        return;
      case 'reveal': {
        // Only inside a folder of this report (relPath is already relative, without "..").
        if (!this.data().folders.some((f) => f.folder === m.folder)) return;
        void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(m.folder, m.relPath)));
        return;
      }
      case 'command':
        void vscode.commands.executeCommand(m.command);
        return;
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.scripts(), 'report.js'));
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
