// The folder's totals, its areas and its sessions.
import type { Level } from '../../core/disk/areas';
import { formatSize } from '../../core/format/size';
import type { FolderReport } from '../../core/report/reportData';
import { formatCount, formatPercent } from '../../core/format/numbers';
import { el } from '../dom';

type Usage = NonNullable<FolderReport['usage']>;

function levelText(level: Level): string {
  return level === 'exceeded' ? 'over quota' : level === 'warning' ? 'near quota' : 'ok';
}

/** A meter; its width is set through CSSOM after rendering (the CSP allows no style attributes). */
function bar(percent: number, level: Level, label: string): HTMLElement {
  const width = Math.max(0, Math.min(100, percent));
  return el(
    'div',
    {
      class: 'bar',
      role: 'meter',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(percent),
      'aria-label': label,
    },
    el('div', { class: `fill level-${level}`, 'data-width': width.toFixed(2) }),
  );
}

function stat(value: string, label: string, cls = 'stat'): HTMLElement {
  return el('div', { class: cls }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
}

export function summary(u: Usage): HTMLElement {
  return el(
    'section',
    { class: 'summary', 'aria-label': 'Summary' },
    stat(formatSize(u.total_bytes), `total (${formatCount(u.total_bytes)} bytes)`),
    stat(formatSize(u.allocated_bytes), 'allocated on disk'),
    stat(formatCount(u.files), 'files'),
    stat(
      formatPercent(u.folder_percent),
      `of the ${formatSize(u.folder_quota_bytes)} folder quota`,
      `stat level-${u.folder_level}`,
    ),
  );
}

function headRow(titles: Array<[string, boolean]>): HTMLElement {
  return el(
    'thead',
    {},
    el(
      'tr',
      {},
      titles.map(([t, numeric]) => el('th', { scope: 'col', class: numeric ? 'num' : undefined }, t)),
    ),
  );
}

const isSession = (a: Usage['areas'][number]) => a.session_id !== undefined && a.session_id !== null;

export function areasTable(u: Usage): HTMLElement {
  const rows = u.areas
    .filter((a) => !isSession(a))
    .map((a) =>
      el(
        'tr',
        { class: `level-${a.level}` },
        el('th', { scope: 'row' }, a.name),
        el('td', { class: 'num' }, formatSize(a.bytes)),
        el('td', { class: 'num' }, formatSize(a.quota_bytes)),
        el('td', { class: 'barcell' }, bar(a.percent, a.level, `${a.name} ${formatPercent(a.percent)} of quota`)),
        el('td', { class: 'num' }, formatPercent(a.percent)),
        el('td', {}, levelText(a.level)),
      ),
    );
  rows.push(
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, 'other'),
      el('td', { class: 'num' }, formatSize(u.other.bytes)),
      el('td'),
      el('td'),
      el('td'),
      el('td'),
    ),
  );
  return el(
    'section',
    { 'aria-labelledby': 'areas-h' },
    el('h2', { id: 'areas-h' }, 'Areas'),
    el(
      'table',
      { class: 'areas' },
      headRow([
        ['Area', false],
        ['Size', true],
        ['Quota', true],
        ['Used', false],
        ['%', true],
        ['Level', false],
      ]),
      el('tbody', {}, rows),
    ),
  );
}

export function sessionsTable(u: Usage): HTMLElement | null {
  const sessions = u.areas.filter(isSession).sort((a, b) => b.bytes - a.bytes);
  if (!sessions.length) return null;
  return el(
    'section',
    { 'aria-labelledby': 'sessions-h' },
    el('h2', { id: 'sessions-h' }, 'Sessions'),
    el(
      'table',
      { class: 'sessions' },
      headRow([
        ['Session', false],
        ['Size', true],
        ['Used', false],
        ['%', true],
      ]),
      el(
        'tbody',
        {},
        sessions.map((s) =>
          el(
            'tr',
            { class: `level-${s.level}` },
            el('th', { scope: 'row' }, s.session_id),
            el('td', { class: 'num' }, formatSize(s.bytes)),
            el('td', { class: 'barcell' }, bar(s.percent, s.level, `${s.session_id} ${formatPercent(s.percent)}`)),
            el('td', { class: 'num' }, formatPercent(s.percent)),
          ),
        ),
      ),
    ),
  );
}
