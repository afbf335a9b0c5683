// The headless command's scan (src/cli/scanPath.ts): on this thread for a small tree, this thread
// and the pool's workers together for a big one when cores are idle, with the same figures either way; the test seams, a busy
// machine and a missing worker bundle keep it synchronous; serve and usage find the worker beside the running script.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveScanWorkers } from '../../src/core/disk/scanInWorker';
import { scanSync, type ScanResult } from '../../src/core/disk/scanner';
import { runCli } from '../../src/cli/run';
import {
  SCAN_MODE_ENV,
  bundledWorkerPath,
  idleCoresMeter,
  idleNow,
  scanForCli,
  scanModeFromEnv,
  scanWorkerPath,
} from '../../src/cli/scanPath';
import { captureIO } from '../support/cli';
import { buildScanWorker } from '../support/scanWorker';

/** FILES small files in folders of 500 under ROOT/a and ROOT/b (half each). */
function tree(files: number): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-cliscan-'));
  for (let i = 0; i < files; i++) {
    const dir = join(root, i % 2 ? 'a' : 'b', `d${Math.floor(i / 500)}`);
    if (i < 1000 || i % 500 < 2) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}`), 'x'.repeat(i % 13));
  }
  return root;
}

function figures(r: ScanResult) {
  const top = r.tree.exact('')!;
  return {
    bytes: top.bytes,
    files: r.tree.get('')!.files,
    a: r.tree.get('a')?.bytes,
    skipped: r.skipped,
    notEntered: r.notEntered,
  };
}

describe('cli scan path (sync for small trees, the worker pool for big ones)', function () {
  this.timeout(60_000);
  let workerDir: string;
  let workerPath: string;
  let small: string;
  let big: string;

  before(() => {
    workerDir = mkdtempSync(join(tmpdir(), 'wu-cliscan-worker-'));
    workerPath = join(workerDir, 'scanWorker.js');
    buildScanWorker(workerPath);
    small = tree(50);
    big = tree(6_000);
  });
  after(() => {
    for (const d of [workerDir, small, big]) rmSync(d, { recursive: true, force: true });
  });

  it('finds the worker bundle beside the running script, and says when there is none', () => {
    assert.equal(scanWorkerPath(workerDir), workerPath);
    assert.equal(bundledWorkerPath(workerDir), workerPath);
    assert.equal(scanWorkerPath(small), undefined, 'no scanWorker.js there');
    // Under the TypeScript loader (these tests) the sources have no bundle beside them.
    assert.equal(scanWorkerPath(), undefined);
  });

  it('a small tree stays on this thread; past the budget the pool takes over, with the same figures', async () => {
    const s = await scanForCli(small, { workerPath, syncBudget: 5_000, idleCores: () => 4, idleNow: () => false });
    assert.equal(s.via, 'sync');
    assert.deepEqual(figures(s), figures(scanSync(small)));
    const progress: number[] = [];
    const b = await scanForCli(big, {
      workerPath,
      syncBudget: 5_000,
      workers: 2,
      idleCores: () => 4,
      idleNow: () => false,
      // Slices longer than the whole walk: the decision comes at the progress point past the
      // budget, with the last 1,000 files still to walk, not at a slice's end.
      firstSliceMs: 1_000,
      onProgress: (n) => progress.push(n),
    });
    assert.equal(b.via, 'pool');
    assert.deepEqual(figures(b), figures(scanSync(big)));
    assert.equal(figures(b).files, 6_000);
    // The count shown goes on from where the synchronous walk stopped, never back.
    assert.ok(
      progress.every((n, i) => i === 0 || n >= progress[i - 1]),
      progress.join(','),
    );
    assert.equal(progress.at(-1), 6_000);
  });

  it('the walk here and the workers share the tree: hard links across their parts count as scanSync counts them', async () => {
    // Every 50th file of b has a second name in a: with the workers joining after 5,000 files, a
    // pair may have one name in the walk on this thread and the other in a worker's (walkHere.test.ts
    // slows the walk here to be sure of it).
    const linked = tree(6_000);
    try {
      for (let i = 0; i < 6_000; i += 100) {
        const from = join(linked, 'b', `d${Math.floor(i / 500)}`, `f${i}`);
        linkSync(from, join(linked, 'a', `d${Math.floor((5_999 - i) / 500)}`, `link${i}`));
      }
      const progress: number[] = [];
      const r = await scanForCli(linked, {
        workerPath,
        syncBudget: 1_000,
        workers: 2,
        idleCores: () => 4,
        idleNow: () => false,
        firstSliceMs: 1_000,
        onProgress: (n) => progress.push(n),
      });
      assert.equal(r.via, 'pool');
      const s = scanSync(linked);
      assert.deepEqual(figures(r), figures(s));
      for (const top of ['a', 'b'])
        for (let d = 0; d < 12; d++)
          assert.equal(r.tree.get(`${top}/d${d}`)?.bytes, s.tree.get(`${top}/d${d}`)?.bytes, `${top}/d${d}`);
      assert.ok(progress[0] >= 5_000 && progress[0] < 6_060, `handed over at ${progress[0]} files`);
      assert.equal(progress.at(-1), 6_060, 'every name once');
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it('goes on walking while the workers start, and lets them go if it finishes first', async () => {
    // Decided at 5,000 files; the last 1,000 take a few milliseconds here, a worker's start-up
    // tens: the walk here ends first (a worker that is up in time takes a share, same figures).
    const r = await scanForCli(big, {
      workerPath,
      syncBudget: 1_000,
      workers: 2,
      idleCores: () => 4,
      idleNow: () => false,
    });
    assert.deepEqual(figures(r), figures(scanSync(big)));
    for (let i = 0; i < 100 && liveScanWorkers() > 0; i++) await new Promise((done) => setTimeout(done, 50));
    assert.equal(liveScanWorkers(), 0, 'no worker left running');
  });

  it('keeps the options on the pool: exclude', async () => {
    const b = await scanForCli(big, {
      workerPath,
      syncBudget: 5_000,
      idleCores: () => 4,
      idleNow: () => true,
      exclude: ['a/d1/**'],
    });
    assert.equal(b.via, 'pool');
    assert.equal(b.tree.get('a/d1')?.bytes ?? 0, 0);
    assert.deepEqual(figures(b), figures(scanSync(big, { exclude: ['a/d1/**'] })));
  });

  it('reads the idle cores beside the walk once, at the switch point', async () => {
    let reads = 0;
    const idleCores = () => {
      reads++;
      return 1;
    };
    // Two progress points (every 5,000 files) past the budget.
    const bigger = tree(11_000);
    try {
      const busy = await scanForCli(bigger, { workerPath, syncBudget: 1_000, idleCores, idleNow: () => false });
      assert.equal(busy.via, 'sync');
      assert.equal(reads, 1, 'decided once: switching later would walk more files twice');
      assert.deepEqual(figures(busy), figures(scanSync(bigger)));
    } finally {
      rmSync(bigger, { recursive: true, force: true });
    }
  });

  it('on an idle machine starts the workers after the first slice: a small tree is done within it', async () => {
    // A first slice long enough for a loaded test machine (the default is 5 ms; 50 files take under 1).
    const s = await scanForCli(small, { workerPath, idleNow: () => true, idleCores: () => 4, firstSliceMs: 1_000 });
    assert.equal(s.via, 'sync');
    assert.deepEqual(figures(s), figures(scanSync(small)));
    // A budget never reached: only the early start can bring the pool in.
    const seenWorkers: number[] = [];
    const b = await scanForCli(big, {
      workerPath,
      syncBudget: 1e9,
      workers: 2,
      idleNow: () => true,
      idleCores: () => 4,
      onProgress: () => seenWorkers.push(liveScanWorkers()),
    });
    assert.ok(seenWorkers[0] > 0, 'workers started by the first progress point, long before any budget');
    assert.deepEqual(figures(b), figures(scanSync(big)));
    for (let i = 0; i < 100 && liveScanWorkers() > 0; i++) await new Promise((done) => setTimeout(done, 50));
    assert.equal(liveScanWorkers(), 0, 'no worker left running');
  });

  it('tells an idle machine from /proc/loadavg: the tasks runnable at this instant besides itself', () => {
    assert.equal(
      idleNow(() => '0.93 1.10 1.20 1/312 4242\n', 2),
      true,
      'only this thread runs',
    );
    assert.equal(
      idleNow(() => '0.93 1.10 1.20 2/312 4242\n', 2),
      false,
      'one other task: 1 core left of 2',
    );
    assert.equal(
      idleNow(() => '7.50 8.00 8.20 3/312 4242\n', 4),
      true,
      '2 of 4 cores left',
    );
    assert.equal(
      idleNow(() => {
        throw new Error('ENOENT');
      }, 2),
      false,
      'not Linux: the budget decides',
    );
    assert.equal(
      idleNow(() => 'garbage', 2),
      false,
    );
  });

  it('measures the cores left to it: all of them minus what other processes used', () => {
    let t = { cores: 2, busyMs: 1_000, ownMs: 300 };
    let now = 0;
    const meter = idleCoresMeter(
      () => t,
      () => now,
    );
    now = 20;
    assert.equal(meter(), 2, 'under five kernel ticks: too short to tell');
    // 200 ms: this process used 1.3 cores (the walk, the kernel for it, V8's helpers), others 0.2.
    now = 200;
    t = { cores: 2, busyMs: 1_000 + 300, ownMs: 300 + 260 };
    assert.ok(Math.abs(meter() - 1.8) < 1e-9);
    // Then others take both cores for 200 ms more: 0.2 * 200 + 2 * 200 over 400 ms = 1.1 cores.
    now = 400;
    t = { cores: 2, busyMs: 1_300 + 400, ownMs: 560 };
    assert.ok(Math.abs(meter() - 0.9) < 1e-9);
    // Own time counted by the process but not in the CPUs' ticks yet: never more than all cores.
    t = { cores: 2, busyMs: 1_000, ownMs: 900 };
    assert.equal(meter(), 2);
  });

  it('the test seams, a forced mode or no worker bundle choose the path whatever the size', async () => {
    const listed: string[] = [];
    const busy = await scanForCli(big, { workerPath, syncBudget: 5_000, idleCores: () => 1, idleNow: () => false });
    assert.equal(busy.via, 'sync', 'no core to spare: the pool would only add its start-up');
    assert.deepEqual(figures(busy), figures(scanSync(big)));
    const hooked = await scanForCli(big, {
      workerPath,
      syncBudget: 5_000,
      idleCores: () => 4,
      idleNow: () => true,
      hooks: { afterList: (rel) => listed.push(rel) },
    });
    assert.equal(hooked.via, 'sync', 'the pool cannot run the seams');
    assert.ok(listed.includes(''));
    assert.equal((await scanForCli(big, { syncBudget: 5_000, idleCores: () => 4 })).via, 'sync', 'no worker bundle');
    assert.equal(
      (await scanForCli(big, { workerPath, syncBudget: 5_000, idleCores: () => 4, idleNow: () => true, mode: 'sync' }))
        .via,
      'sync',
    );
    assert.equal(
      (await scanForCli(big, { workerPath, syncBudget: 5_000, idleCores: () => 0, mode: 'pool' })).via,
      'pool',
      'forced',
    );
    assert.equal((await scanForCli(small, { workerPath, mode: 'pool' })).via, 'pool');
    assert.equal(scanModeFromEnv({ [SCAN_MODE_ENV]: 'pool' }), 'pool');
    assert.equal(scanModeFromEnv({ [SCAN_MODE_ENV]: 'sync' }), 'sync');
    assert.equal(scanModeFromEnv({ [SCAN_MODE_ENV]: 'fast' }), 'auto');
    assert.equal(scanModeFromEnv({}), 'auto');
  });

  it('--one-file-system on the pool: another file system is not entered, and is noted', async function () {
    const mnt = join(small, 'a', 'mnt');
    mkdirSync(mnt, { recursive: true });
    if (spawnSync('mount', ['-t', 'tmpfs', 'none', mnt], { stdio: 'ignore' }).status !== 0) this.skip(); // needs root
    try {
      writeFileSync(join(mnt, 'big.bin'), Buffer.alloc(4096));
      const crossed = await scanForCli(small, { workerPath, mode: 'pool', workers: 2 });
      const x = await scanForCli(small, { workerPath, mode: 'pool', workers: 2, oneFileSystem: true });
      assert.equal(BigInt(crossed.tree.exact('')!.bytes) - BigInt(x.tree.exact('')!.bytes), 4096n);
      assert.deepEqual(x.notEntered, [{ path: 'a/mnt', reason: 'on another file system (--one-file-system)' }]);
      assert.deepEqual(figures(x), figures(scanSync(small, { oneFileSystem: true })));
    } finally {
      spawnSync('umount', ['-l', mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('usage --json is the same through the pool as through scanSync (exclude, exact sums)', async () => {
    const run = async (worker: string, mode: string) => {
      const io = captureIO(big, { workerPath: worker });
      const before = process.env[SCAN_MODE_ENV];
      process.env[SCAN_MODE_ENV] = mode;
      try {
        assert.equal(await runCli(['usage', big, '--json', '--exclude', 'b/d1/**'], io, ''), 0);
      } finally {
        if (before === undefined) delete process.env[SCAN_MODE_ENV];
        else process.env[SCAN_MODE_ENV] = before;
      }
      return io.out;
    };
    const pooled = await run(workerPath, 'pool');
    const sync = await run('', 'auto');
    assert.equal(pooled, sync);
    assert.ok(JSON.parse(pooled).files < 6_000, 'the exclude applied');
  });
});
