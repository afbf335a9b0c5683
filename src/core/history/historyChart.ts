// The history chart: a self-contained SVG line chart of the folder total and each area's size
// over time. Theme-aware without styles (the report's CSP allows no inline style): lines and
// text use `currentColor` and VS Code's chart colour variables in presentation attributes, with
// fallbacks so an exported SVG still renders. No scripts; every piece of text is escaped.
import { formatSize } from '../format/size';
import { localDayKey } from './clock';
import type { Sample } from './historyStore';

export interface HistoryChartOptions {
  width: number;
  height: number;
  /** Area names to draw (default: every area in the samples, in the order they first appear). */
  series?: string[];
  /** Draw the folder total (default true). */
  includeTotal?: boolean;
  /** Accessible title (default "Usage history"). */
  title?: string;
}

/** Series colours, in order, after the total (which uses currentColor). */
const SERIES_COLORS = [
  'var(--vscode-charts-blue, #3794ff)',
  'var(--vscode-charts-orange, #d18616)',
  'var(--vscode-charts-green, #89d185)',
  'var(--vscode-charts-purple, #b180d7)',
  'var(--vscode-charts-red, #f14c4c)',
  'var(--vscode-charts-yellow, #cca700)',
];

const FONT = 'var(--vscode-font-family, system-ui, sans-serif)';
const MUTED = 'var(--vscode-descriptionForeground, currentColor)';
const GRID = 'var(--vscode-charts-lines, currentColor)';

/** Escapes text for XML content and attribute values; drops characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

/** A "nice" step (1, 2, 5 × a power of ten) of a 1024-based unit, so labels read well. */
export function niceSizeTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  let unit = 1;
  while (max / unit >= 1024 && unit < 1024 ** 5) unit *= 1024;
  const raw = max / unit / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) * unit;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

function timeLabel(ms: number, withTime: boolean): string {
  const day = localDayKey(ms);
  if (!withTime) return day;
  const d = new Date(ms);
  return `${day.slice(5)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

interface Series {
  name: string;
  color: string;
  total: boolean;
  points: Array<{ at: number; bytes: number }>;
}

function messageSvg(width: number, height: number, title: string, message: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-labelledby="history-chart-title" class="history-chart empty" font-family="${FONT}" font-size="12" fill="currentColor">`,
    `<title id="history-chart-title">${escapeXml(`${title}: ${message}`)}</title>`,
    `<text x="${num(width / 2)}" y="${num(height / 2)}" text-anchor="middle" dominant-baseline="middle" fill="${MUTED}">${escapeXml(message)}</text>`,
    '</svg>',
  ].join('\n');
}

