// "By type": bytes and files by file extension per area, the top ten and "other".
import { formatSize } from '../../core/format/size';
import type { ByTypeView } from '../../core/report/reportData';
import { formatCount } from '../../core/format/numbers';
import { el } from '../dom';

export function byTypeTable(areas: ByTypeView[] | null | undefined): HTMLElement | null {
  if (!areas?.length) return null;
  const rows: HTMLElement[] = [];
  for (const a of areas) {
    const types = [
      ...a.rows,
      ...(a.other.types > 0
        ? [{ type: `other (${a.other.types} types)`, bytes: a.other.bytes, files: a.other.files }]
        : []),
    ];
    types.forEach((t, i) =>
      rows.push(
        el(
          'tr',
          {},
          i === 0 ? el('th', { scope: 'rowgroup', rowspan: types.length }, a.area) : null,
          el('td', {}, t.type),
          el('td', { class: 'num' }, formatSize(t.bytes)),
          el('td', { class: 'num' }, formatCount(t.files)),
        ),
      ),
    );
  }
  return el(
    'section',
    { 'aria-labelledby': 'types-h' },
    el('h2', { id: 'types-h' }, 'By type'),
    el(
      'table',
      { class: 'by-type' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Area'),
          el('th', { scope: 'col' }, 'Type'),
          el('th', { scope: 'col', class: 'num' }, 'Size'),
          el('th', { scope: 'col', class: 'num' }, 'Files'),
        ),
      ),
      el('tbody', {}, rows),
    ),
  );
}
