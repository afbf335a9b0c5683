// SizeTree.deserialize adopts the flat arrays' runs of files as folders' records (treeDir.ts,
// FileBlock) instead of adding file by file: the tree it gives must read exactly as one built
// file by file, edits included, hard links counted once, runs split over parts joined right.
import { strict as assert } from 'node:assert';
import {
  cloneSerializedTree,
  concatTrees,
  SerializedTreeWriter,
  type SerializedTree,
} from '../../../src/core/disk/serializedTree';
import { SizeTree, type StatLike } from '../../../src/core/disk/sizeTree';
import type { Dir } from '../../../src/core/disk/treeDir';
import { runAll } from '../../../src/core/sched/slices';

function stat(size: number, ino: number, nlink = 1, dev = 7): StatLike {
  return { size, blocks: Math.ceil(size / 512), ino, dev, nlink };
}

function rootOf(t: SizeTree): Dir {
  return (t as unknown as { rootDir: Dir }).rootDir;
}

/** Every folder of the tree with its relative path. */
function folders(t: SizeTree): Array<[string, Dir]> {
  const out: Array<[string, Dir]> = [];
  const stack: Array<[string, Dir]> = [['', rootOf(t)]];
  while (stack.length) {
    const [rel, d] = stack.pop()!;
    out.push([rel, d]);
    for (const c of d.subdirs()) stack.push([rel ? `${rel}/${c.name}` : c.name, c]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);

/** Every read-out of `got` equals that of `want`, folder by folder and file by file. */
function assertSameTree(got: SizeTree, want: SizeTree): void {
  assert.deepEqual(
    folders(got).map(([rel]) => rel),
    folders(want).map(([rel]) => rel),
  );
  assert.deepEqual(got.total(), want.total());
  assert.equal(got.trackedEntries(), want.trackedEntries());
  for (const [rel] of folders(want)) {
    const kids = want.children(rel).sort(byName);
    assert.deepEqual(got.children(rel).sort(byName), kids, rel);
    assert.deepEqual(got.largest(rel, 5), want.largest(rel, 5), rel);
    assert.deepEqual(got.exact(rel), want.exact(rel), rel);
    assert.equal(got.diskBytes(rel), want.diskBytes(rel), rel);
    for (const k of kids) {
      assert.deepEqual(got.get(k.relPath), want.get(k.relPath), k.relPath);
      assert.deepEqual(got.exact(k.relPath), want.exact(k.relPath), k.relPath);
    }
  }
}

/** A tree built file by file: folders of varied sizes, multibyte names, hard links across folders. */
function reference(): SizeTree {
  const t = new SizeTree('/r');
  let ino = 100;
  for (let d = 0; d < 12; d++) {
    const folder = d % 3 === 0 ? `top${d}` : `top${d - (d % 3)}/sub-ü${d}`;
    t.applyAddDir(folder, { blocks: 8 });
    for (let i = 0; i < d * 7; i++) t.applyAdd(`${folder}/f-${i}-😀.txt`, stat(1000 * d + i, ++ino));
  }
  t.applyAdd('rootfile', stat(5, ino + 1));
  // One inode named in three folders (one of them the root), another in two.
  t.applyAdd('top0/link-a', stat(40_000, 9001, 3));
  t.applyAdd('top3/sub-ü4/link-b', stat(40_000, 9001, 3));
  t.applyAdd('link-c', stat(40_000, 9001, 3));
  t.applyAdd('top6/x', stat(777, 9002, 2));
  t.applyAdd('top9/sub-ü10/y', stat(777, 9002, 2));
  t.applyAddDir('empty/inner');
  return t;
}

describe('SizeTree.deserialize adopting file runs', () => {
  it('reads as the file-by-file tree in every read-out, its folders backed by the arrays', () => {
    const want = reference();
    const got = SizeTree.deserialize('/r', want.serialize());
    assertSameTree(got, want);
    for (const [rel, d] of folders(got)) if (d.fileCount > 0) assert.ok(d.blockBacked, rel);
    // Serialized again (names copied from the block as bytes) and read back: the same tree.
    assertSameTree(SizeTree.deserialize('/r', got.serialize()), want);
  });

  it('takes the arrays it is given: a non-carrying hard link is zeroed in them', () => {
    const want = reference();
    const flat = want.serialize();
    const before = cloneSerializedTree(flat);
    SizeTree.deserialize('/r', flat);
    const zeroed = [...flat.fileSizes.keys()].filter((i) => flat.fileSizes[i] !== before.fileSizes[i]);
    // 5 linked names, 2 inodes: 3 names do not carry their bytes.
    assert.equal(zeroed.length, 3);
    for (const i of zeroed) assert.equal(flat.fileSizes[i], 0);
  });

  it('edits after adoption (add, change, remove, hard links) end as on the file-by-file tree', () => {
    const want = reference();
    const got = SizeTree.deserialize('/r', want.serialize());
    for (const t of [want, got]) {
      t.applyChange('top6/sub-ü7/f-3-😀.txt', stat(123_456, 5000));
      t.applyAdd('top6/sub-ü7/new', stat(99, 5001));
      t.applyUnlink('top9/f-0-😀.txt');
      t.applyUnlink('top9/f-62-😀.txt');
      t.applyAdd('top3/sub-ü5/another-link', stat(777, 9002, 3));
      // The carrying name of inode 9002 goes: its bytes move to a remaining name.
      t.applyUnlink('top6/x');
      t.applyUnlinkDir('top3/sub-ü4');
      t.applyUnlink('top9/sub-ü10/y');
    }
    assertSameTree(got, want);
    assert.equal(got.get('top3/sub-ü5/another-link')!.files, 1);
    assert.equal(got.get('top6/sub-ü7/f-3-😀.txt')!.bytes, 123_456);
    // Edited folders are editable again; the others are still backed by the arrays.
    const dirs = new Map(folders(got));
    assert.ok(!dirs.get('top9')!.blockBacked);
    assert.ok(dirs.get('top6/sub-ü8')!.blockBacked);
    // replaceSubtree and a round trip keep the figures.
    const copy = SizeTree.deserialize('/r', got.serialize());
    want.replaceSubtree('top6', copy);
    assertSameTree(got, want);
  });

  it('keeps exact sums past 2^53 in an adopted folder', () => {
    const want = new SizeTree('/r');
    for (let i = 0; i < 5; i++) want.applyAdd(`huge/f${i}`, stat(2 ** 53 - 1 - i, i + 1));
    want.applyAdd('huge/small', stat(3, 99));
    const got = SizeTree.deserialize('/r', want.serialize());
    assert.equal(got.exact('')!.bytes, 5n * (2n ** 53n - 1n) - 10n + 3n);
    assertSameTree(got, want);
  });

  it('a folder whose files come in two parts, or interleaved with another, is joined right', () => {
    const first = new SerializedTreeWriter();
    const a1 = first.addDir(0, 'a');
    const b1 = first.addDir(a1, 'b');
    first.addFile(b1, 'one', 10, 512, 1);
    first.addFile(a1, 'x', 11, 512, 2);
    first.addFile(b1, 'two', 12, 512, 3);
    const second = new SerializedTreeWriter();
    const a2 = second.addDir(0, 'a');
    second.addFile(a2, 'y', 13, 512, 4);
    second.addFile(a2, 'z', 14, 1024, 5);
    second.addFile(0, 'top', 15, 512, 6);
    const linked = second.addFile(second.addDir(a2, 'c'), 'l1', 16, 512, 7);
    second.addLink(linked, { dev: 7, carries: false });
    const linked2 = second.addFile(a2, 'l2', 16, 512, 7);
    second.addLink(linked2, { dev: 7, carries: true });
    const parts = [first.finish(), second.finish()];
    const merged: SerializedTree = runAll(concatTrees(parts.map(cloneSerializedTree)));
    const got = SizeTree.deserialize('/r', merged);
    // The parts given as they are (mergeScan: no concatenated copy) read the same.
    const fromParts = SizeTree.deserialize('/r', parts);
    assertSameTree(fromParts, got);
    const want = new SizeTree('/r');
    want.applyAdd('a/b/one', stat(10, 1));
    want.applyAdd('a/x', stat(11, 2));
    want.applyAdd('a/b/two', stat(12, 3));
    want.applyAdd('a/y', stat(13, 4));
    want.applyAdd('a/z', { size: 14, blocks: 2, ino: 5, dev: 7, nlink: 1 });
    want.applyAdd('top', stat(15, 6));
    want.applyAdd('a/l2', stat(16, 7, 2));
    want.applyAdd('a/c/l1', stat(16, 7, 2));
    assertSameTree(got, want);
    assert.equal(got.get('a/l2')!.files, 1, 'the carrier flagged in the parts carries');
    assert.equal(got.get('a/c/l1')!.bytes, 0);
    // Everything ends in blocks (the split folders packed after their file-by-file load).
    for (const [rel, d] of folders(got)) if (d.fileCount > 0) assert.ok(d.blockBacked, rel);
  });
});
