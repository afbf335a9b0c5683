// Squarified treemap layout (Bruls, Huizing, van Wijk): rectangles whose areas are proportional
// to sizes and whose aspect ratios stay close to 1, so small folders remain visible and clickable.
export interface TreemapItem {
  key: string;
  value: number;
}

export interface TreemapRect<T extends TreemapItem = TreemapItem> {
  item: T;
  x: number;
  y: number;
  w: number;
  h: number;
}

function worst(row: number[], side: number): number {
  const sum = row.reduce((a, b) => a + b, 0);
  const max = Math.max(...row);
  const min = Math.min(...row);
  const s2 = side * side;
  const sum2 = sum * sum;
  return Math.max((s2 * max) / sum2, sum2 / (s2 * min));
}

export function squarify<T extends TreemapItem>(
  items: T[],
  x: number,
  y: number,
  w: number,
  h: number,
): Array<TreemapRect<T>> {
  const positive = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  const total = positive.reduce((a, i) => a + i.value, 0);
  const out: Array<TreemapRect<T>> = [];
  if (total <= 0 || w <= 0 || h <= 0) return out;
  const scale = (w * h) / total;
  const areas = positive.map((i) => i.value * scale);
  let start = 0;
  while (start < positive.length) {
    const side = Math.min(w, h);
    let end = start + 1;
    while (end < positive.length && worst(areas.slice(start, end + 1), side) <= worst(areas.slice(start, end), side))
      end++;
    const rowArea = areas.slice(start, end).reduce((a, b) => a + b, 0);
    if (w >= h) {
      const rowW = rowArea / h;
      let cy = y;
      for (let i = start; i < end; i++) {
        const rh = areas[i] / rowW;
        out.push({ item: positive[i], x, y: cy, w: rowW, h: rh });
        cy += rh;
      }
      x += rowW;
      w -= rowW;
    } else {
      const rowH = rowArea / w;
      let cx = x;
      for (let i = start; i < end; i++) {
        const rw = areas[i] / rowH;
        out.push({ item: positive[i], x: cx, y, w: rw, h: rowH });
        cx += rw;
      }
      y += rowH;
      h -= rowH;
    }
    start = end;
  }
  return out;
}
