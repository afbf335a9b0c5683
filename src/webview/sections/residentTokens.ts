// Resident tokens per day: what the resident exposures of the usage log injected each day (UTC),
// as a table with a bar per day scaled to the largest day.
import type { FolderReport } from '../../core/report/reportData';
import { formatCount } from '../../core/format/numbers';
import { dayRows, el } from '../dom';

export function residentTokens(f: FolderReport): HTMLElement | null {
  const days = f.resident_by_day ?? [];
  if (!days.length) return null;
  const max = Math.max(...days.map((d) => d.tokens), 1);
  return el(
    'section',
    { 'aria-labelledby': 'resident-h' },
    el('h2', { id: 'resident-h' }, 'Resident tokens per day'),
    el(
      'table',
      { class: 'resident', 'aria-labelledby': 'resident-h' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Day (UTC)'),
          el('th', { scope: 'col', class: 'num' }, 'Tokens'),
          el('th', { scope: 'col', class: 'num' }, 'Exposures'),
          el('th', { scope: 'col', class: 'barcell', 'aria-label': 'Tokens against the largest day' }),
        ),
      ),
      dayRows(days, (d) => [
        el('td', { class: 'num' }, formatCount(d.tokens)),
        el('td', { class: 'num' }, formatCount(d.exposures)),
        el(
          'td',
          { class: 'barcell' },
          el(
            'div',
            { class: 'bar', role: 'presentation' },
            el('div', { class: 'fill', 'data-width': ((d.tokens / max) * 100).toFixed(1) }),
          ),
        ),
      ]),
    ),
  );
}
