// The largest folders as a treemap laid out by the extension (reportData.buildTreemap); a click
// or Enter on a cell asks the extension to reveal it in the Explorer.
import { formatSize } from '../../core/format/size';
import { TREEMAP_HEADER, TREEMAP_HEIGHT, TREEMAP_WIDTH, type FolderReport } from '../../core/report/reportData';
import { el, svg } from '../dom';
import { vscode } from '../vscodeApi';

/** Average label glyph width in the view box, to cut labels that would overflow their cell. */
const CHAR_WIDTH = 7;
const TEXT_INSET = 5;
const GAP = 1;

export function treemap(f: FolderReport): HTMLElement | null {
  if (!f.treemap.length) return null;
  const root = svg('svg', {
    viewBox: `0 0 ${TREEMAP_WIDTH} ${TREEMAP_HEIGHT}`,
    class: 'treemap',
    role: 'img',
    'aria-label': 'Largest folders and files',
  });
  f.treemap.forEach((c, i) => {
    const reveal = () => vscode.postMessage({ type: 'reveal', folder: f.folder, relPath: c.rel_path });
    const g = svg('g', {
      class: `cell depth-${c.depth}${c.is_directory ? ' dir' : ' file'}`,
      tabindex: c.depth === 0 ? 0 : -1,
      role: 'button',
      'aria-label': `${c.rel_path}, ${formatSize(c.bytes)}`,
      on: {
        click: reveal,
        keydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            reveal();
          }
        },
      },
    });
    g.append(svg('title', {}, `${c.rel_path} — ${formatSize(c.bytes)}`));
    g.append(
      svg('rect', {
        x: c.x + GAP,
        y: c.y + GAP,
        width: Math.max(0, c.w - 2 * GAP),
        height: Math.max(0, c.h - 2 * GAP),
        class: `tone-${i % 6}`,
      }),
    );
    if (c.w > 50 && c.h > 16) {
      const maxChars = Math.floor((c.w - 8) / CHAR_WIDTH);
      const text = c.label.length > maxChars ? `${c.label.slice(0, Math.max(1, maxChars - 1))}…` : c.label;
      // The label sits in the header strip buildTreemap leaves above a folder's children.
      const baseline = TREEMAP_HEADER - 4;
      g.append(svg('text', { x: c.x + TEXT_INSET, y: c.y + baseline }, text));
      if (c.h > 2 * TREEMAP_HEADER - 4 && c.depth === 1)
        g.append(svg('text', { x: c.x + TEXT_INSET, y: c.y + baseline + 14, class: 'sub' }, formatSize(c.bytes)));
    }
    root.append(g);
  });
  return el(
    'section',
    { 'aria-labelledby': 'treemap-h' },
    el('h2', { id: 'treemap-h' }, 'Largest folders'),
    el('p', { class: 'muted' }, 'Click a cell to reveal it in the Explorer.'),
    root,
  );
}
