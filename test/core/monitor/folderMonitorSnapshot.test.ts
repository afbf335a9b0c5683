// The folder monitor with stored sizes (issue 13 part 2) and without a reconcile at the
// watcher's readiness (part 5).
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import { snapshotPath } from '../../../src/core/monitor/treeSnapshot';
import { handDrivenSource, monitorOf, until } from '../../support/folderMonitor';

describe('FolderMonitor stored sizes and watcher start', () => {
  let base: string;
  const monitors: FolderMonitor[] = [];
  const savedDelay = process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY;
  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-monsnap-'));
  });
  afterEach(async () => {
    for (const m of monitors.splice(0)) m.dispose();
    if (savedDelay === undefined) delete process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY;
    else process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY = savedDelay;
    await fs.rm(base, { recursive: true, force: true });
  });

  /** A folder BASE/NAME holding x.bin, its monitor started on a hand-driven watch source, logging to `logs`. */
  async function startedWithHandDrivenSource(name: string) {
    const root = path.join(base, name);
    await fs.mkdir(root);
    await fs.writeFile(path.join(root, 'x.bin'), Buffer.alloc(1000));
    const logs: string[] = [];
    const source = handDrivenSource();
    const m = monitorOf(root, { watchSource: source.factory, log: (_level, message) => logs.push(message) });
    monitors.push(m);
    await m.start();
    return { root, m, source, logs };
  }

  it('shows the stored sizes, marked stale, before the first scan finishes; the scan replaces them', async () => {
    const root = path.join(base, 'slowmon-folder');
    const store = path.join(base, 'store');
    await fs.mkdir(path.join(root, 'work'), { recursive: true });
    await fs.writeFile(path.join(root, 'work', 'a.bin'), Buffer.alloc(40_000));
    const quiet = () => ({ start: () => undefined, close: async () => undefined });
    const first = monitorOf(root, { snapshotDir: store, watchSource: quiet });
    monitors.push(first);
    await first.start();
    assert.equal(first.snapshot().stale, undefined, 'nothing stored yet');
    await until(() => first.snapshot().phase === 'ready', 'the first scan');
    await first.saveSnapshot();
    await fs.access(snapshotPath(store));
    const storedBytes = first.usage()!.totalBytes;
    first.dispose();

    // The folder changes while no window is open; the next first scan is held back.
    await fs.writeFile(path.join(root, 'work', 'b.bin'), Buffer.alloc(90_000));
    process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY = 'slowmon-folder=4000';
    const second = monitorOf(root, { snapshotDir: store, watchSource: quiet });
    monitors.push(second);
    const started = second.start();
    await until(() => second.snapshot().stale !== undefined, 'the stored sizes');
    const stale = second.snapshot();
    assert.equal(stale.phase, 'scanning', 'stored numbers are shown while the scan verifies them');
    assert.equal(stale.usage?.totalBytes, storedBytes);
    assert.ok(stale.largest('work', 5).some((e) => e.name === 'a.bin'));
    assert.ok(Math.abs(stale.stale!.at - Date.now()) < 60_000);
    await started;
    const fresh = second.snapshot();
    assert.equal(fresh.phase, 'ready');
    assert.equal(fresh.stale, undefined);
    assert.ok(fresh.usage!.totalBytes > storedBytes, 'the fresh scan counts b.bin');
    assert.ok(fresh.largest('work', 5).some((e) => e.name === 'b.bin'));
  });

  it('runs no full reconcile when a quiet watcher becomes ready', async () => {
    const { m, source, logs } = await startedWithHandDrivenSource('folder');
    const handlers = source.handlers;
    assert.ok(handlers, 'the watcher started after the first scan');
    handlers.onReady();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(m.snapshot().busy, undefined);
    assert.deepEqual(
      logs.filter((l) => /rescan|reconcil/.test(l)),
      [],
    );
    assert.equal(m.snapshot().watchMode, 'watching');
  });

  it('reconciles once when changes arrived before the watcher was ready', async () => {
    const { root, m, source, logs } = await startedWithHandDrivenSource('busy');
    // Written in the gap: the watcher reports one change, and one it never reported.
    await fs.writeFile(path.join(root, 'seen.bin'), Buffer.alloc(2000));
    await fs.writeFile(path.join(root, 'unseen.bin'), Buffer.alloc(3000));
    source.handlers!.onEvent('add', path.join(root, 'seen.bin'));
    source.handlers!.onReady();
    await until(() => logs.some((l) => /rescanned the folder/.test(l)), 'the reconcile');
    assert.equal(logs.filter((l) => /rescanned the folder/.test(l)).length, 1);
    assert.ok(
      m
        .snapshot()
        .largest('', 5)
        .some((e) => e.name === 'unseen.bin'),
    );
  });
});
