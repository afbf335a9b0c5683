import { strict as assert } from 'node:assert';
import { byType, NO_EXTENSION, typeOf } from '../../../src/core/disk/byType';
import { SizeTree } from '../../../src/core/disk/sizeTree';

const stat = (size: number, ino: number, nlink = 1) => ({ size, blocks: Math.ceil(size / 512), ino, dev: 1, nlink });

describe('byType', () => {
  it('names types by their lower-case extension', () => {
    assert.equal(typeOf('A.BIN'), '.bin');
    assert.equal(typeOf('archive.tar.gz'), '.gz');
    assert.equal(typeOf('Makefile'), NO_EXTENSION);
    assert.equal(typeOf('.gitignore'), NO_EXTENSION);
  });

  it('sums bytes and files per type under a folder only, hard links once', async () => {
    const tree = new SizeTree('/x');
    tree.applyAdd('work/a.bin', stat(1000, 1));
    tree.applyAdd('work/deep/b.BIN', stat(500, 2));
    tree.applyAdd('work/notes.md', stat(30, 3));
    tree.applyAdd('work/deep/er/README', stat(7, 4));
    tree.applyAdd('work/link1.dat', stat(400, 9, 2));
    tree.applyAdd('work/deep/link2.dat', stat(400, 9, 2));
    tree.applyAdd('production/c.bin', stat(99999, 5));
    const r = await byType((rel) => tree.children(rel), 'work');
    assert.deepEqual(r.rows, [
      { type: '.bin', bytes: 1500, files: 2 },
      { type: '.dat', bytes: 400, files: 1 },
      { type: '.md', bytes: 30, files: 1 },
      { type: NO_EXTENSION, bytes: 7, files: 1 },
    ]);
    assert.deepEqual(r.total, { bytes: 1937, files: 5 });
    assert.equal(r.total.bytes, tree.get('work')!.bytes);
  });

  it('lists the top types and sums the rest as "other"', async () => {
    const tree = new SizeTree('/x');
    for (let i = 0; i < 14; i++) tree.applyAdd(`d/f${i}.t${i}`, stat(100 * (i + 1), i + 1));
    const r = await byType((rel) => tree.children(rel), '', { top: 10 });
    assert.equal(r.rows.length, 10);
    assert.equal(r.rows[0].type, '.t13');
    assert.deepEqual(r.other, { type: 'other', bytes: 100 + 200 + 300 + 400, files: 4, types: 4 });
  });

  it('yields between slices and stops when aborted', async () => {
    const tree = new SizeTree('/x');
    for (let i = 0; i < 50; i++) tree.applyAdd(`d${i}/f.bin`, stat(1, i + 1));
    let t = 0;
    let yields = 0;
    const signal = { aborted: false };
    const r = await byType(
      (rel) => {
        t += 10;
        return tree.children(rel);
      },
      '',
      {
        now: () => t,
        signal,
        yieldNow: async () => {
          if (++yields === 3) signal.aborted = true;
        },
      },
    );
    assert.equal(yields, 3);
    assert.ok(r.total.files < 50);
  });
});
