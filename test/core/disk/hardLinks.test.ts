// Hard-link accounting: a tree moved from the worker, and a tree kept up to date by events
// (links added and removed, the name carrying an inode's bytes removed first, subtrees
// reconciled), must equal a fresh scan: total bytes, allocated bytes, files, per folder.
import { strict as assert } from 'node:assert';
import {
  appendFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskTracker } from '../../../src/core/disk/diskTracker';
import { scanInWorker } from '../../../src/core/disk/scanInWorker';
import { scanSync } from '../../../src/core/disk/scanner';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import { scanWorkerPath } from '../../support/scanWorker';
import { folderSummary } from '../../support/treeSummary';

function assertSameTotals(actual: SizeTree, expected: SizeTree, what: string): void {
  assert.deepEqual(actual.total(), expected.total(), `${what}: total`);
  assert.equal(actual.trackedEntries(), expected.trackedEntries(), `${what}: tracked entries`);
}

function linkFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-links-'));
  mkdirSync(join(root, 'a/deep'), { recursive: true });
  mkdirSync(join(root, 'b'));
  writeFileSync(join(root, 'a/one.bin'), Buffer.alloc(10_000));
  writeFileSync(join(root, 'a/deep/two.bin'), Buffer.alloc(70_000));
  writeFileSync(join(root, 'plain.txt'), 'plain');
  linkSync(join(root, 'a/one.bin'), join(root, 'b/one-again.bin'));
  linkSync(join(root, 'a/one.bin'), join(root, 'one-third.bin'));
  linkSync(join(root, 'a/deep/two.bin'), join(root, 'a/two-again.bin'));
  return root;
}

describe('hard links', () => {
  let workerPath: string;
  before(function () {
    this.timeout(60_000);
    // The worker runs bundled, as in the extension (dist/scanWorker.js).
    workerPath = scanWorkerPath();
  });

  it('a worker scan rebuilds the same tree as scanSync, link groups included', async () => {
    const root = linkFixture();
    const fresh = scanSync(root).tree;
    const { tree } = await scanInWorker(root, { workerPath });
    assert.deepEqual(folderSummary(tree), folderSummary(fresh));
    assert.equal(tree.total().files, 3);
    assert.equal(tree.total().bytes, 10_000 + 70_000 + 5);
    // Later events keep counting each inode once: a new link, then names go, the carrying ones
    // (the first the scan met: the root's files come first) included.
    linkSync(join(root, 'a/one.bin'), join(root, 'b/fourth.bin'));
    tree.applyAdd('b/fourth.bin', statSync(join(root, 'b/fourth.bin')));
    assertSameTotals(tree, scanSync(root).tree, 'after a new link');
    for (const name of ['one-third.bin', 'a/one.bin', 'a/two-again.bin', 'b/one-again.bin']) {
      unlinkSync(join(root, name));
      tree.applyUnlink(name);
      // Which name carries an inode's bytes may differ from a fresh scan; the totals may not.
      assertSameTotals(tree, scanSync(root).tree, `after removing ${name}`);
    }
    assert.equal(tree.get('b/fourth.bin')!.bytes, 10_000);
    assert.equal(tree.get('a/deep/two.bin')!.bytes, 70_000);
  });

  it('serialize/deserialize keeps which name carries the bytes', () => {
    const root = linkFixture();
    const fresh = scanSync(root).tree;
    const back = SizeTree.deserialize(root, fresh.serialize());
    assert.deepEqual(folderSummary(back), folderSummary(fresh));
    for (const rel of ['a', 'b', 'a/deep', ''])
      assert.deepEqual(
        back.children(rel).sort((x, y) => (x.name < y.name ? -1 : 1)),
        fresh.children(rel).sort((x, y) => (x.name < y.name ? -1 : 1)),
      );
  });

  it('removing a folder that holds the carrying name moves the bytes to a name outside it', () => {
    const root = linkFixture();
    const tracker = new DiskTracker(root, { tree: scanSync(root).tree });
    rmSync(join(root, 'a'), { recursive: true });
    tracker.enqueue('unlinkDir', join(root, 'a'));
    tracker.flush();
    assertSameTotals(tracker.tree, scanSync(root).tree, 'after removing a/');
    assert.equal(tracker.tree.get('b/one-again.bin')!.bytes + tracker.tree.get('one-third.bin')!.bytes, 10_000);
  });

  it('stays equal to a fresh scan through random link, unlink, write, move and reconcile events', async function () {
    this.timeout(120_000);
    const root = mkdtempSync(join(tmpdir(), 'wu-linkrand-'));
    const dirs = ['x', 'y', 'y/z'];
    for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
    let seed = 7;
    const rand = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const names = () =>
      dirs.flatMap((d) =>
        readdirSync(join(root, d), { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => `${d}/${e.name}`),
      );
    let links = 0;
    let maxFiles = 0;
    for (let round = 0; round < 4; round++) {
      // Start from a worker scan half of the time, as the extension does.
      const tree = round % 2 === 0 ? scanSync(root).tree : (await scanInWorker(root, { workerPath })).tree;
      const tracker = new DiskTracker(root, { tree });
      for (let i = 0; i < 150; i++) {
        const existing = names();
        const pick = () => existing[rand(existing.length)];
        const fresh = `${dirs[rand(dirs.length)]}/f${rand(12)}`;
        const op = existing.length === 0 ? 0 : rand(8);
        if (op <= 1 && !existsSync(join(root, fresh))) {
          writeFileSync(join(root, fresh), Buffer.alloc(1 + rand(9000)));
          tracker.enqueue('add', join(root, fresh));
        } else if (op <= 3 && !existsSync(join(root, fresh))) {
          linkSync(join(root, pick()), join(root, fresh));
          tracker.enqueue('add', join(root, fresh));
        } else if (op === 4 || op === 5) {
          const victim = pick();
          unlinkSync(join(root, victim));
          tracker.enqueue('unlink', join(root, victim));
        } else if (op === 6) {
          // Grows the inode: every name of it changes size, only this one gets an event.
          const target = pick();
          appendFileSync(join(root, target), Buffer.alloc(1 + rand(3000)));
          tracker.enqueue('change', join(root, target));
        } else if (op === 7 && !existsSync(join(root, fresh))) {
          const from = pick();
          renameSync(join(root, from), join(root, fresh));
          tracker.enqueue('unlink', join(root, from));
          tracker.enqueue('add', join(root, fresh));
        }
        links += Number(op === 2 || op === 3);
        if (rand(4) === 0) tracker.flush();
        if (rand(40) === 0) {
          tracker.flush();
          await tracker.reconcile(dirs[rand(dirs.length)]);
        }
      }
      tracker.flush();
      assertSameTotals(tracker.tree, scanSync(root).tree, `round ${round}`);
      maxFiles = Math.max(maxFiles, names().length);
      tracker.dispose();
    }
    assert.ok(
      links > 50 && maxFiles > 10,
      `the sequence exercised links (${links} link steps, up to ${maxFiles} files)`,
    );
  });
});
