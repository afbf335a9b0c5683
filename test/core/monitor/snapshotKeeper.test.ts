import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanSync } from '../../../src/core/disk/scanner';
import { SnapshotKeeper } from '../../../src/core/monitor/snapshotKeeper';
import { snapshotPath } from '../../../src/core/monitor/treeSnapshot';

describe('SnapshotKeeper (when stored sizes are written)', () => {
  let root: string;
  let keeper: SnapshotKeeper | undefined;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-keeper-'));
    await fs.writeFile(path.join(root, 'a'), Buffer.alloc(10));
  });
  afterEach(async () => {
    keeper?.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  function make(saves: string[], quietMs: number, minIntervalMs: number): SnapshotKeeper {
    const tree = scanSync(root).tree;
    return new SnapshotKeeper({
      dir: path.join(root, '.store'),
      folder: root,
      fingerprint: 'f',
      quietMs,
      minIntervalMs,
      log: (_l, m) => {
        if (m.startsWith('stored')) saves.push(m);
      },
      current: () => tree,
    });
  }

  it('writes once after a quiet period following a burst of changes, then loads it', async () => {
    const saves: string[] = [];
    keeper = make(saves, 50, 0);
    for (let i = 0; i < 5; i++) keeper.changed();
    assert.equal(saves.length, 0, 'not at once');
    const deadline = Date.now() + 5000;
    while (saves.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(saves.length, 1, 'one write for the burst');
    const loaded = await keeper.load();
    assert.equal(loaded?.tree.total().files, 1);
  });

  it('waits at least the minimum interval after a write', async () => {
    const saves: string[] = [];
    keeper = make(saves, 10, 100_000);
    await keeper.save();
    keeper.changed();
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(saves.length, 1, 'the second write waits for the interval');
    await keeper.close();
    assert.equal(saves.length, 2, 'close writes unsaved changes');
  });

  it('close writes nothing when nothing changed since the last write', async () => {
    const saves: string[] = [];
    keeper = make(saves, 10, 0);
    await keeper.close();
    assert.equal(saves.length, 0);
    await assert.rejects(fs.access(snapshotPath(path.join(root, '.store'))));
  });
});
