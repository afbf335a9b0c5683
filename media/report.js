// Usage Report page. Renders the data posted by the extension with DOM APIs only (textContent,
// createElementNS): nothing from files or the log is ever parsed as HTML. The history chart is
// an SVG string built and escaped by the extension; it is parsed as SVG (not HTML) and scripts
// cannot run in it under the page's CSP.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  const SVG = 'http://www.w3.org/2000/svg';
  const state = Object.assign({ sortKey: 'use_count', sortDir: -1 }, vscode.getState() || {});
  let data = null;

  const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  function size(bytes) {
    if (bytes < 1024) return bytes + (bytes === 1 ? ' byte' : ' bytes');
    let v = bytes;
    let u = 0;
    while (v >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
    let t = v < 100 ? v.toFixed(1) : String(Math.round(v));
    if (t.endsWith('.0')) t = t.slice(0, -2);
    if (t === '1024' && u < UNITS.length - 1) return '1 ' + UNITS[u + 1];
    return t + ' ' + UNITS[u];
  }
  const num = (n) => Number(n).toLocaleString('en-US');
  const pct = (p) => (p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)) + '%';

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function levelText(level) {
    return level === 'exceeded' ? 'over quota' : level === 'warning' ? 'near quota' : 'ok';
  }

  function bar(percent, level, label) {
    const width = Math.max(0, Math.min(100, percent));
    return el('div', { class: 'bar', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(percent), 'aria-label': label },
      el('div', { class: 'fill level-' + level, 'data-width': width.toFixed(2) }));
  }

  function summary(f) {
    const u = f.usage;
    return el('section', { class: 'summary', 'aria-label': 'Summary' },
      el('div', { class: 'stat' }, el('div', { class: 'value' }, size(u.total_bytes)), el('div', { class: 'label' }, 'total (' + num(u.total_bytes) + ' bytes)')),
      el('div', { class: 'stat' }, el('div', { class: 'value' }, size(u.allocated_bytes)), el('div', { class: 'label' }, 'allocated on disk')),
      el('div', { class: 'stat' }, el('div', { class: 'value' }, num(u.files)), el('div', { class: 'label' }, 'files')),
      el('div', { class: 'stat level-' + u.folder_level }, el('div', { class: 'value' }, pct(u.folder_percent)), el('div', { class: 'label' }, 'of the ' + size(u.folder_quota_bytes) + ' folder quota')));
  }

  function areasTable(f) {
    const u = f.usage;
    const plain = u.areas.filter((a) => a.session_id === undefined || a.session_id === null);
    const rows = plain.map((a) => el('tr', { class: 'level-' + a.level },
      el('th', { scope: 'row' }, a.name), el('td', { class: 'num' }, size(a.bytes)), el('td', { class: 'num' }, size(a.quota_bytes)),
      el('td', { class: 'barcell' }, bar(a.percent, a.level, a.name + ' ' + pct(a.percent) + ' of quota')), el('td', { class: 'num' }, pct(a.percent)),
      el('td', {}, levelText(a.level))));
    rows.push(el('tr', {}, el('th', { scope: 'row' }, 'other'), el('td', { class: 'num' }, size(u.other.bytes)), el('td'), el('td'), el('td'), el('td')));
    return el('section', { 'aria-labelledby': 'areas-h' }, el('h2', { id: 'areas-h' }, 'Areas'),
      el('table', { class: 'areas' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Area'), el('th', { scope: 'col', class: 'num' }, 'Size'), el('th', { scope: 'col', class: 'num' }, 'Quota'), el('th', { scope: 'col' }, 'Used'), el('th', { scope: 'col', class: 'num' }, '%'), el('th', { scope: 'col' }, 'Level'))), el('tbody', {}, rows)));
  }

  function sessionsTable(f) {
    const sessions = f.usage.areas.filter((a) => a.session_id !== undefined && a.session_id !== null).sort((a, b) => b.bytes - a.bytes);
    if (!sessions.length) return null;
    return el('section', { 'aria-labelledby': 'sessions-h' }, el('h2', { id: 'sessions-h' }, 'Sessions'),
      el('table', { class: 'sessions' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Session'), el('th', { scope: 'col', class: 'num' }, 'Size'), el('th', { scope: 'col' }, 'Used'), el('th', { scope: 'col', class: 'num' }, '%'))),
        el('tbody', {}, sessions.map((s) => el('tr', { class: 'level-' + s.level }, el('th', { scope: 'row' }, s.session_id), el('td', { class: 'num' }, size(s.bytes)), el('td', { class: 'barcell' }, bar(s.percent, s.level, s.session_id + ' ' + pct(s.percent))), el('td', { class: 'num' }, pct(s.percent)))))));
  }

  function treemap(f) {
    if (!f.treemap.length) return null;
    const root = svg('svg', { viewBox: '0 0 1000 420', class: 'treemap', role: 'img', 'aria-label': 'Largest folders and files' });
    f.treemap.forEach((c, i) => {
      const g = svg('g', { class: 'cell depth-' + c.depth + (c.is_directory ? ' dir' : ' file'), tabindex: c.depth === 0 ? 0 : -1, role: 'button', 'aria-label': c.rel_path + ', ' + size(c.bytes) });
      g.append(svg('title', {}, c.rel_path + ' — ' + size(c.bytes)));
      g.append(svg('rect', { x: c.x + 1, y: c.y + 1, width: Math.max(0, c.w - 2), height: Math.max(0, c.h - 2), class: 'tone-' + (i % 6) }));
      if (c.w > 50 && c.h > 16) {
        const maxChars = Math.floor((c.w - 8) / 7);
        const text = c.label.length > maxChars ? c.label.slice(0, Math.max(1, maxChars - 1)) + '…' : c.label;
        g.append(svg('text', { x: c.x + 5, y: c.y + 14 }, text));
        if (c.h > 32 && c.depth === 1) g.append(svg('text', { x: c.x + 5, y: c.y + 28, class: 'sub' }, size(c.bytes)));
      }
      const reveal = () => vscode.postMessage({ type: 'reveal', folder: f.folder, relPath: c.rel_path });
      g.addEventListener('click', reveal);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); reveal(); } });
      root.append(g);
    });
    return el('section', { 'aria-labelledby': 'treemap-h' }, el('h2', { id: 'treemap-h' }, 'Largest folders'), el('p', { class: 'muted' }, 'Click a cell to reveal it in the Explorer.'), root);
  }

  const RECORD_COLUMNS = [
    ['kind', 'Kind', false], ['slug', 'Slug', false], ['status', 'Status', false], ['use_count', 'Uses', true],
    ['last_used_at', 'Last used', false], ['resident_exposure_count', 'Resident exposures', true],
    ['estimated_total_resident_exposure_tokens', 'Resident tokens', true], ['file_bytes', 'Size', true],
  ];

  function compare(a, b, key) {
    const x = a[key]; const y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return typeof x === 'number' ? x - y : String(x) < String(y) ? -1 : 1;
  }

  function recordsTable(f) {
    if (!f.records.length && !f.malformed.count) return null;
    const rows = f.records.slice().sort((a, b) => state.sortDir * compare(a, b, state.sortKey) || compare(a, b, 'kind') || compare(a, b, 'slug'));
    const head = el('tr', {}, RECORD_COLUMNS.map(([key, title, numeric]) => {
      const sorted = state.sortKey === key;
      return el('th', { scope: 'col', class: numeric ? 'num' : undefined, 'aria-sort': sorted ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none' },
        el('button', { class: 'sort', type: 'button', onclick: () => { state.sortDir = sorted ? -state.sortDir : numeric ? -1 : 1; state.sortKey = key; vscode.setState(state); render(); } }, title, sorted ? (state.sortDir > 0 ? ' ▲' : ' ▼') : ''));
    }));
    const body = rows.map((r) => el('tr', { class: 'status-' + r.status },
      el('td', {}, r.kind), el('th', { scope: 'row' }, r.slug), el('td', {}, r.status), el('td', { class: 'num' }, num(r.use_count)),
      el('td', { title: r.last_used_at || '' }, r.last_used_at ? new Date(r.last_used_at).toLocaleString() : '—'), el('td', { class: 'num' }, num(r.resident_exposure_count)),
      el('td', { class: 'num' }, r.estimated_total_resident_exposure_tokens === null ? '—' : num(r.estimated_total_resident_exposure_tokens)),
      el('td', { class: 'num' }, r.file_bytes === null ? '—' : size(r.file_bytes))));
    const section = el('section', { 'aria-labelledby': 'records-h' }, el('h2', { id: 'records-h' }, 'Memory records'),
      el('table', { class: 'records' }, el('thead', {}, head), el('tbody', {}, body)));
    if (f.malformed.count) {
      section.append(el('details', { class: 'malformed' }, el('summary', {}, num(f.malformed.count) + ' malformed log lines skipped'),
        el('ul', {}, f.malformed.samples.map((s) => el('li', {}, 'line ' + s.line + ': ' + s.reason)))));
    }
    return section;
  }

  // The chart is drawn by the extension from numbers and escaped names; still, only plain
  // drawing elements and no event handlers or links are let through (defence in depth).
  const SVG_ELEMENTS = new Set(['svg', 'g', 'title', 'desc', 'line', 'polyline', 'circle', 'text', 'rect', 'path', 'tspan']);
  function cleanSvg(root) {
    for (const node of [root, ...root.querySelectorAll('*')]) {
      if (node !== root && (node.namespaceURI !== SVG || !SVG_ELEMENTS.has(node.localName))) { node.remove(); continue; }
      for (const attr of [...node.attributes]) {
        if (/^on/i.test(attr.name) || /href$/i.test(attr.name) || /^style$/i.test(attr.name)) node.removeAttribute(attr.name);
      }
    }
    return root;
  }

  function history(f) {
    if (!f.history) return null;
    const section = el('section', { 'aria-labelledby': 'history-h' }, el('h2', { id: 'history-h' }, 'History'));
    for (const line of f.history.forecasts) section.append(el('p', { class: 'forecast' }, line));
    const chart = el('div', { class: 'chart' });
    const parsed = new DOMParser().parseFromString(f.history.chart_svg, 'image/svg+xml');
    const svgRoot = parsed.documentElement;
    if (svgRoot && svgRoot.namespaceURI === SVG && svgRoot.localName === 'svg') chart.append(cleanSvg(document.importNode(svgRoot, true)));
    section.append(chart);
    section.append(el('p', { class: 'muted' }, f.history.samples === 1 ? '1 size sample.' : num(f.history.samples) + ' size samples.',
      f.history.samples < 3 ? ' A forecast needs at least 3 samples and a rising trend.' : ''));
    section.append(el('h3', { id: 'activity-h' }, 'Daily activity'));
    if (!f.history.activity.length) section.append(el('p', { class: 'muted' }, 'No file changes recorded yet.'));
    else {
      section.append(el('table', { class: 'activity', 'aria-labelledby': 'activity-h' },
        el('thead', {}, el('tr', {}, ['Day', 'Files added', 'Files deleted', 'Bytes added', 'Bytes removed', 'Total at day end'].map((t, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, t)))),
        el('tbody', {}, f.history.activity.slice().reverse().map((d) => el('tr', {}, el('th', { scope: 'row' }, d.day), el('td', { class: 'num' }, num(d.files_added)), el('td', { class: 'num' }, num(d.files_deleted)), el('td', { class: 'num' }, size(d.bytes_added)), el('td', { class: 'num' }, size(d.bytes_removed)), el('td', { class: 'num' }, size(d.end_total_bytes)))))));
    }
    return section;
  }

  function folderSection(f, multi) {
    const section = el('article', { class: 'folder', 'aria-label': f.name });
    if (multi) section.append(el('h1', {}, f.name));
    for (const n of f.notes) section.append(el('p', { class: 'note' }, n));
    if (!f.usage) {
      section.append(el('p', { class: 'muted' }, f.phase === 'failed' ? 'The scan failed; see the Workspace Usage log.' : 'Scanning… ' + num(f.scanned_files) + ' files so far.'));
      return section;
    }
    if (f.usage.warnings.length) section.append(el('section', { class: 'warnings', role: 'alert', 'aria-label': 'Warnings' }, el('ul', {}, f.usage.warnings.map((w) => el('li', {}, w)))));
    section.append(summary(f));
    section.append(areasTable(f));
    const s = sessionsTable(f); if (s) section.append(s);
    const h = history(f); if (h) section.append(h);
    const t = treemap(f); if (t) section.append(t);
    const r = recordsTable(f); if (r) section.append(r);
    return section;
  }

  function render() {
    if (!data) return;
    const scrollY = window.scrollY;
    const header = el('header', {},
      el('h1', {}, data.folders.length > 1 ? 'Workspace Usage' : 'Workspace Usage — ' + (data.folders[0] ? data.folders[0].name : '')),
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: () => vscode.postMessage({ type: 'command', command: 'workspaceUsage.refresh' }) }, 'Refresh'),
        el('button', { type: 'button', onclick: () => vscode.postMessage({ type: 'command', command: 'workspaceUsage.exportReport' }) }, 'Export…')),
      el('p', { class: 'muted' }, 'Updated ' + new Date(data.generated_at).toLocaleTimeString()));
    const folders = data.folders.length ? data.folders.map((f) => folderSection(f, data.folders.length > 1)) : [el('p', {}, 'Open a folder to see its usage.')];
    app.replaceChildren(header, ...folders);
    // Widths through CSSOM (allowed by the CSP), not style attributes.
    for (const fill of app.querySelectorAll('.fill[data-width]')) fill.style.width = fill.getAttribute('data-width') + '%';
    window.scrollTo(0, scrollY);
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'data') { data = message.data; render(); }
  });
  // Saved state (also when never sorted) lets VS Code restore the page after a window reload.
  vscode.setState(state);
  vscode.postMessage({ type: 'ready' });
})();
