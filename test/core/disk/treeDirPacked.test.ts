// A folder's packed form (Dir.compact, after a scan or deserialize): names in one string, numbers
// in an exact-length array; reads work on it as on the list, and the first edit unpacks it.
import { strict as assert } from 'node:assert';
import { Dir, INDEX_THRESHOLD } from '../../../src/core/disk/treeDir';

function filled(n: number): Dir {
  const d = new Dir('d', null);
  for (let i = 0; i < n; i++) d.pushFile(`f-${i}.txt`, i, 512 * i, 1000 + i);
  return d;
}

describe('treeDir packed', () => {
  for (const n of [0, 1, 5, INDEX_THRESHOLD * 3]) {
    it(`reads and edits a compacted folder of ${n} files as before`, () => {
      const d = filled(n);
      const names = [...d.names];
      d.compact();
      assert.deepEqual([...d.names], names);
      assert.equal(d.fileCount, n);
      for (let i = 0; i < n; i++) {
        assert.equal(d.nameAt(i), `f-${i}.txt`);
        assert.equal(d.slotOf(`f-${i}.txt`), i);
        assert.deepEqual([d.sizeAt(i), d.allocAt(i), d.inoAt(i)], [i, 512 * i, 1000 + i]);
      }
      assert.equal(d.slotOf('absent'), -1);
      // Edits after packing: a push, a removal (last moves in), a byte change.
      assert.equal(d.pushFile('late', 7, 8, 9), n);
      if (n > 0) {
        d.removeSlot(0);
        assert.equal(d.nameAt(0), 'late');
        assert.deepEqual([d.sizeAt(0), d.allocAt(0), d.inoAt(0)], [7, 8, 9]);
        assert.equal(d.slotOf('f-0.txt'), -1);
        assert.equal(d.fileCount, n);
      } else assert.deepEqual([...d.names], ['late']);
      d.compact();
      assert.equal(d.slotOf('late'), 0);
      d.removeSlot(0);
      assert.equal(d.fileCount, n === 0 ? 0 : n - 1);
      assert.equal(d.slotOf('late'), -1);
    });
  }
});
