// Size history: the forecasts, the chart and the daily activity table.
import { formatSize } from '../../core/format/size';
import type { HistoryView } from '../../core/report/reportData';
import { formatCount } from '../../core/format/numbers';
import { dayRows, el, SVG_NS } from '../dom';

// The chart is an SVG string drawn by the extension from numbers and escaped names. It is parsed
// as SVG (not HTML), and scripts cannot run in it under the page's CSP; still, only plain drawing
// elements and no event handlers, links or styles are let through (defence in depth).
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'title',
  'desc',
  'line',
  'polyline',
  'circle',
  'text',
  'rect',
  'path',
  'tspan',
]);

function cleanSvg(root: Element): Element {
  for (const node of [root, ...root.querySelectorAll('*')]) {
    if (node !== root && (node.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(node.localName))) {
      node.remove();
      continue;
    }
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || /href$/i.test(attr.name) || /^style$/i.test(attr.name))
        node.removeAttribute(attr.name);
    }
  }
  return root;
}

function chart(chartSvg: string): HTMLElement {
  const box = el('div', { class: 'chart' });
  const parsed = new DOMParser().parseFromString(chartSvg, 'image/svg+xml');
  const svgRoot = parsed.documentElement;
  if (svgRoot && svgRoot.namespaceURI === SVG_NS && svgRoot.localName === 'svg')
    box.append(cleanSvg(document.importNode(svgRoot, true)));
  return box;
}

const ACTIVITY_COLUMNS = ['Day', 'Files added', 'Files deleted', 'Bytes added', 'Bytes removed', 'Total at day end'];

export function history(h: HistoryView | null): HTMLElement | null {
  if (!h) return null;
  const section = el('section', { 'aria-labelledby': 'history-h' }, el('h2', { id: 'history-h' }, 'History'));
  for (const line of h.forecasts) section.append(el('p', { class: 'forecast' }, line));
  section.append(chart(h.chart_svg));
  section.append(
    el(
      'p',
      { class: 'muted' },
      h.samples === 1 ? '1 size sample.' : `${formatCount(h.samples)} size samples.`,
      h.samples < 3 ? ' A forecast needs at least 3 samples and a rising trend.' : '',
    ),
  );
  section.append(el('h3', { id: 'activity-h' }, 'Daily activity'));
  if (!h.activity.length) {
    section.append(el('p', { class: 'muted' }, 'No file changes recorded yet.'));
    return section;
  }
  section.append(
    el(
      'table',
      { class: 'activity', 'aria-labelledby': 'activity-h' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ACTIVITY_COLUMNS.map((t, i) => el('th', { scope: 'col', class: i ? 'num' : undefined }, t)),
        ),
      ),
      dayRows(h.activity, (d) => [
        el('td', { class: 'num' }, formatCount(d.files_added)),
        el('td', { class: 'num' }, formatCount(d.files_deleted)),
        el('td', { class: 'num' }, formatSize(d.bytes_added)),
        el('td', { class: 'num' }, formatSize(d.bytes_removed)),
        el('td', { class: 'num' }, formatSize(d.end_total_bytes)),
      ]),
    ),
  );
  return section;
}
