import { strict as assert } from 'node:assert';
import { changedChildren, changedNow, diffBaselines, grewMost } from '../../../src/core/baseline/diff';
import { childIndex } from '../../../src/core/baseline/baseline';
import { baselineOf } from './baseline.test';

const rels = (xs: Array<{ relPath: string }>) => xs.map((x) => x.relPath);

describe('baseline diff', () => {
  it('finds folders added, removed, grown and shrunk', () => {
    const before = baselineOf(0, { '': 100, work: 60, 'work/cache': 50, 'work/old': 10, production: 40 });
    const after = baselineOf(1, { '': 130, work: 90, 'work/cache': 80, 'work/new': 10, production: 40 });
    const d = diffBaselines(before, after);
    assert.deepEqual(rels(d.added), ['work/new']);
    assert.deepEqual(rels(d.removed), ['work/old']);
    assert.deepEqual(rels(d.grown), ['', 'work', 'work/cache']);
    assert.deepEqual(
      d.grown.map((g) => g.delta),
      [30, 30, 30],
    );
    assert.deepEqual(rels(d.shrunk), []);
    assert.equal(d.removed[0].delta, -10);
    assert.equal(d.added[0].delta, 10);
  });

  it('shows a renamed folder, with its subfolders, as removed plus added', () => {
    const before = baselineOf(0, { '': 100, runs: 100, 'runs/a': 70, 'runs/a/logs': 20, 'runs/b': 30 });
    const after = baselineOf(1, { '': 100, runs: 100, 'runs/a2': 70, 'runs/a2/logs': 20, 'runs/b': 30 });
    const d = diffBaselines(before, after);
    assert.deepEqual(rels(d.removed).sort(), ['runs/a', 'runs/a/logs']);
    assert.deepEqual(rels(d.added), ['runs/a2', 'runs/a2/logs']);
    assert.deepEqual(d.grown, []);
    assert.deepEqual(d.shrunk, []);
    // Under the unchanged parent the rename still shows: +70 in, -70 out.
    assert.deepEqual(
      changedChildren(before, after, 'runs').map((c) => [c.relPath, c.status, c.delta]),
      [
        ['runs/a2', 'added', 70],
        ['runs/a', 'removed', -70],
      ],
    );
  });

  it('ranks the folders that grew most, each followed by its changed subfolders', () => {
    const before = baselineOf(0, {
      '': 1000,
      a: 100,
      'a/x': 50,
      'a/y': 50,
      'a/y/deep': 10,
      b: 500,
      'b/s': 500,
      c: 400,
      'c/t': 400,
    });
    const after = baselineOf(1, {
      '': 1300,
      a: 400,
      'a/x': 50,
      'a/y': 340,
      'a/y/deep': 300,
      'a/z': 10,
      b: 510,
      'b/s': 510,
      c: 390,
      'c/t': 390,
    });
    const rows = grewMost(before, after, { top: 5 });
    assert.deepEqual(
      rows.map((r) => [r.relPath, r.depth, r.delta]),
      [
        ['a', 0, 300],
        ['a/y', 1, 290],
        ['a/y/deep', 2, 290],
        ['a/z', 1, 10],
        ['b', 0, 10],
        ['b/s', 1, 10],
      ],
    );
    // "c" shrank: not among the folders that grew; a subfolder whose size is unchanged is left out.
    assert.ok(!rows.some((r) => r.relPath === 'c' || r.relPath === 'a/x'));
    assert.deepEqual(
      grewMost(before, after, { top: 1, depth: 1 }).map((r) => r.relPath),
      ['a', 'a/y', 'a/z'],
    );
    assert.deepEqual(
      grewMost(before, after, { under: 'a', top: 1, depth: 1 }).map((r) => r.relPath),
      ['a/y', 'a/y/deep'],
    );
  });

  it('lists the changed subfolders of now for Sort by Growth, files and unchanged folders left out', () => {
    const before = baselineOf(0, { '': 100, w: 100, 'w/same': [40, 2], 'w/grew': 20, 'w/old': 30, 'w/moved': [10, 1] });
    const entry = (name: string, bytes: number, files = 1, isDirectory = true) => ({
      name,
      relPath: `w/${name}`,
      isDirectory,
      bytes,
      files,
    });
    const now = [
      entry('same', 40, 2),
      entry('grew', 25),
      entry('new', 5),
      entry('moved', 10, 2),
      entry('f.bin', 999, 1, false),
    ];
    const rows = changedNow(before, childIndex(before), 'w', now, (name, relPath) => ({
      name,
      relPath,
      isDirectory: true,
      bytes: 0,
      files: 0,
    }));
    // "moved": same bytes, another file count (a file swapped for one as large) still counts as changed.
    assert.deepEqual(
      rows.map((r) => r.name),
      ['grew', 'new', 'moved', 'old'],
    );
  });
});
