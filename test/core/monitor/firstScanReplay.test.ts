// Changes made while the first scan runs: with the editor's watcher (shared, running from the
// start) they are kept and applied once the scan is in, not left to the periodic reconcile.
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import type { WatchHandlers } from '../../../src/core/monitor/watchSource';
import { monitorOf } from '../../support/folderMonitor';

const FOLDERS = 48;
const FILES = 500; // 24,000 files: every worker reports progress (every 5,000) before it is done

describe('FolderMonitor: changes during the first scan', function () {
  this.timeout(60_000);
  let root: string;
  let monitor: FolderMonitor | undefined;
  afterEach(async () => {
    monitor?.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('applies a change the editor reported while the first scan ran, after the scan', async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-replay-'));
    const empty = Buffer.alloc(0);
    for (let d = 0; d < FOLDERS; d++) {
      mkdirSync(path.join(root, 'bulk', `d${d}`), { recursive: true });
      for (let f = 0; f < FILES; f++) writeFileSync(path.join(root, 'bulk', `d${d}`, `f${f}`), empty);
    }
    // The root is listed (and its files stat'ed) first: by the first progress report the scan
    // has read a.bin, so a change then is one the scan's result does not hold.
    const file = path.join(root, 'a.bin');
    writeFileSync(file, Buffer.alloc(100));
    let handlers: WatchHandlers | undefined;
    let changedWhileScanning = false;
    let scanned = false;
    monitor = monitorOf(root, {
      onChange: () => {
        const s = monitor?.snapshot();
        if (changedWhileScanning || !handlers || s?.phase !== 'scanning' || !s.scannedFiles) return;
        appendFileSync(file, Buffer.alloc(900));
        handlers.onEvent('change', file);
        changedWhileScanning = true;
      },
      onScanned: () => {
        scanned = true;
      },
      sharedWatchSource: true,
      watchSource: () => ({
        start: (h) => {
          handlers = h;
          queueMicrotask(() => h.onReady());
        },
        close: async () => undefined,
      }),
    });
    await monitor.start();
    assert.ok(scanned, 'the first scan finished');
    assert.ok(changedWhileScanning, 'the change was made while the scan ran (else this test proves nothing)');
    // The event is queued like any other (coalesced for 100 ms), then applied.
    const deadline = Date.now() + 5000;
    while (monitor.usage()!.totalBytes !== 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(monitor.usage()!.totalBytes, 1000, 'a.bin at its size after the change');
  });
});
