// The editor's watcher starts after the window is restored, often after a small folder's first
// scan, and gives no sign of being up: a change it never reported is found by the catch-up
// rescans of the folder's first seconds, which stop once the watcher has reported a change.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import { scanProcesses } from '../../../src/core/monitor/scanInProcess';
import { handDrivenSource, monitorOf, until } from '../../support/folderMonitor';
import { scanProcessPath } from '../../support/scanWorker';

describe('FolderMonitor: catch-up rescans while the editor watcher starts', function () {
  this.timeout(30_000);
  let root: string;
  let monitor: FolderMonitor | undefined;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-catchup-'));
    await fs.mkdir(path.join(root, 'work'));
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(100));
  });
  afterEach(async () => {
    monitor?.dispose();
    monitor = undefined;
    await fs.rm(root, { recursive: true, force: true });
  });

  function start(afterMs: number[], maxEntries = 1000, onThreadEntries?: number) {
    const logs: string[] = [];
    const source = handDrivenSource();
    monitor = monitorOf(root, {
      log: (_level, message) => logs.push(message),
      watchSource: source.factory,
      sharedWatchSource: true,
      scanProcessPath: scanProcessPath(),
      catchUps: { afterMs, maxEntries, onThreadEntries },
    });
    const catchUps = () => logs.filter((l) => /catch-up/.test(l)).length;
    return { source, catchUps, started: monitor.start() };
  }

  it('finds a change the watcher never reported, in a quiet folder, and stops after its last one', async () => {
    const { catchUps, started } = start([100, 250, 400]);
    await started;
    assert.equal(monitor!.usage()!.totalBytes, 100);
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(700)); // no event: the watcher is not up yet
    await until(() => monitor!.usage()!.totalBytes === 700, 'the catch-up to find the change');
    await until(() => catchUps() === 3, 'every catch-up of a quiet folder');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(catchUps(), 3, 'no catch-up past the schedule');
  });

  it('runs one more catch-up once the watcher has reported a change, then none', async () => {
    const { source, catchUps, started } = start([150, 600, 900]);
    await started;
    // The watcher is up: it reports this change (the scan may have missed an earlier one).
    const b = path.join(root, 'work', 'b.bin');
    await fs.writeFile(b, Buffer.alloc(50));
    source.handlers!.onEvent('add', b);
    await until(() => catchUps() === 1, 'the first catch-up');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(catchUps(), 1, 'the watcher was up before the first catch-up: it was the last one');
    assert.equal(monitor!.usage()!.totalBytes, 150);
  });

  it('leaves a folder over its bound to the periodic reconcile', async () => {
    const { catchUps, started } = start([50, 100], 1);
    await started;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(catchUps(), 0);
  });

  it('walks a tiny folder on its own thread, a larger one in the scan process', async () => {
    for (const [onThreadEntries, processes] of [
      [1000, 1],
      [1, 2],
    ]) {
      const before = scanProcesses().started;
      const { catchUps, started } = start([50], 1000, onThreadEntries);
      await started;
      await until(() => catchUps() === 1, 'the catch-up');
      assert.equal(scanProcesses().started - before, processes, `processes with onThreadEntries ${onThreadEntries}`);
      monitor!.dispose();
    }
  });
});
