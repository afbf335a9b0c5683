// The scan process's parts on their way to the host (scanParts.ts): a pool walk's parts, made
// ready in the child (duplicates resolved, hard-link carriers marked), encoded one after the
// other and decoded on the other side, make the tree scanSync builds; a body whose part lengths
// do not add up, or a part of another folder, is refused.
import { strict as assert } from 'node:assert';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTree, prepareParts } from '../../../src/core/disk/mergeScan';
import { startUnit } from '../../../src/core/disk/partialScan';
import { poolWalk, unpackParts } from '../../../src/core/disk/scanInWorker';
import { scanSync } from '../../../src/core/disk/scanner';
import { HereWalker } from '../../../src/core/disk/walkHere';
import { alignedPart, decodeParts, encodeParts } from '../../../src/core/monitor/scanParts';
import { runAll } from '../../../src/core/sched/slices';
import { scanWorkerPath } from '../../support/scanWorker';
import { treeFigures } from '../disk/fixtures';

/** 30 packages of two folders, odd-sized names (parts of any length), hard links far apart. */
function packages(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-parts-'));
  for (let p = 0; p < 30; p++)
    for (const d of ['lib', 'dist']) {
      mkdirSync(join(root, `p${p}`, d), { recursive: true });
      for (let f = 0; f < 9; f++)
        writeFileSync(join(root, `p${p}`, d, `f${'é'.repeat(p % 4)}${f}.js`), 'x'.repeat(p * 7 + f));
    }
  for (let p = 0; p < 30; p += 4)
    linkSync(join(root, `p${p}/lib/f${'é'.repeat(p % 4)}1.js`), join(root, `p${29 - p}/dist/from-p${p}`));
  return root;
}

/** The body as the host receives it: one buffer of its own (aligned at 0). */
function received(chunks: Uint8Array[], total: number): Buffer {
  const body = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  assert.equal(at, total, 'the chunks make the announced length');
  return body;
}

describe('the scan process’s parts, sent as they are', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = packages();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a pool walk’s parts, encoded and decoded, make the tree scanSync builds', async () => {
    let listedHere = 0;
    const here = new HereWalker(
      [],
      {
        // Slow enough (5 ms a folder, 91 folders) for the worker to come up and take a share.
        afterList: () => {
          listedHere++;
          const until = performance.now() + 5;
          while (performance.now() < until);
        },
      },
      () => undefined,
    );
    assert.equal(here.walk([startUnit(root)], 0), false);
    const walked = await poolWalk(root, { workerPath: scanWorkerPath() }, 2, here);
    assert.ok(walked.packed.length >= 1 && listedHere < 91, `parts from the workers too (listed here: ${listedHere})`);
    const prepared = prepareParts(runAll(unpackParts(walked)));
    const encoded = await encodeParts(root, prepared.trees, Date.now());
    assert.equal(encoded.lengths.length, prepared.trees.length);
    const body = received(encoded.chunks, encoded.total);
    const trees = await decodeParts(root, body, encoded.lengths);
    // Every part's arrays are views on the received buffer (each part starts aligned), not copies.
    for (const t of trees) assert.equal(t.fileSizes.buffer, body.buffer);
    const tree = runAll(buildTree(root, trees, prepared.drop));
    assert.deepEqual(treeFigures(tree), treeFigures(scanSync(root).tree));
  });

  it('refuses part lengths that do not make the body, and a part of another folder', async () => {
    const alone = new HereWalker([], {}, () => undefined);
    assert.equal(alone.walk([startUnit(root)], Infinity), true);
    const [tree] = prepareParts([alone.scan.finish()]).trees;
    // The same part twice: two snapshots, the second after padding to a multiple of 8.
    const encoded = await encodeParts(root, [tree, tree], 1);
    const body = received(encoded.chunks, encoded.total);
    const [a, b] = encoded.lengths;
    assert.notEqual(a % 8, 0, 'the first part needs padding (else this fixture tests no gap)');
    assert.equal(alignedPart(a) + b, body.length);
    for (const lengths of [[a], [a, b - 1], [a, b, 8], [-1, b], 'x', [a + 0.5, b], [a - 8, b]])
      await assert.rejects(decodeParts(root, body, lengths), /damaged tree/, JSON.stringify(lengths));
    await assert.rejects(decodeParts(`${root}-other`, body, encoded.lengths), /tree of another folder/);
    assert.equal((await decodeParts(root, body, encoded.lengths)).length, 2);
  });
});
