// What keeps a folder object small (treeDir.ts, folderSums.ts): subfolders and hard-linked names
// in arrays (the subfolders' made exact-size by compaction) that turn into Maps past MAP_THRESHOLD, and the byte sums in chunks shared
// by the tree, whose slots a removed folder gives back without losing its own numbers.
import { strict as assert } from 'node:assert';
import { FolderSums, SUMS } from '../../../src/core/disk/folderSums';
import { SizeTree, type StatLike } from '../../../src/core/disk/sizeTree';
import { Dir, MAP_THRESHOLD, type LinkGroup } from '../../../src/core/disk/treeDir';

const group = (key: string): LinkGroup => ({ key, size: 1, alloc: 1, dirs: [], names: [] });

describe('treeDir: small folders', () => {
  it('finds, lists in order and removes subfolders below and past the Map threshold', () => {
    const parent = new Dir('p', null);
    const n = MAP_THRESHOLD + 8;
    for (let i = 0; i < n; i++) {
      parent.addChild(new Dir(`c${i}`, parent));
      assert.equal(parent.dirCount, i + 1);
      // Every earlier child is still found, whichever form holds them now.
      for (let k = 0; k <= i; k += 7) assert.equal(parent.child(`c${k}`)?.name, `c${k}`);
      // The indexed list and the iterable agree, in the order added, in either form.
      assert.deepEqual(parent.subdirList(), [...parent.subdirs()]);
    }
    assert.equal(parent.child('nope'), undefined);
    assert.equal(parent.removeChild('c3')?.name, 'c3');
    assert.equal(parent.removeChild('c3'), undefined);
    const names = Array.from(parent.subdirs(), (c) => c.name);
    assert.deepEqual(
      names,
      [...Array(n).keys()].filter((i) => i !== 3).map((i) => `c${i}`),
    );

    const small = new Dir('s', null);
    for (const name of ['a', 'b', 'c']) small.addChild(new Dir(name, small));
    small.trimSubdirs();
    assert.deepEqual(
      small.subdirList().map((c) => c.name),
      ['a', 'b', 'c'],
      'trimmed, the same folders in the same order',
    );
    small.addChild(new Dir('d', small));
    assert.equal(small.child('d')?.name, 'd', 'added after a trim');
    assert.equal(small.removeChild('d')?.name, 'd');
    assert.equal(small.removeChild('b')?.name, 'b');
    assert.deepEqual(
      Array.from(small.subdirs(), (c) => c.name),
      ['a', 'c'],
    );
    small.removeChild('a');
    small.removeChild('c');
    assert.equal(small.dirCount, 0);
    assert.deepEqual([...small.subdirs()], []);
  });

  it('records hard-linked names, replaced and deleted, below and past the Map threshold', () => {
    for (const n of [3, MAP_THRESHOLD + 5]) {
      const d = new Dir('d', null);
      const groups = [...Array(n).keys()].map((i) => group(`1:${i}`));
      groups.forEach((g, i) => d.setLink(`f${i}`, g));
      assert.ok(d.hasLinks);
      groups.forEach((g, i) => assert.equal(d.linkOf(`f${i}`), g));
      const other = group('1:other');
      d.setLink('f1', other);
      assert.equal(d.linkOf('f1'), other);
      assert.equal(d.linkEntries().length, n, 'a replaced name is not added twice');
      d.deleteLink('f0');
      assert.equal(d.linkOf('f0'), undefined);
      assert.equal(d.linkOf('f2'), groups[2]);
      for (let i = 1; i < n; i++) d.deleteLink(`f${i}`);
      assert.equal(d.hasLinks, false);
      assert.deepEqual(d.linkEntries(), []);
    }
  });

  it('a released sum slot is zeroed for the next folder; the released folder keeps its numbers', () => {
    const store = new FolderSums();
    const a = new Dir('a', null, store);
    const b = new Dir('b', null, store);
    assert.equal(a.sums, b.sums, 'one chunk for both');
    a.bytes = 5;
    a.alloc = 4096;
    a.own = 512;
    a.folderAlloc = 1024;
    b.bytes = 7;
    store.release(a);
    assert.notEqual(a.sums, b.sums);
    assert.equal(a.sums.length, SUMS);
    assert.deepEqual([a.bytes, a.alloc, a.own, a.folderAlloc], [5, 4096, 512, 1024]);
    const c = new Dir('c', null, store);
    assert.equal(c.sums, b.sums, 'the slot is reused');
    assert.deepEqual([c.bytes, c.alloc, c.own, c.folderAlloc], [0, 0, 0, 0]);
    c.bytes = 9;
    assert.equal(a.bytes, 5);
    assert.equal(b.bytes, 7);
    store.release(a);
    assert.equal(a.bytes, 5, 'a second release changes nothing');
  });

  it('keeps every folder sum right through removals and re-creations (slots reused)', () => {
    const tree = new SizeTree('/r');
    const stat = (size: number, ino: number): StatLike => ({
      size,
      blocks: Math.ceil(size / 512),
      ino,
      dev: 1,
      nlink: 1,
    });
    let ino = 1;
    const expected = new Map<string, number>();
    const add = (path: string, size: number) => {
      tree.applyAdd(path, stat(size, ino++));
      expected.set(path, size);
    };
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) add(`top${i % 4}/d${i}/sub/f${round}`, 100 * round + i);
      for (let i = round % 3; i < 40; i += 3) {
        tree.applyUnlinkDir(`top${i % 4}/d${i}`);
        for (const p of [...expected.keys()]) if (p.startsWith(`top${i % 4}/d${i}/`)) expected.delete(p);
      }
    }
    const sumUnder = (prefix: string) =>
      [...expected].filter(([p]) => prefix === '' || p.startsWith(`${prefix}/`)).reduce((s, [, v]) => s + v, 0);
    assert.equal(tree.total().bytes, sumUnder(''));
    for (let t = 0; t < 4; t++) {
      assert.equal(tree.get(`top${t}`)?.bytes, sumUnder(`top${t}`), `top${t}`);
      for (const name of tree.subdirectories(`top${t}`))
        assert.equal(tree.get(`top${t}/${name}`)?.bytes, sumUnder(`top${t}/${name}`), `top${t}/${name}`);
    }
  });
});
