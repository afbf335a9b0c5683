// The flat form of a size tree: written and read back in one place (serializedTree.ts), joined
// for the parallel scan's merge, and a SizeTree's round trip through it.
import { strict as assert } from 'node:assert';
import {
  concatTrees,
  forEachLink,
  linkCount,
  pathOfDir,
  readSerializedTree,
  packTree,
  unpackTree,
  decodeNames,
  SerializedTreeWriter,
  setCarrier,
  transferList,
  type SerializedTree,
  type TreeLink,
} from '../../../src/core/disk/serializedTree';
import { SizeTree, type StatLike } from '../../../src/core/disk/sizeTree';
import { CHECKPOINT, runAll } from '../../../src/core/sched/slices';

function stat(size: number, ino: number, nlink = 1, dev = 7): StatLike {
  return { size, blocks: Math.ceil(size / 512), ino, dev, nlink };
}

/** Everything a reader sees, as plain rows. */
function read(s: SerializedTree): { dirs: string[]; files: string[] } {
  const dirs: string[] = [];
  const files: string[] = [];
  runAll(
    readSerializedTree(s, {
      dir: (i, parent, name) => dirs.push(`${i}<${parent}:${name}`),
      file: (i, dir, name, size, alloc, ino, link: TreeLink | null) =>
        files.push(
          `${i}@${dir}:${name}:${size}/${alloc}/${ino}${link ? `:dev${link.dev}${link.carries ? '*' : ''}` : ''}`,
        ),
    }),
  );
  return { dirs, files };
}

describe('serializedTree', () => {
  it('reads back what the writer wrote: folders after the root, files with their hard links', () => {
    const w = new SerializedTreeWriter();
    const a = w.addDir(0, 'a');
    const b = w.addDir(a, 'b');
    w.addFile(0, 'top', 10, 512, 1);
    const linked = w.addFile(b, 'x', 20, 1024, 2);
    w.addLink(linked, { dev: 9, carries: true });
    const other = w.addFile(a, 'y', 20, 1024, 2);
    w.addLink(other, { dev: 9, carries: false });
    const s = w.finish();
    assert.deepEqual(read(s), {
      dirs: ['1<0:a', '2<1:b'],
      files: ['0@0:top:10/512/1', '1@2:x:20/1024/2:dev9*', '2@1:y:20/1024/2:dev9'],
    });
    assert.equal(linkCount(s), 2);
    assert.equal(pathOfDir(s, b), 'a/b');
    assert.equal(pathOfDir(s, 0), '');
    setCarrier(s, 0, false);
    setCarrier(s, 1, true);
    const flags: string[] = [];
    forEachLink(s, (k, file, link) => flags.push(`${k}:${file}:${link.carries}`));
    assert.deepEqual(flags, ['0:1:false', '1:2:true']);
    // Every typed array and the names (folder names, file-name bytes and offsets) are transferable, none twice.
    assert.equal(new Set(transferList(packTree(s))).size, 9);
  });

  it('packs names into one transferable block and back, odd names and empty trees included', () => {
    const w = new SerializedTreeWriter();
    const d = w.addDir(0, 'dir with space');
    w.addDir(d, 'ünïcödé 😀');
    w.addFile(0, 'line\nbreak', 1, 0, 1);
    w.addFile(d, '', 2, 0, 2);
    w.addFile(d, 'x'.repeat(300), 3, 0, 3);
    const s = w.finish();
    const packed = packTree(s);
    assert.ok(packed.names instanceof Uint8Array);
    assert.equal(packed.names.byteOffset, 0, 'the block owns its buffer (safe to transfer)');
    assert.deepEqual(runAll(unpackTree(packed)), s);
    const empty = new SerializedTreeWriter().finish();
    assert.deepEqual(runAll(unpackTree(packTree(empty))), empty);
  });

  it('decodes names one string each, with a checkpoint every CHECKPOINT names', () => {
    const names = Array.from({ length: 3 * CHECKPOINT + 5 }, (_, i) => `n${i}`);
    const steps = decodeNames(Buffer.from(names.join('\0')), names.length);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    assert.deepEqual(r.value, names);
    assert.ok(yields >= 3, `${yields} checkpoints`);
    // Empty and multi-byte names, first and last ones included.
    for (const odd of [[''], ['', ''], ['', 'é', '', '日本'], ['x', '']])
      assert.deepEqual(runAll(decodeNames(Buffer.from(odd.join('\0')), odd.length)), odd);
  });

  it('concatenates trees: their roots become one, indexes are offset, link entries follow their files', () => {
    const first = new SerializedTreeWriter();
    const f1 = first.addFile(first.addDir(0, 'a'), 'one', 1, 0, 11);
    first.addLink(f1, { dev: 3, carries: false });
    const second = new SerializedTreeWriter();
    const sa = second.addDir(0, 'a');
    const sb = second.addDir(sa, 'b');
    second.addFile(0, 'rootfile', 2, 0, 12);
    const f2 = second.addFile(sb, 'two', 3, 0, 13);
    second.addLink(f2, { dev: 4, carries: true });
    const merged = runAll(concatTrees([first.finish(), second.finish()]));
    assert.deepEqual(read(merged), {
      dirs: ['1<0:a', '2<0:a', '3<2:b'],
      files: ['0@1:one:1/0/11:dev3', '1@0:rootfile:2/0/12', '2@3:two:3/0/13:dev4*'],
    });
    assert.equal(pathOfDir(merged, 3), 'a/b');
  });

  it('SizeTree round trip keeps figures, hard-link carriers and exact sums past 2^53', () => {
    const t = new SizeTree('/x');
    t.applyAdd('a/small', stat(100, 1));
    t.applyAdd('a/b/link1', stat(4096, 2, 2));
    t.applyAdd('c/link2', stat(4096, 2, 2));
    t.applyAdd('huge/one', stat(2 ** 53 - 1, 3));
    t.applyAdd('huge/two', stat(2 ** 53 - 1, 4));
    t.applyAddDir('empty/inner');
    const back = SizeTree.deserialize('/x', t.serialize());
    for (const rel of ['', 'a', 'a/b', 'c', 'huge', 'empty', 'empty/inner', 'a/b/link1', 'c/link2', 'a/small']) {
      assert.deepEqual(back.get(rel), t.get(rel), rel);
    }
    assert.equal(back.exact('')!.bytes, t.exact('')!.bytes);
    assert.equal(back.exact('huge')!.bytes, 2n * (2n ** 53n - 1n));
    assert.equal(back.trackedEntries(), t.trackedEntries());
    // The inode's bytes are still counted once, at the same name.
    assert.equal(back.get('a/b/link1')!.files + back.get('c/link2')!.files, 1);
    assert.equal(back.otherLinkOf('c/link2'), t.otherLinkOf('c/link2'));
  });
});
