// FolderMonitor takes its file events from any WatchSource: a fake one here, driven by hand,
// stands in for chokidar (the default) and for the editor's own watcher.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import { excludedBy } from '../../../src/core/monitor/watchSource';
import { handDrivenSource, monitorOf, monitorSettings, until } from '../../support/folderMonitor';

describe('WatchSource', () => {
  let root: string | undefined;
  let monitor: FolderMonitor | undefined;
  afterEach(async () => {
    monitor?.dispose();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('excludedBy matches folder-relative paths against every glob list, never the folder or outside it', () => {
    const excluded = excludedBy('/ws', ['node_modules'], ['**/*.tmp']);
    assert.equal(excluded('/ws/node_modules'), true);
    assert.equal(excluded('/ws/work/x.tmp'), true);
    assert.equal(excluded('/ws/work/x.bin'), false);
    assert.equal(excluded('/ws'), false);
    assert.equal(excluded('/elsewhere/node_modules'), false);
  });

  it('a plugged-in source feeds the monitor: target, ready, events applied, errors to periodic rescans', async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-source-'));
    await fs.mkdir(path.join(root, 'work'));
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(100));
    const source = handDrivenSource();
    const { targets } = source;
    const warnings: string[] = [];
    let scanned = false;
    monitor = monitorOf(root, {
      settings: monitorSettings({ exclude: ['cache'] }),
      watcherExclude: ['**/*.tmp'],
      warnUser: (key) => warnings.push(key),
      onScanned: () => {
        scanned = true;
      },
      watchSource: source.factory,
    });
    void monitor.start();
    await until(() => scanned && source.handlers !== undefined, 'the first scan and the source started');
    assert.equal(targets.length, 1);
    assert.equal(targets[0].folder, root);
    assert.equal(targets[0].usePolling, false);
    assert.equal(targets[0].excluded(path.join(root, 'cache')), true);
    assert.equal(targets[0].excluded(path.join(root, 'work', 'x.tmp')), true);
    assert.equal(targets[0].excluded(path.join(root, 'work', 'a.bin')), false);
    assert.equal(monitor.snapshot().watchMode, 'starting');

    const handlers = source.handlers!;
    handlers.onReady();
    assert.equal(monitor.snapshot().watchMode, 'watching');
    await fs.writeFile(path.join(root, 'work', 'b.bin'), Buffer.alloc(50));
    handlers.onEvent('add', path.join(root, 'work', 'b.bin'));
    await until(() => monitor!.usage()?.totalBytes === 150, 'the event applied');

    handlers.onError(Object.assign(new Error('no more watches'), { code: 'ENOSPC' }));
    assert.equal(monitor.snapshot().watchMode, 'periodic');
    assert.equal(source.closed, 1);
    assert.deepEqual(warnings, ['watch:ENOSPC']);
    // A late ready from the closed source changes nothing.
    handlers.onReady();
    assert.equal(monitor.snapshot().watchMode, 'periodic');
  });
});
