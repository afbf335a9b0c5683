// A reconcile scan runs off the caller's thread, so watcher events keep being applied while it
// runs; the scan may have read a path before its change. Those changes must survive the swap.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskTracker } from '../../../src/core/disk/diskTracker';
import { scanSync } from '../../../src/core/disk/scanner';

describe('DiskTracker reconcile', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wu-reconcile-'));
    mkdirSync(join(root, 'work/sub'), { recursive: true });
    writeFileSync(join(root, 'work/a.bin'), Buffer.alloc(1000));
    writeFileSync(join(root, 'work/sub/b.bin'), Buffer.alloc(2000));
    writeFileSync(join(root, 'top.txt'), 'x');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  for (const relPath of ['', 'work']) {
    it(`keeps changes applied while a scan of ${relPath || 'the folder'} ran (the scan predates them)`, async () => {
      const tracker = new DiskTracker(root, {
        tree: scanSync(root).tree,
        delayMs: 5,
        // The scan's snapshot is taken first; then the disk changes and the watcher's events are
        // applied before the scan's result arrives: the race a worker scan opens.
        scanSubtree: async (rel) => {
          const snapshot = scanSync(root, { relPath: rel }).tree;
          appendFileSync(join(root, 'work/a.bin'), Buffer.alloc(500));
          writeFileSync(join(root, 'work/sub/new.bin'), Buffer.alloc(300));
          unlinkSync(join(root, 'work/sub/b.bin'));
          tracker.enqueue('change', join(root, 'work/a.bin'));
          tracker.enqueue('add', join(root, 'work/sub/new.bin'));
          tracker.enqueue('unlink', join(root, 'work/sub/b.bin'));
          await new Promise((r) => setTimeout(r, 20)); // the tracker's own flush runs meanwhile
          return snapshot;
        },
      });
      const before = tracker.tree.total();
      assert.deepEqual({ bytes: before.bytes, files: before.files }, { bytes: 3001, files: 3 });
      await tracker.reconcile(relPath);
      const fresh = scanSync(root).tree.total();
      assert.deepEqual(tracker.tree.total(), fresh);
      assert.equal(fresh.bytes, 1500 + 300 + 1);
      assert.equal(tracker.tree.get('work/sub/b.bin'), undefined);
      assert.equal(tracker.tree.get('work/sub/new.bin')?.bytes, 300);
      tracker.dispose();
    });
  }

  it('repairs drift from missed events', async () => {
    const tracker = new DiskTracker(root, { tree: scanSync(root).tree });
    writeFileSync(join(root, 'work/sub/missed.bin'), Buffer.alloc(4096)); // no event
    await tracker.reconcile('work');
    assert.equal(tracker.tree.get('work')?.bytes, 1000 + 2000 + 4096);
    assert.deepEqual(tracker.tree.total(), scanSync(root).tree.total());
    tracker.dispose();
  });
});
