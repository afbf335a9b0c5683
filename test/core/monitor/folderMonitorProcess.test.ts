// The monitor's whole-folder scans (the first, and rescans of the folder) run in the scan process
// when it has one; a subfolder's rescan stays in a worker thread; a cancel kills the process; a
// missing bundle is said once in the log and the worker threads scan instead.
import { strict as assert } from 'node:assert';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import { scanProcesses } from '../../../src/core/monitor/scanInProcess';
import { handDrivenSource, monitorOf, until } from '../../support/folderMonitor';
import { snapshotPath } from '../../../src/core/monitor/treeSnapshot';
import { scanProcessPath } from '../../support/scanWorker';

describe('FolderMonitor with the scan process', function () {
  this.timeout(60_000);
  let root: string;
  let monitor: FolderMonitor | undefined;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-monitor-process-'));
    await fs.mkdir(path.join(root, 'work', 'old'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(12_345));
    await fs.writeFile(path.join(root, 'work', 'old', 'b.bin'), Buffer.alloc(1_000));
    await fs.writeFile(path.join(root, 'production.bin'), Buffer.alloc(7));
  });
  afterEach(async () => {
    monitor?.dispose();
    monitor = undefined;
    await fs.rm(root, { recursive: true, force: true });
  });

  const workBytes = () => monitor?.snapshot().usage?.areas.find((a) => a.name === 'work')?.bytes;

  it('scans the folder in the process, first and on a rescan of the folder; a subfolder stays in a worker', async () => {
    const before = scanProcesses().started;
    monitor = monitorOf(root, { scanProcessPath: scanProcessPath() });
    await monitor.start();
    assert.equal(monitor.snapshot().phase, 'ready');
    assert.equal(workBytes(), 13_345);
    assert.equal(monitor.usage()?.totalBytes, 13_352);
    assert.equal(scanProcesses().started, before + 1, 'the first scan ran in a child process');

    await fs.writeFile(path.join(root, 'work', 'c.bin'), Buffer.alloc(100)); // no event: found by the rescan
    await monitor.rescan('');
    assert.equal(workBytes(), 13_445);
    assert.equal(scanProcesses().started, before + 2, 'a rescan of the folder too');

    await fs.writeFile(path.join(root, 'work', 'old', 'd.bin'), Buffer.alloc(5));
    await monitor.rescan('work/old');
    assert.equal(workBytes(), 13_450);
    assert.equal(scanProcesses().started, before + 2, 'a subfolder is rescanned without a process');
    await until(() => scanProcesses().live === 0, 'the children to exit');
  });

  it('runs the first scan at the normal priority, ready to step back; rescans in the background', async () => {
    let subscribed = 0;
    let unsubscribed = 0;
    monitor = monitorOf(root, {
      scanProcessPath: scanProcessPath(),
      onYield: () => {
        subscribed++;
        return () => unsubscribed++;
      },
    });
    await monitor.start();
    assert.equal(workBytes(), 13_345);
    assert.equal(subscribed, 1, 'the first scan listens for the signal to step back');
    await until(() => unsubscribed === 1, 'the first scan to stop listening once its process is gone');
    await monitor.rescan('');
    assert.equal(subscribed, 1, 'a rescan runs in the background from its start');
    await until(() => scanProcesses().live === 0, 'the children to exit');
  });

  it('walks a small folder on this thread at first, and hands a folder past the bound to the process', async () => {
    const logged: string[] = [];
    // Outside the folder: the second monitor below counts the folder as the first found it.
    const snapshotDir = `${root}-storage`;
    const before = scanProcesses().started;
    monitor = monitorOf(root, {
      scanProcessPath: scanProcessPath(),
      snapshotDir,
      firstScanOnThread: 1000,
      log: (_level, message) => logged.push(message),
    });
    await monitor.start();
    assert.equal(monitor.snapshot().phase, 'ready');
    assert.equal(workBytes(), 13_345);
    assert.equal(monitor.usage()?.totalBytes, 13_352);
    assert.equal(scanProcesses().started, before, 'no scan process for 5 entries');
    assert.ok(
      logged.some((l) => /scanned 3 files in \d+ ms \(on this thread\)/.test(l)),
      logged.join('\n'),
    );
    // Its stored sizes are written by the monitor, as there was no process to write them.
    await until(() => existsSync(snapshotPath(snapshotDir)), 'the stored copy');
    monitor.dispose();
    await fs.rm(snapshotDir, { recursive: true, force: true });

    // Five entries (work, work/old and three files) against a bound of 4: the walk gives up.
    monitor = monitorOf(root, { scanProcessPath: scanProcessPath(), firstScanOnThread: 4 });
    await monitor.start();
    assert.equal(monitor.snapshot().phase, 'ready');
    assert.equal(monitor.usage()?.totalBytes, 13_352, 'the same numbers through the process');
    assert.equal(scanProcesses().started, before + 1, 'past the bound, the scan process');
    await until(() => scanProcesses().live === 0, 'the child to exit');
  });

  it('lets the process write the stored sizes of its scan; changes applied after it are stored by the monitor', async () => {
    const logged: string[] = [];
    const snapshotDir = path.join(root, '.storage');
    const source = handDrivenSource();
    monitor = monitorOf(root, {
      scanProcessPath: scanProcessPath(),
      snapshotDir,
      log: (_level, message) => logged.push(message),
      watchSource: source.factory,
      sharedWatchSource: true,
    });
    await monitor.start();
    await until(
      () => logged.some((l) => /stored sizes of \d+ files \(written by the scan process\)/.test(l)),
      'the stored copy',
    );
    assert.ok(
      !logged.some((l) => /serialized in/.test(l)),
      `the host did not serialize the tree: ${logged.join('\n')}`,
    );
    assert.ok(existsSync(snapshotPath(snapshotDir)));
    // Deactivation after a change: the monitor stores the tree with the change.
    await fs.writeFile(path.join(root, 'work', 'e.bin'), Buffer.alloc(50));
    source.handlers!.onEvent('add', path.join(root, 'work', 'e.bin'));
    await until(() => workBytes() === 13_395, 'the change applied');
    await monitor.saveSnapshot();
    assert.ok(
      logged.some((l) => /serialized in/.test(l)),
      'stored by the monitor on close',
    );
  });

  it('a cancelled first scan kills its process; Rescan completes the scan', async () => {
    monitor = monitorOf(root, { scanProcessPath: scanProcessPath() });
    const before = scanProcesses().started;
    const started = monitor.start();
    await until(() => scanProcesses().started === before + 1, 'the process to start');
    monitor.cancel();
    await started;
    assert.equal(monitor.snapshot().phase, 'cancelled');
    await until(() => scanProcesses().live === 0, 'the cancelled process to exit', 5000);
    await monitor.rescan('');
    assert.equal(workBytes(), 13_345);
  });

  it('without the bundle, says so once in the log and scans in worker threads', async () => {
    const logged: string[] = [];
    monitor = monitorOf(root, {
      scanProcessPath: path.join(root, 'missing', 'scanProcess.js'),
      log: (level, message) => logged.push(`${level}: ${message}`),
    });
    await monitor.start();
    assert.equal(workBytes(), 13_345);
    await monitor.rescan('');
    assert.equal(workBytes(), 13_345);
    const warnings = logged.filter((l) => l.startsWith('warn:'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /scanProcess\.js is missing; scanning in worker threads instead/);
  });
});
