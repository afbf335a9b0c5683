import { strict as assert } from 'node:assert';
import { cloneSerializedTree } from '../../../src/core/disk/serializedTree';
import { SizeTree, type StatLike } from '../../../src/core/disk/sizeTree';
import { CHECKPOINT, runAll, runSliced, type Steps } from '../../../src/core/sched/slices';

function stat(size: number, ino: number, nlink = 1): StatLike {
  return { size, blocks: Math.ceil(size / 512), ino, dev: 7, nlink };
}

/** A tree of `files` files in folders of 100, with a few hard links. */
function bigTree(files: number): SizeTree {
  const tree = new SizeTree('/r');
  for (let i = 0; i < files; i++) tree.applyAdd(`d${Math.floor(i / 100)}/f${i}`, stat(i + 1, i + 1));
  tree.applyAdd('links/a', stat(5000, 999_999, 2));
  tree.applyAdd('links/b', stat(5000, 999_999, 2));
  return tree;
}

function checkpoints<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
    yields++;
  }
}

describe('slices', () => {
  const files = 10 * CHECKPOINT;
  const tree = bigTree(files);
  const flat = tree.serialize();

  it('a tree is rebuilt with a checkpoint at least every CHECKPOINT files', () => {
    const { value, yields } = checkpoints(SizeTree.deserializeSteps('/r', cloneSerializedTree(flat)));
    // Files, then the compaction pass: at least one checkpoint per CHECKPOINT entries of each.
    assert.ok(yields >= 2 * Math.floor(files / CHECKPOINT), `${yields} checkpoints`);
    assert.deepEqual(value.total(), tree.total());
    assert.deepEqual(value.serialize(), SizeTree.deserialize('/r', cloneSerializedTree(flat)).serialize());
  });

  it('serializing has checkpoints and gives what serialize() gives', () => {
    const { value, yields } = checkpoints(tree.serializeSteps());
    assert.ok(yields >= Math.floor(files / CHECKPOINT) - 1, `${yields} checkpoints`);
    assert.deepEqual(value, flat);
  });

  it('runSliced lets the event loop turn between slices and gives the same tree', async () => {
    let pauses = 0;
    let turned = 0;
    const ticker = setInterval(() => turned++, 0);
    const rebuilt = await runSliced(SizeTree.deserializeSteps('/r', cloneSerializedTree(flat)), {
      sliceMs: 0,
      onPause: () => pauses++,
    });
    clearInterval(ticker);
    assert.ok(pauses >= 10, `${pauses} pauses`);
    assert.ok(turned >= 1, 'a timer ran while the tree was being built');
    assert.deepEqual(rebuilt.total(), tree.total());
    assert.equal(rebuilt.get('links/a')?.bytes, tree.get('links/a')?.bytes);
    assert.equal(rebuilt.get('links/b')?.bytes, tree.get('links/b')?.bytes);
  });

  it('a cancelled run stops between slices', async () => {
    const abort = new AbortController();
    let pauses = 0;
    const run = runSliced(SizeTree.deserializeSteps('/r', cloneSerializedTree(flat)), {
      sliceMs: 0,
      signal: abort.signal,
      onPause: () => {
        if (++pauses === 2) abort.abort();
      },
    });
    await assert.rejects(run, /cancelled/);
    assert.equal(pauses, 2);
  });

  it('runAll runs to the end without pausing', () => {
    assert.deepEqual(runAll(SizeTree.deserializeSteps('/r', cloneSerializedTree(flat))).total(), tree.total());
  });
});
