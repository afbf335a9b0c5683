import { strict as assert } from 'node:assert';
import { squarify } from '../../../src/core/report/treemap';

describe('squarify', () => {
  const items = [6, 6, 4, 3, 2, 2, 1].map((value, i) => ({ key: `k${i}`, value }));

  it('gives each item an area proportional to its value and tiles the whole rectangle', () => {
    const rects = squarify(items, 0, 0, 600, 400);
    const total = items.reduce((a, i) => a + i.value, 0);
    assert.equal(rects.length, items.length);
    for (const r of rects) assert.ok(Math.abs(r.w * r.h - (r.item.value / total) * 600 * 400) < 1e-6, r.item.key);
    for (const r of rects)
      assert.ok(r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.w <= 600 + 1e-6 && r.y + r.h <= 400 + 1e-6);
    // No two rectangles overlap.
    for (const a of rects)
      for (const b of rects) {
        if (a === b) continue;
        const overlap =
          Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
          Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
        assert.ok(overlap < 1e-6, `${a.item.key} overlaps ${b.item.key}`);
      }
  });

  it('keeps aspect ratios moderate (the point of squarifying)', () => {
    const worst = Math.max(...squarify(items, 0, 0, 600, 400).map((r) => Math.max(r.w / r.h, r.h / r.w)));
    assert.ok(worst < 3, `worst aspect ratio ${worst}`);
  });

  it('drops zero-size items and handles an empty list', () => {
    assert.deepEqual(squarify([{ key: 'a', value: 0 }], 0, 0, 10, 10), []);
    assert.deepEqual(squarify([], 0, 0, 10, 10), []);
  });
});
