// The parallel scan against scanSync: same totals, same figures for every folder and file
// (hard-linked bytes at the same name), on trees with the awkward cases. Two ways: scanInWorker
// with 2 and 3 real workers, and an in-process split where every folder that can be donated is
// (so hard links, non-UTF-8 folders and deep paths are sure to cross between parts).
import { strict as assert } from 'node:assert';
import {
  chmodSync,
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  ftruncateSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeScan } from '../../../src/core/disk/mergeScan';
import { runAll } from '../../../src/core/sched/slices';
import { PartialScan, startUnit, type ScanPart, type WorkUnit } from '../../../src/core/disk/partialScan';
import { defaultScanWorkers, liveScanWorkers, scanInWorker } from '../../../src/core/disk/scanInWorker';
import { scanSync, type ScanOptions } from '../../../src/core/disk/scanner';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import { descendChain, treeFigures } from './fixtures';
import { scanWorkerPath } from '../../support/scanWorker';

const bad = (s: string) => Buffer.concat([Buffer.from(s), Buffer.from([0xff, 0xfe])]);

/** Hard links across top-level folders, symlinks, empty folders, non-UTF-8 names, a sparse file. */
function awkwardTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-par-'));
  for (const d of ['a/deep/er', 'b/x', 'c', 'd/e/f', 'empty/also-empty', 'node_modules/pkg/lib', 'logs'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'a/one.bin'), Buffer.alloc(10_000));
  writeFileSync(join(root, 'a/deep/er/two.bin'), Buffer.alloc(70_000));
  writeFileSync(join(root, 'top.txt'), 'top');
  writeFileSync(join(root, 'node_modules/pkg/lib/index.js'), 'x'.repeat(5000));
  writeFileSync(join(root, 'logs/run.log'), 'log'.repeat(100));
  writeFileSync(join(root, 'd/e/f/run.log'), 'log'.repeat(10));
  // One inode under four top-level folders (and the root), another under two.
  linkSync(join(root, 'a/one.bin'), join(root, 'b/x/one-again.bin'));
  linkSync(join(root, 'a/one.bin'), join(root, 'c/one-c.bin'));
  linkSync(join(root, 'a/one.bin'), join(root, 'd/e/one-d.bin'));
  linkSync(join(root, 'a/one.bin'), join(root, 'one-root.bin'));
  linkSync(join(root, 'a/deep/er/two.bin'), join(root, 'b/two-b.bin'));
  linkSync(join(root, 'a/deep/er/two.bin'), join(root, 'a/two-a.bin'));
  symlinkSync(join(root, 'a/one.bin'), join(root, 'c/link-to-file'));
  symlinkSync(join(root, 'a'), join(root, 'b/link-to-dir'));
  symlinkSync(root, join(root, 'd/loop'));
  const fd = openSync(join(root, 'c/sparse.img'), 'w');
  ftruncateSync(fd, 20 * 1024 * 1024);
  closeSync(fd);
  // Names that are not valid UTF-8: a file at the root, a folder with files and a subfolder
  // (its path must reach other workers as bytes), and a hard link inside it.
  writeFileSync(Buffer.concat([bad(`${root}/bad-`), Buffer.from('.dat')]), 'seven!!');
  const badDir = bad(`${root}/dir-`);
  mkdirSync(badDir);
  mkdirSync(Buffer.concat([badDir, Buffer.from('/sub')]));
  writeFileSync(Buffer.concat([badDir, Buffer.from('/inside.txt')]), 'inside');
  writeFileSync(Buffer.concat([badDir, Buffer.from('/sub/'), bad('deeper-')]), 'deeper!');
  linkSync(join(root, 'a/deep/er/two.bin'), Buffer.concat([badDir, Buffer.from('/sub/two-bad.bin')]));
  return root;
}

