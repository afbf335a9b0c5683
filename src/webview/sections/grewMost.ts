// "Grew most": the folders that grew most since the baseline, each followed by its changed
// subfolders (indented by depth).
import { formatSize } from '../../core/format/size';
import type { GrewMostView } from '../../core/report/reportData';
import { el } from '../dom';

const signed = (delta: number) => `${delta > 0 ? '+' : delta < 0 ? '\u2212' : ''}${formatSize(Math.abs(delta))}`;

export function grewMostTable(g: GrewMostView | null | undefined): HTMLElement | null {
  if (!g) return null;
  const since = `Changes since ${g.since} (${new Date(g.at).toLocaleString()})`;
  const body = g.rows.length
    ? el(
        'table',
        { class: 'grew-most' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Folder'),
            el('th', { scope: 'col', class: 'num' }, 'Change'),
            el('th', { scope: 'col', class: 'num' }, 'Before'),
            el('th', { scope: 'col', class: 'num' }, 'Now'),
          ),
        ),
        el(
          'tbody',
          {},
          g.rows.map((r) =>
            el(
              'tr',
              { class: `depth-${Math.min(r.depth, 3)}` },
              el(
                'th',
                { scope: 'row' },
                `${'\u00a0\u00a0'.repeat(r.depth)}${r.rel_path}${r.status === 'changed' ? '' : ` (${r.status})`}`,
              ),
              el('td', { class: 'num' }, signed(r.delta)),
              el('td', { class: 'num' }, formatSize(r.before)),
              el('td', { class: 'num' }, formatSize(r.after)),
            ),
          ),
        ),
      )
    : el('p', { class: 'muted' }, 'No folder grew.');
  return el(
    'section',
    { 'aria-labelledby': 'grew-h' },
    el('h2', { id: 'grew-h' }, 'Grew most'),
    el('p', { class: 'muted' }, since),
    body,
  );
}
