// The activity of a batch as a diff of size-tree states, without a watcher or a tree: states are
// plain maps, changed before and after the "batch".
import { strict as assert } from 'node:assert';
import type { NodeSummary } from '../../../src/core/disk/sizeTree';
import { ActivityDiff, MAX_REMEMBERED } from '../../../src/core/monitor/activityDiff';

const file = (bytes: number): NodeSummary => ({ bytes, allocatedBytes: bytes, files: 1, isDirectory: false });
const dir = (bytes: number, files: number): NodeSummary => ({ bytes, allocatedBytes: bytes, files, isDirectory: true });

/** A tree as a map; `lookup` reads it, counting reads. */
function state(entries: Record<string, NodeSummary>) {
  const map = new Map(Object.entries(entries));
  const lookup = (rel: string) => {
    lookup.reads++;
    return map.get(rel);
  };
  lookup.reads = 0;
  return { map, lookup };
}

describe('ActivityDiff', () => {
  it('counts a new file, a grown file, a shrunk file and a deleted folder with everything below it', () => {
    const tree = state({ 'w/a': file(500), 'w/b': file(400), 'w/old': dir(300, 2) });
    const diff = new ActivityDiff();
    for (const rel of ['w/new', 'w/a', 'w/b', 'w/old']) diff.remember(rel, () => tree.lookup(rel));
    tree.map.set('w/new', file(1000));
    tree.map.set('w/a', file(800));
    tree.map.set('w/b', file(100));
    tree.map.delete('w/old');
    assert.deepEqual(diff.take(['w/new', 'w/a', 'w/b', 'w/old'], tree.lookup), {
      files_added: 1,
      files_deleted: 2,
      bytes_added: 1300,
      bytes_removed: 600,
    });
    assert.equal(diff.size, 0);
  });

  it('keeps the state before the first event of a path, not a later one', () => {
    const tree = state({ f: file(10) });
    const diff = new ActivityDiff();
    diff.remember('f', () => tree.lookup('f'));
    tree.map.set('f', file(50));
    diff.remember('f', () => tree.lookup('f'));
    assert.equal(tree.lookup.reads, 1, 'read once');
    tree.map.set('f', file(70));
    assert.deepEqual(diff.take(['f'], tree.lookup), {
      files_added: 0,
      files_deleted: 0,
      bytes_added: 60,
      bytes_removed: 0,
    });
  });

  it('counts a path once when an ancestor changed in the same batch, and nothing for paths without an event', () => {
    const tree = state({});
    const diff = new ActivityDiff();
    diff.remember('n', () => tree.lookup('n'));
    diff.remember('n/deep/x', () => tree.lookup('n/deep/x'));
    tree.map.set('n', dir(30, 3));
    tree.map.set('n/deep/x', file(10));
    tree.map.set('drift', file(999)); // changed by a reconcile scan: no event
    assert.deepEqual(diff.take(['n', 'n/deep/x', 'drift'], tree.lookup), {
      files_added: 3,
      files_deleted: 0,
      bytes_added: 30,
      bytes_removed: 0,
    });
  });

  it('reports nothing for a file created and deleted before the batch, or for an empty batch', () => {
    const tree = state({});
    const diff = new ActivityDiff();
    assert.equal(diff.take(['x'], tree.lookup), undefined);
    diff.remember('tmp', () => tree.lookup('tmp'));
    assert.equal(diff.take(['tmp'], tree.lookup), undefined);
    assert.equal(diff.size, 0);
  });

  it('ignores the folder itself and paths outside it, and stops remembering at its bound', () => {
    const diff = new ActivityDiff();
    diff.remember('', () => file(1));
    diff.remember('../up', () => file(1));
    assert.equal(diff.size, 0);
    for (let i = 0; i < MAX_REMEMBERED + 5; i++) diff.remember(`f${i}`, () => undefined);
    assert.equal(diff.size, MAX_REMEMBERED);
  });
});
