import { strict as assert } from 'node:assert';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  childIndex,
  decodeBaseline,
  encodeBaseline,
  encodeBaselineAsync,
  encodeFolders,
  takeBaseline,
  type Baseline,
  type FolderSize,
} from '../../../src/core/baseline/baseline';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import { rng as seeded } from '../../support/rng';

export function baselineOf(at: number, entries: Record<string, [number, number] | number>): Baseline {
  const folders = new Map<string, FolderSize>();
  for (const [rel, v] of Object.entries(entries))
    folders.set(rel, typeof v === 'number' ? { bytes: v, files: 1 } : { bytes: v[0], files: v[1] });
  return { at, folders };
}

const stat = (size: number, ino: number) => ({ size, blocks: Math.ceil(size / 512), ino, dev: 1, nlink: 1 });

describe('baseline format', () => {
  it('round-trips folder sizes, unicode and awkward names included', () => {
    const b = baselineOf(1_700_000_000_123, {
      '': [1e12, 9],
      a: [5, 1],
      'a/b': 3,
      'a/b c/ü': [2 ** 52 + 7, 4],
      'a/bb': 0,
      'z\\"q': 1,
    });
    const decoded = decodeBaseline(encodeBaseline(b));
    assert.ok(decoded.ok);
    assert.equal(decoded.baseline.at, b.at);
    assert.deepEqual([...decoded.baseline.folders].sort(), [...b.folders].sort());
  });

  it('writes, built in slices, the text JSON.stringify gives for the whole entry array', async () => {
    const b = baselineOf(1_700_000_000_123, { '': [1e21, 9], 'a/"b"': [2 ** 53 + 2, 1], 'a/ü\n': 0.5, a: 3 });
    for (let i = 0; i < 5000; i++) b.folders.set(`d/${i}`, { bytes: i * 7, files: i }); // past a checkpoint
    const paths = [...b.folders.keys()].sort();
    const f: Array<string | number> = [];
    let previous = '';
    for (const rel of paths) {
      let shared = 0;
      while (shared < Math.min(previous.length, rel.length) && previous[shared] === rel[shared]) shared++;
      f.push(shared, rel.slice(shared), b.folders.get(rel)!.bytes, b.folders.get(rel)!.files);
      previous = rel;
    }
    const expected = JSON.stringify({ v: 1, at: b.at, f });
    assert.equal(gunzipSync(encodeBaseline(b)).toString('utf8'), expected);
    assert.equal(gunzipSync(await encodeBaselineAsync(b)).toString('utf8'), expected);
  });

  it('front-codes sorted paths: deep trees cost little more than their leaf names', () => {
    const folders = new Map<string, FolderSize>();
    for (let i = 0; i < 2000; i++)
      folders.set(`sessions/session-${String(i).padStart(5, '0')}/work/cache/objects`, { bytes: i * 4096, files: i });
    const raw = JSON.stringify([...folders]).length;
    const size = encodeBaseline({ at: 0, folders }).length;
    // The plain JSON pairs take about 80 bytes a folder; the compact file a small fraction.
    assert.ok(size < raw / 8, `${size} bytes vs ${raw} as plain JSON`);
  });

  it('reports damaged files as values', () => {
    assert.equal(decodeBaseline(Buffer.from('nope')).ok, false);
    assert.equal(decodeBaseline(gzipSync(JSON.stringify({ v: 2, at: 0, f: [] }))).ok, false);
    const bad = decodeBaseline(gzipSync(JSON.stringify({ v: 1, at: 0, f: [5, 'x', 1, 1] })));
    assert.equal(bad.ok, false); // shares 5 characters with nothing
    assert.equal(decodeBaseline(gzipSync(JSON.stringify({ v: 1, at: 0, f: [0, 'x', -1, 1] }))).ok, false);
  });

  it('takes the sizes of every folder of a size tree, none of its files', async () => {
    const tree = new SizeTree('/x');
    tree.applyAdd('a/x.bin', stat(100, 1));
    tree.applyAdd('a/b/y.md', stat(20, 2));
    tree.applyAdd('c/z', stat(3, 3));
    tree.applyAddDir('empty');
    const b = await takeBaseline(tree.folderSizes(), tree.total(), 42);
    assert.deepEqual([...b.folders.keys()].sort(), ['', 'a', 'a/b', 'c', 'empty']);
    assert.deepEqual(b.folders.get('a'), { bytes: 120, files: 2 });
    assert.deepEqual(b.folders.get(''), { bytes: 123, files: 3 });
    assert.deepEqual(childIndex(b).get('a'), ['a/b']);
  });

  it('yields to the event loop between slices of a long walk', async () => {
    const rng = seeded(7);
    const tree = new SizeTree('/x');
    for (let i = 0; i < 300; i++) tree.applyAdd(`d${i % 30}/e${i % 7}/f${i}`, stat(Math.floor(rng() * 1000), i + 1));
    let t = 0;
    let yields = 0;
    // Every folder "takes" 5 ms: the default 8 ms slice ends after two of them.
    function* slow() {
      for (const f of tree.folderSizes()) {
        t += 5;
        yield f;
      }
    }
    const b = await takeBaseline(slow(), tree.total(), 0, {
      now: () => t,
      yieldNow: async () => {
        yields++;
      },
    });
    const walked = b.folders.size - 1; // the root comes with the call
    assert.ok(walked > 30);
    assert.equal(yields, Math.floor(walked / 2));
  });

  it('writes the text JSON.stringify would: awkward names, big and odd numbers', async () => {
    const names = [
      'a',
      'a"b',
      'back\\slash',
      'tab\there',
      'ctl\u0001x',
      'é',
      '日本',
      'emoji😀',
      'lone\ud800x',
      'low\udc00',
    ];
    const folders = names.flatMap((n, i) =>
      names.map((m, j) => ({ relPath: `${n}/${m}`, bytes: i * 1000 + j, files: j })),
    );
    folders.push(
      { relPath: 'big', bytes: 2 ** 53 - 1, files: 0 },
      { relPath: 'bigger', bytes: 2 ** 60, files: 1 },
      { relPath: 'odd', bytes: 1.5, files: 1e21 },
    );
    const at = 1_700_000_000_123;
    const f: Array<string | number> = [0, '', 2 ** 40 + 3, 7];
    let previous = '';
    for (const x of folders) {
      let shared = 0;
      while (shared < Math.min(previous.length, x.relPath.length) && previous[shared] === x.relPath[shared]) shared++;
      f.push(shared, x.relPath.slice(shared), x.bytes, x.files);
      previous = x.relPath;
    }
    const encoded = await encodeFolders(folders, { bytes: 2 ** 40 + 3, files: 7 }, at);
    assert.equal(gunzipSync(encoded.data).toString('utf8'), JSON.stringify({ v: 1, at, f }));
    const decoded = decodeBaseline(encoded.data);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.baseline.folders.get('lone\ud800x/low\udc00'), { bytes: 8009, files: 9 });
  });

  it("writes a walk's folders as it goes: the file takeBaseline's sizes would give, in the walk's order", async () => {
    const rng = seeded(11);
    const tree = new SizeTree('/x');
    // Past a chunk of 1,024 folders, with unicode and a quote in names.
    for (let i = 0; i < 3000; i++)
      tree.applyAdd(`d${i % 40}/é "${i % 13}"/f${i % 29}/n${i}`, stat(Math.floor(rng() * 1e6), i + 1));
    const taken = await takeBaseline(tree.folderSizes(), tree.total(), 77);
    let yields = 0;
    let t = 0;
    const encoded = await encodeFolders(tree.folderSizes(), tree.total(), 77, {
      now: () => (t += 3),
      yieldNow: async () => {
        yields++;
      },
    });
    assert.equal(encoded.at, 77);
    assert.ok(yields > 100, `yields: ${yields}`);
    const decoded = decodeBaseline(encoded.data);
    assert.ok(decoded.ok);
    assert.equal(decoded.baseline.at, 77);
    assert.ok(taken.folders.size > 1024);
    assert.deepEqual([...decoded.baseline.folders].sort(), [...taken.folders].sort());
    // The root first, then the walk's order, each folder before its subfolders (front-coded).
    const order = [...decoded.baseline.folders.keys()];
    assert.deepEqual(order, ['', ...Array.from(tree.folderSizes(), (f) => f.relPath)]);
    assert.ok(encoded.data.length < encodeBaseline(taken).length * 1.5, 'about as small as the sorted file');
  });
});