/** Most files in one folder's subtree, a few elsewhere. */
function lopsidedTree(files = 3000): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-lop-'));
  for (let i = 0; i < files; i++) {
    const dir = join(root, 'node_modules', `p${i % 60}`, i % 3 ? 'lib' : 'dist');
    if (i < 180) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.js`), 'x'.repeat(i % 700));
  }
  for (const d of ['src', 'docs']) {
    mkdirSync(join(root, d));
    writeFileSync(join(root, d, 'a.txt'), d);
  }
  linkSync(join(root, 'node_modules/p1/lib/f1.js'), join(root, 'src/f1-link.js'));
  linkSync(join(root, 'node_modules/p1/lib/f1.js'), join(root, 'node_modules/p58/lib/f1-link.js'));
  return root;
}

/**
 * A chain 1,700 levels deep (3,400-byte paths, re-rooted at /proc/self/fd) that fans out into
 * folders with files and a further 2,000 levels, beside ordinary folders.
 */
function deepTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-pardeep-'));
  mkdirSync(join(root, 'deep'));
  mkdirSync(join(root, 'side/x'), { recursive: true });
  writeFileSync(join(root, 'side/x/s.txt'), 'side');
  let fd = openSync(join(root, 'deep'), constants.O_RDONLY | constants.O_DIRECTORY);
  fd = descendChain(fd, 1700);
  for (let k = 0; k < 5; k++) {
    mkdirSync(`/proc/self/fd/${fd}/fan${k}/g`, { recursive: true });
    writeFileSync(`/proc/self/fd/${fd}/fan${k}/file.txt`, 'f'.repeat(k + 1));
    writeFileSync(`/proc/self/fd/${fd}/fan${k}/g/leaf.txt`, 'leaf');
  }
  writeFileSync(`/proc/self/fd/${fd}/at-fan.txt`, 'fan');
  const fan = fd;
  fd = openSync(`/proc/self/fd/${fan}/fan0`, constants.O_RDONLY | constants.O_DIRECTORY);
  fd = descendChain(fd, 2000);
  writeFileSync(`/proc/self/fd/${fd}/bottom.txt`, 'bottom!');
  closeSync(fd);
  closeSync(fan);
  return root;
}

/**
 * The parallel walk in-process with `parts` scanners: a scanner gives away every folder it may at
 * every step; donated units are cloned (as postMessage does) and handed round-robin.
 */
function splitScan(
  root: string,
  parts: number,
  options: ScanOptions = {},
): { tree: SizeTree; skipped: ScanPart['skipped']; donated: WorkUnit[]; files: number[] } {
  const queues: WorkUnit[][] = Array.from({ length: parts }, () => []);
  const donated: WorkUnit[] = [];
  let next = 0;
  const scanners = Array.from(
    { length: parts },
    (_, id) =>
      new PartialScan(options.exclude ?? [], {
        wantsWork: () => true,
        donate: (units) => {
          for (const u of structuredClone(units)) {
            donated.push(u);
            next = (next + 1) % parts;
            if (next === id) next = (next + 1) % parts;
            queues[next].push(u);
          }
        },
        pending: () => undefined,
        progress: () => undefined,
      }),
  );
  queues[0].push(startUnit(root, options.relPath ?? ''));
  for (let busy = true; busy;) {
    busy = false;
    for (let id = 0; id < parts; id++) {
      if (queues[id].length === 0) continue;
      busy = true;
      scanners[id].run(queues[id].splice(0));
    }
  }
  const results = scanners.map((s) => s.finish());
  return {
    // The merge scanInWorker runs (each part's arrays adopted as they are).
    tree: runAll(mergeScan(root, results)).tree,
    skipped: results.flatMap((r) => r.skipped),
    donated,
    files: results.map((r) => r.files),
  };
}

/** After a scan resolves its workers are let go (not waited for): they leave soon after. */
async function workersGone(): Promise<void> {
  for (let i = 0; i < 200 && liveScanWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(liveScanWorkers(), 0, 'no scan worker left running');
}

const sortSkipped = (s: ScanPart['skipped']) => [...s].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

describe('parallel scan', () => {
  let workerPath: string;
  let awkward: string;
  let lopsided: string;
  before(function () {
    this.timeout(120_000);
    // Worker threads do not inherit the test's TypeScript loader: the worker runs bundled.
    workerPath = scanWorkerPath();
    awkward = awkwardTree();
    lopsided = lopsidedTree();
  });

  it('defaults to min(availableParallelism, 4) workers', () => {
    assert.ok(defaultScanWorkers() >= 1 && defaultScanWorkers() <= 4);
  });

  for (const workers of [2, 3]) {
    it(`with ${workers} workers equals scanSync on hard links across top-level folders, symlinks, empty and non-UTF-8 folders`, async () => {
      const expected = scanSync(awkward);
      const actual = await scanInWorker(awkward, { workerPath, workers });
      assert.deepEqual(treeFigures(actual.tree), treeFigures(expected.tree));
      assert.deepEqual(actual.skipped, []);
      assert.equal(actual.tree.total().files, 10); // one.bin, two.bin, top, index.js, 2 logs, sparse, bad-, inside, deeper-
      await workersGone();
    });

    it(`with ${workers} workers equals scanSync on a lopsided tree`, async () => {
      const progress: number[] = [];
      const actual = await scanInWorker(lopsided, { workerPath, workers, onProgress: (n) => progress.push(n) });
      assert.deepEqual(treeFigures(actual.tree), treeFigures(scanSync(lopsided).tree));
      assert.equal(progress[progress.length - 1], 3004, 'the last progress is every file name counted');
    });

    it(`with ${workers} workers applies exclude globs and relPath as scanSync does`, async () => {
      for (const options of [
        { exclude: ['node_modules', '*.log'] },
        { relPath: 'a' },
        { relPath: 'd/e', exclude: ['f'] },
        { relPath: 'missing' },
      ]) {
        const actual = await scanInWorker(awkward, { workerPath, workers, ...options });
        assert.deepEqual(
          treeFigures(actual.tree),
          treeFigures(scanSync(awkward, options).tree),
          JSON.stringify(options),
        );
      }
    });
  }

  it('one worker is scanSync in a worker', async () => {
    assert.deepEqual(
      treeFigures((await scanInWorker(awkward, { workerPath, workers: 1 })).tree),
      treeFigures(scanSync(awkward).tree),
    );
  });

  it('split at every folder, the merged tree equals scanSync (hard-linked bytes at the same name)', () => {
    for (const parts of [2, 3, 5]) {
      for (const [root, options] of [
        [awkward, {}],
        [lopsided, {}],
        [awkward, { exclude: ['node_modules', '*.log'] }],
        [lopsided, { relPath: 'node_modules' }],
      ] as Array<[string, ScanOptions]>) {
        const split = splitScan(root, parts, options);
        assert.ok(split.donated.length > 0);
        assert.ok(split.files.filter((n) => n > 0).length > 1, 'files were found by more than one part');
        assert.deepEqual(
          treeFigures(split.tree),
          treeFigures(scanSync(root, options).tree),
          `${parts} parts, ${root} ${JSON.stringify(options)}`,
        );
      }
    }
    // The folder with a non-UTF-8 name crossed as raw bytes.
    const crossed = splitScan(awkward, 2).donated.filter((u) => typeof u.path !== 'string');
    assert.ok(crossed.length > 0, 'a folder with a non-UTF-8 name was donated');
  });

  it('the merged tree keeps the link groups: names removed later still count each inode once', async () => {
    const root = awkwardTree();
    const { tree } = await scanInWorker(root, { workerPath, workers: 3 });
    for (const name of ['a/one.bin', 'one-root.bin', 'a/two-a.bin', 'c/one-c.bin']) {
      unlinkSync(join(root, name));
      tree.applyUnlink(name);
      assert.deepEqual(tree.total(), scanSync(root).tree.total(), `after removing ${name}`);
    }
  });

  it('walks deep paths (re-rooted at /proc/self/fd) and never donates a re-rooted folder', async function () {
    this.timeout(60_000);
    const root = deepTree();
    const expected = treeFigures(scanSync(root).tree);
    const fds = readdirSync('/proc/self/fd').length;
    const split = splitScan(root, 3);
    assert.ok(
      split.donated.every((u) => Buffer.byteLength(typeof u.path === 'string' ? u.path : Buffer.from(u.path)) < 4096),
    );
    assert.ok(split.donated.every((u) => !String(u.path).startsWith('/proc/self/fd')));
    assert.deepEqual(treeFigures(split.tree), expected);
    assert.deepEqual(split.skipped, []);
    assert.equal(readdirSync('/proc/self/fd').length, fds, 'the folders opened were closed');
    for (const workers of [2, 3])
      assert.deepEqual(treeFigures((await scanInWorker(root, { workerPath, workers })).tree), expected);
    assert.equal(
      scanSync(root).tree.get(
        `deep/${Array(1700).fill('d').join('/')}/fan0/${Array(2000).fill('d').join('/')}/bottom.txt`,
      )!.bytes,
      7,
    );
  });

  it('reports the union of unreadable folders', async function () {
    if (process.getuid?.() === 0) this.skip(); // root reads everything
    const root = lopsidedTree(200);
    for (const d of ['node_modules/p3', 'node_modules/p7/lib', 'src']) chmodSync(join(root, d), 0);
    try {
      const expected = sortSkipped(scanSync(root).skipped);
      assert.equal(expected.length, 3);
      for (const workers of [2, 3])
        assert.deepEqual(sortSkipped((await scanInWorker(root, { workerPath, workers })).skipped), expected);
      assert.deepEqual(sortSkipped(splitScan(root, 3).skipped), expected);
    } finally {
      for (const d of ['node_modules/p3', 'node_modules/p7/lib', 'src']) chmodSync(join(root, d), 0o755);
    }
  });

  describe('cancellation', () => {
    let big: string;
    before(function () {
      this.timeout(120_000);
      big = lopsidedTree(30_000);
    });
    after(() => rmSync(big, { recursive: true, force: true }));

    for (const workers of [1, 2, 3]) {
      it(`aborting a scan with ${workers} worker(s) rejects and leaves no worker running`, async () => {
        // At once, while the workers start.
        const now = new AbortController();
        const first = scanInWorker(big, { workerPath, workers, signal: now.signal });
        now.abort();
        await assert.rejects(first, /scan cancelled/);
        assert.equal(liveScanWorkers(), 0);
        // At the first progress report, mid-walk.
        const mid = new AbortController();
        let reports = 0;
        const second = scanInWorker(big, {
          workerPath,
          workers,
          signal: mid.signal,
          onProgress: () => (reports++, mid.abort()),
        });
        await assert.rejects(second, /scan cancelled/);
        assert.equal(reports, 1, 'no progress after the abort');
        assert.equal(liveScanWorkers(), 0);
        // Already aborted: no worker starts.
        await assert.rejects(scanInWorker(big, { workerPath, workers, signal: AbortSignal.abort() }), /scan cancelled/);
        assert.equal(liveScanWorkers(), 0);
      });
    }
  });
});
