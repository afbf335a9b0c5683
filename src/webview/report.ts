// The Usage Report page (bundled for the browser by esbuild.mjs into dist/webview/report.js).
// Renders the data the extension posts with DOM APIs only (see dom.ts): nothing from files or
// the log is ever parsed as HTML. The sort of the records table is kept in the webview state.
import { nextRecordSort, recordSortFrom, type RecordKey, type RecordSort } from '../core/report/recordColumns';
import type { FolderReport, ReportData } from '../core/report/reportData';
import { formatCount } from '../core/format/numbers';
import { isToPageMessage } from '../core/report/reportMessages';
import { el } from './dom';
import { byTypeTable } from './sections/byType';
import { grewMostTable } from './sections/grewMost';
import { history } from './sections/history';
import { recordsTable } from './sections/records';
import { residentTokens } from './sections/residentTokens';
import { treemap } from './sections/treemap';
import { areasTable, sessionsTable, summary } from './sections/usage';
import { vscode } from './vscodeApi';

const app = document.getElementById('app')!;
let sort: RecordSort = recordSortFrom(vscode.getState());
let data: ReportData | null = null;

function onSort(key: RecordKey): void {
  sort = nextRecordSort(sort, key);
  vscode.setState(sort);
  render();
}

function folderSection(f: FolderReport, multi: boolean): HTMLElement {
  const section = el('article', { class: 'folder', 'aria-label': f.name });
  if (multi) section.append(el('h1', {}, f.name));
  for (const n of f.notes) section.append(el('p', { class: 'note' }, n));
  if (!f.usage) {
    section.append(
      el(
        'p',
        { class: 'muted' },
        f.phase === 'failed'
          ? 'The scan failed; see the Workspace Usage log.'
          : `Scanning… ${formatCount(f.scanned_files)} files so far.`,
      ),
    );
    return section;
  }
  if (f.usage.warnings.length) {
    section.append(
      el(
        'section',
        { class: 'warnings', role: 'alert', 'aria-label': 'Warnings' },
        el(
          'ul',
          {},
          f.usage.warnings.map((w) => el('li', {}, w)),
        ),
      ),
    );
  }
  const parts = [
    summary(f.usage),
    areasTable(f.usage),
    sessionsTable(f.usage),
    history(f.history),
    treemap(f),
    recordsTable(f, sort, onSort),
    residentTokens(f),
  ];
  parts.push(grewMostTable(f.grew_most), byTypeTable(f.by_type));
  for (const p of parts) if (p) section.append(p);
  return section;
}

function render(): void {
  if (!data) return;
  const d = data;
  const scrollY = window.scrollY;
  const header = el(
    'header',
    {},
    el('h1', {}, d.folders.length > 1 ? 'Workspace Usage' : `Workspace Usage — ${d.folders[0]?.name ?? ''}`),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        {
          type: 'button',
          on: { click: () => vscode.postMessage({ type: 'command', command: 'workspaceUsage.refresh' }) },
        },
        'Refresh',
      ),
      el(
        'button',
        {
          type: 'button',
          on: { click: () => vscode.postMessage({ type: 'command', command: 'workspaceUsage.exportReport' }) },
        },
        'Export…',
      ),
    ),
    el('p', { class: 'muted' }, `Updated ${new Date(d.generated_at).toLocaleTimeString()}`),
  );
  const folders = d.folders.length
    ? d.folders.map((f) => folderSection(f, d.folders.length > 1))
    : [el('p', {}, 'Open a folder to see its usage.')];
  app.replaceChildren(header, ...folders);
  // Widths through CSSOM (allowed by the CSP), not style attributes.
  for (const fill of app.querySelectorAll<HTMLElement>('.fill[data-width]'))
    fill.style.width = `${fill.dataset.width}%`;
  window.scrollTo(0, scrollY);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToPageMessage(event.data)) return;
  data = event.data.data;
  render();
});
// Saved state (also when never sorted) lets VS Code restore the page after a window reload.
vscode.setState(sort);
vscode.postMessage({ type: 'ready' });
