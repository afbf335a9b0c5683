import { strict as assert } from 'node:assert';
import { SizeTree, type FolderSizeEntry } from '../../../src/core/disk/sizeTree';
import { rng as seeded } from '../../support/rng';

/** Every folder below relPath as children() lists it, parents first (the walk folderSizes replaces). */
function viaChildren(tree: SizeTree, relPath = ''): FolderSizeEntry[] {
  return tree
    .children(relPath)
    .filter((e) => e.isDirectory)
    .flatMap((e) => [
      { relPath: e.relPath, bytes: e.bytes, allocatedBytes: e.allocatedBytes, files: e.files },
      ...viaChildren(tree, e.relPath),
    ]);
}

const byPath = (a: FolderSizeEntry, b: FolderSizeEntry) => (a.relPath < b.relPath ? -1 : 1);

function randomTree(seed: number): SizeTree {
  const rng = seeded(seed);
  const tree = new SizeTree('/x');
  for (let i = 0; i < 400; i++) {
    const depth = Math.floor(rng() * 4);
    const dirs = Array.from({ length: depth }, () => `d${Math.floor(rng() * 5)}`);
    const size = Math.floor(rng() * 5000);
    // Every tenth file a second name of an inode met before (a hard link: its bytes count once).
    const ino = i % 10 === 9 ? i - 5 : i + 1;
    tree.applyAdd([...dirs, `f${i}`].join('/'), {
      size,
      blocks: Math.ceil(size / 512),
      ino,
      dev: 1,
      nlink: ino === i + 1 ? 1 : 2,
    });
  }
  tree.applyAddDir('empty/inner');
  return tree;
}

describe('SizeTree.folderSizes: every folder for a baseline, without an entry per file', () => {
  it('lists each folder below the root once, with the sums children() gives it, parents first', () => {
    for (const seed of [1, 2, 3]) {
      const tree = randomTree(seed);
      const walked = [...tree.folderSizes()];
      assert.ok(walked.length > 20, `seed ${seed}: a tree of some depth (${walked.length} folders)`);
      assert.deepEqual([...walked].sort(byPath), viaChildren(tree).sort(byPath), `seed ${seed}`);
      const seen = new Set<string>();
      for (const f of walked) {
        const slash = f.relPath.lastIndexOf('/');
        if (slash > 0) assert.ok(seen.has(f.relPath.slice(0, slash)), `${f.relPath} after its parent`);
        seen.add(f.relPath);
      }
      assert.ok(walked.some((f) => f.relPath === 'empty/inner' && f.files === 0));
    }
  });

  it('leaves out what skip names, its subtree with it', () => {
    const tree = randomTree(4);
    const kept = [...tree.folderSizes((rel) => rel === 'd1' || rel === 'd2/d3')];
    assert.ok(kept.length > 0);
    for (const f of kept) assert.ok(!/^(d1|d2\/d3)(\/|$)/.test(f.relPath), f.relPath);
    const all = viaChildren(tree).filter((f) => !/^(d1|d2\/d3)(\/|$)/.test(f.relPath));
    assert.deepEqual(kept.sort(byPath), all.sort(byPath));
  });

  it('goes on when the tree changes between two steps (a walk in slices)', () => {
    const tree = randomTree(5);
    const walk = tree.folderSizes();
    const first = walk.next();
    assert.equal(first.done, false);
    const gone = (first.value as FolderSizeEntry).relPath;
    assert.ok(viaChildren(tree, gone).length > 0, 'the removed folder has subfolders');
    tree.applyUnlinkDir(gone);
    const rest = [...walk];
    // Nothing below the removed folder was reached yet, and nothing of it is listed after it.
    assert.ok(rest.every((f) => !f.relPath.startsWith(`${gone}/`)));
    assert.equal(new Set(rest.map((f) => f.relPath)).size, rest.length);
  });
});
