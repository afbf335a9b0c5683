// A folder's file records: named accessors over the packed number array, the swap-with-last
// removal, and the name index that folders past INDEX_THRESHOLD build on first look-up.
import { strict as assert } from 'node:assert';
import { Dir, INDEX_THRESHOLD } from '../../../src/core/disk/treeDir';

describe('treeDir', () => {
  it("keeps each slot's size, allocated bytes and inode across removals (the last slot moves in)", () => {
    const d = new Dir('d', null);
    for (let i = 0; i < 4; i++) assert.equal(d.pushFile(`f${i}`, 10 * i, 512 * i, 100 + i), i);
    d.setBytes(1, 7, 8);
    d.removeSlot(0);
    assert.deepEqual(d.names, ['f3', 'f1', 'f2']);
    assert.deepEqual(
      [0, 1, 2].map((s) => [d.sizeAt(s), d.allocAt(s), d.inoAt(s)]),
      [
        [30, 1536, 103],
        [7, 8, 101],
        [20, 1024, 102],
      ],
    );
    d.removeSlot(2);
    assert.deepEqual(d.names, ['f3', 'f1']);
    assert.equal(d.slotOf('f2'), -1);
    assert.equal(d.slotOf('f1'), 1);
  });

  it('a large folder finds names through its index, kept right by pushes and removals, dropped when small', () => {
    const d = new Dir('d', null);
    const n = INDEX_THRESHOLD * 2;
    for (let i = 0; i < n; i++) d.pushFile(`f${i}`, i, 0, i);
    assert.equal(d.slotOf(`f${n - 1}`), n - 1);
    assert.ok(d.index, 'built on the first look-up');
    d.removeSlot(0);
    assert.equal(d.slotOf(`f${n - 1}`), 0);
    assert.equal(d.inoAt(d.slotOf(`f${n - 1}`)), n - 1);
    d.pushFile('late', 1, 2, 3);
    assert.equal(d.inoAt(d.slotOf('late')), 3);
    while (d.names.length >= INDEX_THRESHOLD / 2) d.removeSlot(0);
    assert.equal(d.index, null);
    for (const name of d.names) assert.equal(d.names[d.slotOf(name)], name);
  });

  it('knows its path from the root', () => {
    const root = new Dir('', null);
    const c = new Dir('c', new Dir('b', new Dir('a', root)));
    assert.equal(c.path(), 'a/b/c');
    assert.equal(root.path(), '');
  });
});
