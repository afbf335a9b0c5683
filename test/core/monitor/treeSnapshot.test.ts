import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanSync } from '../../../src/core/disk/scanner';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import {
  loadTreeSnapshot,
  saveTreeSnapshot,
  settingsFingerprint,
  snapshotPath,
  SNAPSHOT_FILE,
} from '../../../src/core/monitor/treeSnapshot';

describe('treeSnapshot (stored size trees)', () => {
  let root: string;
  let store: string;
  let logs: string[];
  const log = (m: string) => logs.push(m);
  const fp = settingsFingerprint({ exclude: ['**/node_modules'] });

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-snap-root-'));
    store = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'wu-snap-store-')), 'history', 'x');
    logs = [];
    await fs.mkdir(path.join(root, 'work', 'deep', 'er'), { recursive: true });
    await fs.mkdir(path.join(root, 'empty'));
    await fs.writeFile(path.join(root, 'a.txt'), Buffer.alloc(1234));
    await fs.writeFile(path.join(root, 'work', 'b é.bin'), Buffer.alloc(70_000));
    await fs.writeFile(path.join(root, 'work', 'deep', 'er', 'c'), Buffer.alloc(5));
    await fs.link(path.join(root, 'work', 'b é.bin'), path.join(root, 'work', 'deep', 'hard'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(path.dirname(path.dirname(store)), { recursive: true, force: true });
  });

  it('round-trips a scanned tree: totals, folders, largest entries and hard links', async () => {
    const tree = scanSync(root).tree;
    await saveTreeSnapshot(store, root, tree.serialize(), fp, 1_700_000_000_000);
    const loaded = await loadTreeSnapshot(store, root, fp, log);
    assert.ok(loaded);
    assert.equal(loaded.at, 1_700_000_000_000);
    const back = SizeTree.deserialize(root, loaded.tree);
    assert.deepEqual(back.total(), tree.total());
    assert.deepEqual(back.largest('', 10), tree.largest('', 10));
    assert.deepEqual(back.largest('work', 10), tree.largest('work', 10));
    assert.deepEqual(back.largest('work/deep', 10), tree.largest('work/deep', 10));
    assert.ok(back.get('empty')?.isDirectory);
    assert.deepEqual(logs, []);
    // The hard-linked inode counts once, as in the scan.
    assert.equal(back.total().files, 3);
  });

  it('ignores a snapshot taken with other excludes (or of another folder) and keeps it', async () => {
    await saveTreeSnapshot(store, root, scanSync(root).tree.serialize(), fp, 1);
    assert.equal(await loadTreeSnapshot(store, root, settingsFingerprint({ exclude: [] }), log), undefined);
    assert.equal(await loadTreeSnapshot(store, root + '-other', fp, log), undefined);
    assert.equal(logs.length, 2);
    await fs.access(snapshotPath(store));
    assert.ok(await loadTreeSnapshot(store, root, fp, log));
  });

  for (const [what, damage] of [
    [
      'a flipped byte in the body',
      (b: Buffer) => {
        b[b.length - 3] ^= 0xff;
        return b;
      },
    ],
    ['a cut-off file', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
    ['garbage', () => Buffer.from('not a snapshot at all')],
    [
      'a damaged header',
      (b: Buffer) => {
        b[12] = 0x7b;
        b[13] = 0x7b;
        return b;
      },
    ],
  ] as const) {
    it(`deletes a damaged snapshot (${what}) with a log line and loads nothing`, async () => {
      await saveTreeSnapshot(store, root, scanSync(root).tree.serialize(), fp, 1);
      const file = snapshotPath(store);
      await fs.writeFile(file, damage(await fs.readFile(file)));
      assert.equal(await loadTreeSnapshot(store, root, fp, log), undefined);
      assert.equal(logs.length, 1);
      assert.match(logs[0], /damaged/);
      await assert.rejects(fs.access(file), { code: 'ENOENT' });
    });
  }

  it('loads nothing, silently, when there is no snapshot', async () => {
    assert.equal(await loadTreeSnapshot(store, root, fp, log), undefined);
    assert.deepEqual(logs, []);
  });

  it('writes atomically: only the snapshot is left in its folder, a rewrite replaces it', async () => {
    await saveTreeSnapshot(store, root, scanSync(root).tree.serialize(), fp, 1);
    await fs.writeFile(path.join(root, 'new.bin'), Buffer.alloc(10));
    await saveTreeSnapshot(store, root, scanSync(root).tree.serialize(), fp, 2);
    assert.deepEqual(await fs.readdir(store), [SNAPSHOT_FILE]);
    const loaded = await loadTreeSnapshot(store, root, fp, log);
    assert.equal(loaded?.at, 2);
    assert.equal(SizeTree.deserialize(root, loaded.tree).total().files, 4);
  });

  it('round-trips an empty folder', async () => {
    const empty = path.join(root, 'empty');
    await saveTreeSnapshot(store, empty, scanSync(empty).tree.serialize(), fp, 3);
    const loaded = await loadTreeSnapshot(store, empty, fp, log);
    assert.equal(SizeTree.deserialize(empty, loaded!.tree).total().files, 0);
  });
});
