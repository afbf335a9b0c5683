// A walk on the coordinator's own thread as one walker of the pool (walkHere.ts, poolScan's
// `here`): workers join as they come up and share its folders, the merged tree equals scanSync's
// (hard-linked bytes at the same name, whichever part each name is in); a walk done before any
// worker is up is the result alone; a walk that throws fails the scan. No worker is left running.
import { strict as assert } from 'node:assert';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnit } from '../../../src/core/disk/partialScan';
import { liveScanWorkers, poolScan } from '../../../src/core/disk/scanInWorker';
import { scanSync } from '../../../src/core/disk/scanner';
import { HereWalker } from '../../../src/core/disk/walkHere';
import { scanWorkerPath } from '../../support/scanWorker';
import { treeFigures } from './fixtures';

/** 40 packages of two folders, and hard links whose names are far apart in the walk. */
function packages(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-here-'));
  for (let p = 0; p < 40; p++)
    for (const d of ['lib', 'dist']) {
      mkdirSync(join(root, `p${p}`, d), { recursive: true });
      for (let f = 0; f < 10; f++) writeFileSync(join(root, `p${p}`, d, `f${f}.js`), 'x'.repeat(p * 10 + f));
    }
  for (let p = 0; p < 40; p += 3) linkSync(join(root, `p${p}/lib/f1.js`), join(root, `p${39 - p}/dist/from-p${p}.js`));
  return root;
}

async function noWorkerLeft(): Promise<void> {
  for (let i = 0; i < 100 && liveScanWorkers() > 0; i++) await new Promise((done) => setTimeout(done, 50));
  assert.equal(liveScanWorkers(), 0, 'no worker left running');
}

describe('walk here: the coordinator thread as one walker of the pool', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = packages();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('workers join as they come up and share its folders; the figures equal scanSync’s', async () => {
    const listedHere: string[] = [];
    const here = new HereWalker(
      [],
      {
        // Slow enough (5 ms a folder, 121 folders) for the workers to come up and take a share.
        afterList: (rel) => {
          listedHere.push(rel);
          const until = performance.now() + 5;
          while (performance.now() < until);
        },
      },
      () => undefined,
    );
    assert.equal(here.walk([startUnit(root)], 0), false, 'paused before the first folder');
    const progress: number[] = [];
    const r = await poolScan(root, { workerPath: scanWorkerPath(), onProgress: (n) => progress.push(n) }, 2, here);
    const s = scanSync(root);
    assert.deepEqual(treeFigures(r.tree), treeFigures(s.tree));
    assert.deepEqual(r.skipped, s.skipped);
    assert.ok(listedHere.length > 0 && listedHere.length < 121, `listed here: ${listedHere.length} of 121 folders`);
    assert.equal(progress.at(-1), 800 + 14, 'every name once (800 files, 14 second names)');
    await noWorkerLeft();
  });

  it('progress counts both sides once they share the tree, and never goes back', async () => {
    // 200 folders of 150 files, the walk here slowed a little: each side passes its own progress
    // points (every 5,000 files) while the other walks. The walk here used to report its own count
    // alone, below the pool's total reported before it.
    const wide = mkdtempSync(join(tmpdir(), 'wu-here-wide-'));
    try {
      for (let d = 0; d < 200; d++) {
        mkdirSync(join(wide, `d${d}`));
        for (let f = 0; f < 150; f++) writeFileSync(join(wide, `d${d}`, `f${f}`), '');
      }
      // One progress callback for both, as the headless command gives them.
      const progress: number[] = [];
      const onProgress = (n: number) => progress.push(n);
      const here = new HereWalker(
        [],
        {
          afterList: () => {
            const until = performance.now() + 1;
            while (performance.now() < until);
          },
        },
        onProgress,
      );
      here.walk([startUnit(wide)], 0);
      await poolScan(wide, { workerPath: scanWorkerPath(), onProgress }, 1, here);
      assert.ok(
        progress.every((n, i) => i === 0 || n >= progress[i - 1]),
        progress.join(','),
      );
      assert.equal(progress.at(-1), 30_000);
    } finally {
      rmSync(wide, { recursive: true, force: true });
    }
  });

  it('done before any worker is up: its part alone is the result, and the workers are let go', async () => {
    const here = new HereWalker([], {}, () => undefined);
    here.walk([startUnit(root)], 0);
    const r = await poolScan(root, { workerPath: scanWorkerPath() }, 2, here);
    assert.deepEqual(treeFigures(r.tree), treeFigures(scanSync(root).tree));
    await noWorkerLeft();
  });

  it('cancelled midway: the scan rejects, the walk here drops what it had pending, no worker is left', async () => {
    const here = new HereWalker(
      [],
      {
        afterList: () => {
          const until = performance.now() + 5;
          while (performance.now() < until);
        },
      },
      () => undefined,
    );
    here.walk([startUnit(root)], 0);
    const abort = new AbortController();
    const scan = poolScan(root, { workerPath: scanWorkerPath(), signal: abort.signal }, 2, here);
    setTimeout(() => abort.abort(), 60);
    await assert.rejects(scan, /scan cancelled/);
    assert.equal(here.scan.pendingFolders, 0);
    await noWorkerLeft();
  });

  it('a walk here that throws fails the scan, with no worker left running', async () => {
    // The first folder it lists, in run()'s first slice: before any worker can be up.
    const here = new HereWalker(
      [],
      {
        afterList: () => {
          throw new Error('disk went away');
        },
      },
      () => undefined,
    );
    here.walk([startUnit(root)], 0);
    await assert.rejects(poolScan(root, { workerPath: scanWorkerPath() }, 2, here), /disk went away/);
    await noWorkerLeft();
  });

  it('a waiting worker ends the slice after its first folder, once the request to share is answered', () => {
    const listed: string[] = [];
    const here = new HereWalker([], { afterList: (rel) => listed.push(rel) }, () => undefined);
    const given: number[] = [];
    here.onDonate = (units) => given.push(units.length);
    here.workerWaits = () => true;
    // The root, then the coordinator's request: answered at the next folder, then the slice ends.
    assert.equal(here.walk([startUnit(root)], Infinity), false);
    assert.deepEqual(listed, ['']);
    here.ask();
    assert.equal(here.walk([], Infinity), false);
    assert.deepEqual(given, [20], 'half of the 40 folders pending');
    assert.equal(listed.length, 2);
    // A worker that stays waiting (its work is on the way) slows the walk here to one folder a
    // slice, never to none.
    for (let i = 0; i < 5; i++) assert.equal(here.walk([], Infinity), false);
    assert.equal(listed.length, 7);
    here.workerWaits = () => false;
    assert.equal(here.walk([], Infinity), true, 'nothing left once no worker waits');
    assert.equal(listed.length, 1 + 20 + 20 * 2, 'the root, the 20 package folders kept, their lib and dist');
  });
});
