import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ActivityCounts } from '../../../src/core/history/historyStore';
import type { FolderMonitor, FolderMonitorOptions } from '../../../src/core/monitor/folderMonitor';
import { monitorOf, monitorSettings, until } from '../../support/folderMonitor';
import { scanWorkerPath } from '../../support/scanWorker';

/** A monitor of `root` as the extension makes one, started; resolves once it scanned and watches. */
async function startMonitor(
  root: string,
  worker: string,
  onActivity?: FolderMonitorOptions['onActivity'],
): Promise<FolderMonitor> {
  let scanned = false;
  const monitor = monitorOf(root, {
    workerPath: worker,
    onScanned: () => {
      scanned = true;
    },
    onActivity,
  });
  void monitor.start();
  await until(() => scanned && monitor.snapshot().watchMode === 'watching', 'the first scan and the watcher');
  return monitor;
}

describe('FolderMonitor activity (for the usage history)', () => {
  let root: string;
  let worker: string;
  let monitor: FolderMonitor | undefined;
  before(() => {
    worker = scanWorkerPath();
  });
  afterEach(async () => {
    monitor?.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reports files added and deleted and bytes added and removed from watcher events', async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-monitor-'));
    await fs.mkdir(path.join(root, 'work', 'old'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(500));
    await fs.writeFile(path.join(root, 'work', 'gone.bin'), Buffer.alloc(300));
    await fs.writeFile(path.join(root, 'work', 'old', 'x.bin'), Buffer.alloc(100));
    await fs.writeFile(path.join(root, 'work', 'old', 'y.bin'), Buffer.alloc(200));
    const sum: ActivityCounts = { files_added: 0, files_deleted: 0, bytes_added: 0, bytes_removed: 0 };
    let lastTotals = { total_bytes: -1, files: -1 };
    monitor = await startMonitor(root, worker, (counts, totals) => {
      for (const k of Object.keys(sum) as Array<keyof ActivityCounts>) sum[k] += counts[k];
      lastTotals = totals;
    });
    assert.equal(monitor.usage()?.totalBytes, 1100);

    await fs.writeFile(path.join(root, 'work', 'new.bin'), Buffer.alloc(1000)); // +1 file, +1000
    await fs.appendFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(500)); // +500
    await fs.rm(path.join(root, 'work', 'gone.bin')); // -1 file, -300
    await fs.rm(path.join(root, 'work', 'old'), { recursive: true }); // -2 files, -300
    await until(
      () => monitor!.usage()?.totalBytes === 2000 && lastTotals.total_bytes === 2000 && sum.files_deleted === 3,
      'the events',
    );
    assert.deepEqual(sum, { files_added: 1, files_deleted: 3, bytes_added: 1500, bytes_removed: 600 });
    assert.deepEqual(lastTotals, { total_bytes: 2000, files: 2 });

    // A rewrite to a smaller size: bytes removed, no file counted.
    await fs.writeFile(path.join(root, 'work', 'new.bin'), Buffer.alloc(400));
    await until(() => lastTotals.total_bytes === 1400, 'the shrink');
    assert.deepEqual(sum, { files_added: 1, files_deleted: 3, bytes_added: 1500, bytes_removed: 1200 });
  });

  it('follows file changes through folder watches only: new folders, moved-in trees, writes right after mkdir', async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-monitor-'));
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-outside-'));
    await fs.mkdir(path.join(root, 'work'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(100));
    await fs.mkdir(path.join(outside, 'tree', 'deep'), { recursive: true });
    await fs.writeFile(path.join(outside, 'tree', 'x.bin'), Buffer.alloc(1000));
    await fs.writeFile(path.join(outside, 'tree', 'deep', 'y.bin'), Buffer.alloc(2000));
    monitor = await startMonitor(root, worker);
    const total = () => monitor!.usage()?.totalBytes;
    assert.equal(total(), 100);

    await fs.appendFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(50));
    await until(() => total() === 150, "an append to a watched folder's file");
    await fs.mkdir(path.join(root, 'work', 'new', 'deeper'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'new', 'deeper', 'z.bin'), Buffer.alloc(7));
    await until(() => total() === 157, 'a file written right after its folders were made');
    await fs.rename(path.join(outside, 'tree'), path.join(root, 'work', 'tree'));
    await until(() => total() === 3157, 'a whole tree moved in');
    await fs.appendFile(path.join(root, 'work', 'tree', 'deep', 'y.bin'), Buffer.alloc(3)); // now watched too
    await until(() => total() === 3160, 'a change inside the moved-in tree');
    await fs.rm(path.join(root, 'work', 'new'), { recursive: true });
    await until(() => total() === 3153, 'a removed folder');
    assert.equal(monitor.usage()?.files, 3);
    await fs.rm(outside, { recursive: true, force: true });
  });
});

describe('FolderMonitor cancel and rescan', () => {
  let root: string;
  let worker: string;
  before(async () => {
    worker = scanWorkerPath();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-cancel-'));
    await fs.mkdir(path.join(root, 'work'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(12_345));
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a cancelled first scan says so, has no numbers, and Rescan completes it', async () => {
    const monitor = monitorOf(root, { workerPath: worker });
    try {
      const started = monitor.start();
      assert.equal(monitor.snapshot().busy?.kind, 'scan', 'the running scan is visible');
      monitor.cancel();
      await started;
      const cancelled = monitor.snapshot();
      assert.equal(cancelled.phase, 'cancelled');
      assert.equal(cancelled.usage, undefined);
      assert.equal(cancelled.busy, undefined);
      await monitor.rescan('');
      const done = monitor.snapshot();
      assert.equal(done.phase, 'ready');
      assert.equal(done.usage?.areas.find((a) => a.name === 'work')?.bytes, 12_345);
    } finally {
      monitor.dispose();
    }
  });

  it('a cancelled rescan keeps the numbers and says they may be stale until the next rescan', async () => {
    const monitor = monitorOf(root, { workerPath: worker, settings: monitorSettings({ watchMaxEntries: 0 }) });
    try {
      await monitor.start();
      const rescan = monitor.rescan('');
      monitor.cancel();
      await rescan;
      const after = monitor.snapshot();
      assert.match(after.rescanCancelled ?? '', /^Rescan of ws cancelled/);
      assert.equal(after.usage?.areas.find((a) => a.name === 'work')?.bytes, 12_345, 'the numbers from before stay');
      await monitor.rescan('');
      assert.equal(monitor.snapshot().rescanCancelled, undefined);
    } finally {
      monitor.dispose();
    }
  });
});