/** The chart as an SVG document string. */
export function renderHistoryChartSvg(samples: readonly Sample[], options: HistoryChartOptions): string {
  const width = Math.max(200, options.width);
  const height = Math.max(120, options.height);
  const title = options.title ?? 'Usage history';
  const sorted = samples
    .filter((s) => Number.isFinite(s.at))
    .slice()
    .sort((a, b) => a.at - b.at);
  if (sorted.length === 0) return messageSvg(width, height, title, 'No history yet');

  // Series: the total, then areas (given ones in order, or all in the order they first appear,
  // which is the configured order; stable, so an area keeps its colour as the history grows).
  const latest = sorted[sorted.length - 1];
  let areaNames: string[];
  if (options.series) {
    areaNames = options.series.filter((n, i, all) => all.indexOf(n) === i);
  } else {
    const seen = new Set<string>();
    for (const s of sorted) for (const n of Object.keys(s.areas)) seen.add(n);
    areaNames = [...seen];
  }
  const series: Series[] = [];
  if (options.includeTotal !== false)
    series.push({
      name: 'Total',
      color: 'currentColor',
      total: true,
      points: sorted.map((s) => ({ at: s.at, bytes: s.total_bytes })),
    });
  areaNames.forEach((name, i) => {
    series.push({
      name,
      color: SERIES_COLORS[i % SERIES_COLORS.length],
      total: false,
      points: sorted
        .filter((s) => Object.prototype.hasOwnProperty.call(s.areas, name))
        .map((s) => ({ at: s.at, bytes: s.areas[name].bytes })),
    });
  });

  // Legend rows (estimated text widths; 7 px a character at 12 px).
  const legendItems = series.map((s) => {
    const last = s.points[s.points.length - 1];
    const label = last ? `${s.name} (${formatSize(last.bytes)})` : s.name;
    return { s, label, w: 22 + Math.min(label.length, 48) * 7 + 16 };
  });
  const padLeft = 64;
  const padRight = 16;
  const legendRows: Array<typeof legendItems> = [[]];
  let rowWidth = 0;
  for (const item of legendItems) {
    if (rowWidth + item.w > width - padLeft - padRight && legendRows[legendRows.length - 1].length > 0) {
      legendRows.push([]);
      rowWidth = 0;
    }
    legendRows[legendRows.length - 1].push(item);
    rowWidth += item.w;
  }
  const padTop = 12 + legendRows.length * 18 + 6;
  const padBottom = 28;
  const plotW = width - padLeft - padRight;
  const plotH = Math.max(20, height - padTop - padBottom);

  // Scales.
  const maxBytes = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.bytes)));
  const yTicks = niceSizeTicks(maxBytes);
  const yMax = Math.max(yTicks[yTicks.length - 1], 1);
  let t0 = sorted[0].at;
  let t1 = latest.at;
  if (t1 - t0 < 60_000) {
    // One sample (or all at once): centre it in a day-wide window.
    t0 -= 43_200_000;
    t1 += 43_200_000;
  }
  const x = (t: number): number => padLeft + ((t - t0) / (t1 - t0)) * plotW;
  const y = (b: number): number => padTop + plotH - (b / yMax) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-labelledby="history-chart-title history-chart-desc" class="history-chart" font-family="${FONT}" font-size="11" fill="currentColor">`,
  );
  const span = `${timeLabel(sorted[0].at, false)} to ${timeLabel(latest.at, false)}`;
  out.push(`<title id="history-chart-title">${escapeXml(title)}</title>`);
  out.push(
    `<desc id="history-chart-desc">${escapeXml(
      `${sorted.length} ${sorted.length === 1 ? 'sample' : 'samples'} from ${span}. ${series
        .map((s) => {
          const last = s.points[s.points.length - 1];
          return last ? `${s.name}: ${formatSize(last.bytes)}` : `${s.name}: no data`;
        })
        .join('; ')}.`,
    )}</desc>`,
  );

  // Grid and y axis labels.
  out.push('<g class="axis y-axis">');
  for (const v of yTicks) {
    const yy = num(y(v));
    out.push(
      `<line x1="${padLeft}" y1="${yy}" x2="${num(width - padRight)}" y2="${yy}" stroke="${GRID}" stroke-opacity="0.25" stroke-width="1"/>`,
    );
    out.push(
      `<text x="${padLeft - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="${MUTED}">${escapeXml(formatSize(v))}</text>`,
    );
  }
  out.push('</g>');

  // x axis: up to 6 date labels, spread evenly over the time span.
  const withTime = t1 - t0 < 3 * 86_400_000;
  const maxLabels = Math.max(2, Math.min(6, Math.floor(plotW / (withTime ? 90 : 80))));
  const xCount = sorted.length === 1 ? 1 : Math.min(maxLabels, sorted.length);
  out.push('<g class="axis x-axis">');
  out.push(
    `<line x1="${padLeft}" y1="${num(padTop + plotH)}" x2="${num(width - padRight)}" y2="${num(padTop + plotH)}" stroke="${GRID}" stroke-opacity="0.6" stroke-width="1"/>`,
  );
  const xLabels = new Set<string>();
  for (let i = 0; i < xCount; i++) {
    const t = xCount === 1 ? sorted[0].at : sorted[0].at + ((latest.at - sorted[0].at) * i) / (xCount - 1);
    const label = timeLabel(t, withTime);
    if (xLabels.has(label)) continue;
    xLabels.add(label);
    const xx = x(t);
    const anchor = xCount === 1 ? 'middle' : i === 0 ? 'start' : i === xCount - 1 ? 'end' : 'middle';
    out.push(
      `<line x1="${num(xx)}" y1="${num(padTop + plotH)}" x2="${num(xx)}" y2="${num(padTop + plotH + 4)}" stroke="${GRID}" stroke-opacity="0.6"/>`,
    );
    out.push(
      `<text x="${num(xx)}" y="${num(padTop + plotH + 17)}" text-anchor="${anchor}" fill="${MUTED}">${escapeXml(label)}</text>`,
    );
  }
  out.push('</g>');

  // Lines: one polyline per series; markers when few enough samples to see them.
  const markers = sorted.length <= 40;
  series.forEach((s, i) => {
    const last = s.points[s.points.length - 1];
    const label = last
      ? `${s.name}: ${formatSize(last.bytes)} on ${timeLabel(last.at, withTime)}`
      : `${s.name}: no data`;
    out.push(`<g class="series series-${s.total ? 'total' : i - (series[0].total ? 1 : 0)}">`);
    out.push(`<title>${escapeXml(label)}</title>`);
    const pts = s.points.map((p) => `${num(x(p.at))},${num(y(p.bytes))}`).join(' ');
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="${s.total ? 2.5 : 2}" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
    if (markers || s.points.length === 1) {
      for (const p of s.points) {
        out.push(
          `<circle cx="${num(x(p.at))}" cy="${num(y(p.bytes))}" r="${s.points.length === 1 ? 4 : 2.5}" fill="${s.color}"><title>${escapeXml(`${s.name}: ${formatSize(p.bytes)} on ${timeLabel(p.at, true)}`)}</title></circle>`,
        );
      }
    }
    out.push('</g>');
  });

  // Legend.
  out.push('<g class="legend" font-size="12">');
  legendRows.forEach((row, r) => {
    let lx = padLeft;
    const ly = 12 + r * 18;
    for (const item of row) {
      out.push(
        `<g><line x1="${num(lx)}" y1="${ly}" x2="${num(lx + 16)}" y2="${ly}" stroke="${item.s.color}" stroke-width="${item.s.total ? 3 : 2.5}" stroke-linecap="round"/>`,
      );
      const text = item.label.length > 48 ? `${item.label.slice(0, 47)}…` : item.label;
      out.push(`<text x="${num(lx + 22)}" y="${ly}" dominant-baseline="middle">${escapeXml(text)}</text></g>`);
      lx += item.w;
    }
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
