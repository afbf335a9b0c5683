// The full scan in a child process: the tree that comes back (in a file the host names and
// removes, or through the pipe when that file cannot be written) is the one the synchronous scan builds (per folder, hard links counted once, then kept up to date by events);
// a cancelled scan kills the child; a child that dies or sends damage is an error naming why; a
// missing bundle is "unavailable" (the monitor then scans in worker threads).
import { strict as assert } from 'node:assert';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  utimesSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskTracker } from '../../../src/core/disk/diskTracker';
import { scanSync } from '../../../src/core/disk/scanner';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import {
  childEnv,
  ScanProcessUnavailable,
  scanInProcess,
  scanProcesses,
  type StoreOutcome,
} from '../../../src/core/monitor/scanInProcess';
import { STALE_PARTS_MS } from '../../../src/core/monitor/staleParts';
import { loadTreeSnapshot } from '../../../src/core/monitor/treeSnapshot';
import { BACKGROUND_NICE } from '../../../src/core/sched/priority';
import { scanProcessPath } from '../../support/scanWorker';
import { threadNices } from '../../support/threads';
import { folderSummary } from '../../support/treeSummary';
import { until } from '../../support/folderMonitor';

function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-process-scan-'));
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(root, `d${d}/inner`), { recursive: true });
    for (let f = 0; f < 40; f++) writeFileSync(join(root, `d${d}/${f}.bin`), Buffer.alloc(d * 100 + f));
    writeFileSync(join(root, `d${d}/inner/é ü ${d}.txt`), 'x'.repeat(d));
  }
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(300_000));
  linkSync(join(root, 'big.bin'), join(root, 'd3/big-again.bin'));
  return root;
}

/** A stand-in child (run by fork) that does what `body` says instead of scanning. */
function fakeChild(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wu-fake-child-')), 'child.js');
  writeFileSync(file, `process.once('message', (request) => { ${body} });\n`);
  return file;
}

describe('scan in a child process', function () {
  this.timeout(60_000);

  it('brings back the tree the synchronous scan builds, hard links counted once, and it stays live', async () => {
    const root = fixture();
    const progress: number[] = [];
    const result = await scanInProcess(root, {
      processPath: scanProcessPath(),
      exclude: [],
      onProgress: (files) => progress.push(files),
    });
    const expected = scanSync(root).tree;
    assert.deepEqual(folderSummary(result.tree), folderSummary(expected));
    assert.equal(result.tree.total().files, 30 * 41 + 1, 'big.bin and its second name are one file');
    assert.deepEqual(result.skipped, []);
    // The log's account of the time (bench/editor.ts reads the walk from it): the walk, when the
    // parts were sent, after it, and the build here.
    const times = /, its walk (\d+) ms; its parts sent (\d+) ms after the start, made one tree here in (\d+) ms$/.exec(
      result.via ?? '',
    );
    assert.ok(times, result.via);
    const [walk, sent, built] = times.slice(1).map(Number);
    assert.ok(walk <= sent && sent + built <= Math.ceil(result.durationMs) + 1, result.via);
    // Events after the scan: a new name for the linked inode adds no bytes, a removal takes its own.
    const tracker = new DiskTracker(root, { tree: result.tree, delayMs: 0 });
    linkSync(join(root, 'big.bin'), join(root, 'd4/third.bin'));
    writeFileSync(join(root, 'd5/new.bin'), Buffer.alloc(1234));
    tracker.enqueue('add', join(root, 'd4/third.bin'));
    tracker.enqueue('add', join(root, 'd5/new.bin'));
    tracker.flush();
    assert.deepEqual(folderSummary(tracker.tree), folderSummary(scanSync(root).tree));
    await until(() => scanProcesses().live === 0, 'the child to exit');
  });

  it('takes the tree from a file it names and removes, or from the pipe when the file cannot be written', async () => {
    const root = fixture();
    const expected = folderSummary(scanSync(root).tree);
    const partsDir = mkdtempSync(join(tmpdir(), 'wu-parts-'));
    const made: string[] = [];
    const watcher = watch(partsDir, (_event, name) => {
      if (name) made.push(name);
    });
    try {
      const viaFile = await scanInProcess(root, { processPath: scanProcessPath(), exclude: [], partsDir });
      assert.deepEqual(folderSummary(viaFile.tree), expected);
      await until(() => readdirSync(partsDir).length === 0, 'the parts file to be removed');
      assert.ok(
        made.some((name) => /^workspace-usage-scan-[0-9a-f-]+\.parts$/.test(name)),
        `a parts file was written (${made.join(', ')})`,
      );
    } finally {
      watcher.close();
    }
    // A folder that is not there: the child cannot create the file and sends the tree on the pipe.
    const viaPipe = await scanInProcess(root, {
      processPath: scanProcessPath(),
      exclude: [],
      partsDir: join(partsDir, 'not-there'),
    });
    assert.deepEqual(folderSummary(viaPipe.tree), expected);
  });

  it("runs under an editor's own executable as Node (ELECTRON_RUN_AS_NODE), without the host's flags", async () => {
    // Desktop VS Code's extension host is Electron: fork() runs process.execPath, which is Node
    // only with ELECTRON_RUN_AS_NODE=1, and Electron's own flags are not Node's. A stand-in
    // executable refuses to run otherwise, or with any flag before the script, as Electron would
    // misread it; Electron itself cannot be downloaded here.
    const dir = mkdtempSync(join(tmpdir(), 'wu-electron-'));
    const electron = join(dir, 'electron');
    writeFileSync(
      electron,
      [
        '#!/bin/sh',
        '[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "not run as node" >&2; exit 9; }',
        'case "$1" in -*) echo "flag before the script: $1" >&2; exit 8;; esac',
        `exec ${JSON.stringify(process.execPath)} "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(electron, 0o755);
    const root = fixture();
    const hostExec = process.execPath;
    process.execPath = electron;
    try {
      const result = await scanInProcess(root, { processPath: scanProcessPath(), exclude: [] });
      assert.deepEqual(folderSummary(result.tree), folderSummary(scanSync(root).tree));
    } finally {
      process.execPath = hostExec;
    }
  });

  it('starts the child without the certificate bundle Node would load for nothing', async () => {
    const env = childEnv({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', LANG: 'C' });
    assert.deepEqual(env, { PATH: '/bin', LANG: 'C', ELECTRON_RUN_AS_NODE: '1' });
    // And a real fork gets it: the stand-in child says what it was given.
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = join(tmpdir(), 'no-such-bundle.pem');
    try {
      const tells = fakeChild(
        "process.send({ type: 'error', message: 'bundle=' + String(process.env.NODE_EXTRA_CA_CERTS) + ' electron=' + process.env.ELECTRON_RUN_AS_NODE }, undefined, undefined, () => process.exit(1));",
      );
      await assert.rejects(
        scanInProcess(fixture(), { processPath: tells, exclude: [] }),
        /^Error: bundle=undefined electron=1$/,
      );
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  });

  it('honours excludes as the scan does', async () => {
    const root = fixture();
    const result = await scanInProcess(root, { processPath: scanProcessPath(), exclude: ['d1*/**', '**/inner/**'] });
    assert.deepEqual(
      folderSummary(result.tree),
      folderSummary(scanSync(root, { exclude: ['d1*/**', '**/inner/**'] }).tree),
    );
  });

  it('writes the stored copy when asked, after the tree came back', async () => {
    const root = fixture();
    const dir = join(mkdtempSync(join(tmpdir(), 'wu-process-store-')), 'deep', 'er');
    let outcome: StoreOutcome | undefined;
    const result = await scanInProcess(root, {
      processPath: scanProcessPath(),
      exclude: [],
      store: { dir, fingerprint: 'fp-1' },
      onStored: (o) => (outcome = o),
    });
    await until(() => outcome !== undefined, 'the stored copy');
    assert.deepEqual(outcome, { stored: true, at: outcome!.stored ? outcome!.at : 0, files: 30 * 41 + 2 });
    const stored = await loadTreeSnapshot(dir, root, 'fp-1', (m) => assert.fail(m));
    assert.ok(stored, 'a snapshot that loads with its checksum');
    assert.deepEqual(folderSummary(SizeTree.deserialize(root, stored.tree)), folderSummary(result.tree));
  });

  it('says why the stored copy could not be written', async () => {
    const root = fixture();
    let outcome: StoreOutcome | undefined;
    await scanInProcess(root, {
      processPath: scanProcessPath(),
      exclude: [],
      store: { dir: join(root, 'big.bin', 'below-a-file'), fingerprint: 'fp' },
      onStored: (o) => (outcome = o),
    });
    await until(() => outcome !== undefined, 'the outcome');
    assert.equal(outcome!.stored, false);
    assert.match(outcome!.stored ? '' : outcome!.reason, /ENOTDIR|EEXIST/);
  });

  it('kills the child when cancelled', async () => {
    const root = fixture();
    const abort = new AbortController();
    const slow = fakeChild('setTimeout(() => process.exit(0), 30000);');
    const before = scanProcesses().started;
    const scan = scanInProcess(root, { processPath: slow, exclude: [], signal: abort.signal });
    await until(() => scanProcesses().started === before + 1, 'the child to start');
    setTimeout(() => abort.abort(), 200);
    await assert.rejects(scan, /scan cancelled/);
    await until(() => scanProcesses().live === 0, 'the cancelled child to exit', 5000);
  });

  it('starts a scan not in the background at the normal priority and drops it when told', async function () {
    if (!existsSync('/proc/self/task')) this.skip();
    // A child with a worker thread that says its pid (as progress) once the thread runs, and waits.
    const child = fakeChild(
      "const { Worker } = require('node:worker_threads'); new Worker('setTimeout(() => {}, 30000)', { eval: true }).on('online', () => process.send({ type: 'progress', files: process.pid }));",
    );
    const start = (background: boolean) => {
      const seen = { pid: 0, subscribed: 0, unsubscribed: 0, lower: undefined as (() => void) | undefined };
      const scan = scanInProcess(fixture(), {
        processPath: child,
        exclude: [],
        background,
        onProgress: (files) => (seen.pid = files),
        onYield: (lower) => {
          seen.subscribed++;
          seen.lower = lower;
          return () => seen.unsubscribed++;
        },
      });
      const ended = assert.rejects(scan, /killed by SIGTERM/);
      return { seen, ended };
    };

    const told = start(false);
    await until(() => told.seen.pid !== 0, 'the child and its worker thread to run');
    const threads = threadNices(told.seen.pid);
    assert.ok(threads.length >= 3, `threads: ${threads.length}`);
    assert.deepEqual(
      threads,
      threads.map(() => 0),
      'the normal priority at the start',
    );
    told.seen.lower!();
    assert.deepEqual(
      threadNices(told.seen.pid),
      threads.map(() => BACKGROUND_NICE),
      'every thread dropped',
    );
    assert.equal(told.seen.unsubscribed, 1, 'once told, it stops listening');
    process.kill(told.seen.pid);
    await told.ended;
    assert.equal(told.seen.unsubscribed, 1);

    // Never told: it stops listening when the child is gone.
    const untold = start(false);
    await until(() => untold.seen.pid !== 0, 'the second child to run');
    process.kill(untold.seen.pid);
    await untold.ended;
    assert.deepEqual([untold.seen.subscribed, untold.seen.unsubscribed], [1, 1]);

    // In the background from the start: never asked, and lowered at once by the child itself.
    const background = start(true);
    await until(() => background.seen.pid !== 0, 'the background child to run');
    assert.equal(background.seen.subscribed, 0);
    process.kill(background.seen.pid);
    await background.ended;
  });

  it('names how a child died, with its last words', async () => {
    const dies = fakeChild("process.stderr.write('out of luck\\n'); process.exit(3);");
    await assert.rejects(
      scanInProcess(fixture(), { processPath: dies, exclude: [] }),
      /scan process exited \(3\) before sending its tree: out of luck/,
    );
  });

  it('reports a folder it could not read as the scan does', async () => {
    const root = join(fixture(), 'not-there');
    const result = await scanInProcess(root, { processPath: scanProcessPath(), exclude: [] });
    assert.deepEqual(result.skipped, scanSync(root).skipped);
    assert.deepEqual(result.skipped, [{ path: '.', reason: 'ENOENT' }]);
  });

  it('passes on the error a scan failed with', async () => {
    const fails = fakeChild(
      "process.send({ type: 'error', message: 'EMFILE: too many open files' }, undefined, undefined, () => process.exit(1));",
    );
    await assert.rejects(
      scanInProcess(fixture(), { processPath: fails, exclude: [] }),
      /^Error: EMFILE: too many open files$/,
    );
  });

  it('refuses a damaged tree instead of using it', async () => {
    const liar = fakeChild(
      "process.send({ type: 'done', skipped: [], notEntered: [], via: 'sync' }); const n = Buffer.alloc(8); n.writeDoubleLE(16); process.stdout.write(Buffer.concat([n, Buffer.from('WUTREE\\nnonsense!')]), () => process.disconnect());",
    );
    await assert.rejects(scanInProcess(fixture(), { processPath: liar, exclude: [] }), /damaged tree/);
    // Part lengths that do not make the body, and folders to empty that are not paths.
    for (const extra of ['parts: [4, 4]', "parts: [16], drop: [{ path: 'x' }]"]) {
      const parts = fakeChild(
        `process.send({ type: 'done', skipped: [], notEntered: [], via: 'sync', ${extra} }); const n = Buffer.alloc(8); n.writeDoubleLE(16); process.stdout.write(Buffer.concat([n, Buffer.from('WUTREE\\nnonsense!')]), () => process.disconnect());`,
      );
      await assert.rejects(scanInProcess(fixture(), { processPath: parts, exclude: [] }), /damaged tree \(its/, extra);
    }
    const tooMuch = fakeChild(
      'const n = Buffer.alloc(8); n.writeDoubleLE(4); process.stdout.write(Buffer.concat([n, Buffer.alloc(64)]), () => process.disconnect());',
    );
    await assert.rejects(scanInProcess(fixture(), { processPath: tooMuch, exclude: [] }), /more than it announced/);
    const tooBig = fakeChild(
      'const n = Buffer.alloc(8); n.writeDoubleLE(2 ** 40); process.stdout.write(n, () => setTimeout(() => process.exit(0), 5000));',
    );
    await assert.rejects(scanInProcess(fixture(), { processPath: tooBig, exclude: [] }), /damaged tree \(length\)/);
  });

  it('refuses a parts file that is missing or damaged, and removes what is there', async () => {
    const partsDir = mkdtempSync(join(tmpdir(), 'wu-parts-'));
    const missing = fakeChild(
      "process.send({ type: 'done', skipped: [], notEntered: [], via: 'sync', inFile: true }, undefined, undefined, () => process.disconnect());",
    );
    await assert.rejects(
      scanInProcess(fixture(), { processPath: missing, exclude: [], partsDir }),
      /the scan's tree could not be read: .*ENOENT/,
    );
    const damaged = fakeChild(
      "require('fs').writeFileSync(request.partsFile, 'WUTREE\\nnonsense!'); process.send({ type: 'done', skipped: [], notEntered: [], via: 'sync', parts: [16], inFile: true }, undefined, undefined, () => process.disconnect());",
    );
    await assert.rejects(scanInProcess(fixture(), { processPath: damaged, exclude: [], partsDir }), /damaged tree/);
    await until(() => readdirSync(partsDir).length === 0, 'the damaged parts file to be removed');
    // Cancelled after the child wrote it: removed too.
    const slow = fakeChild(
      "require('fs').writeFileSync(request.partsFile, 'x'); process.send({ type: 'progress', files: 1 }); setTimeout(() => process.exit(0), 30000);",
    );
    const controller = new AbortController();
    const scan = scanInProcess(fixture(), {
      processPath: slow,
      exclude: [],
      partsDir,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(scan, /cancelled/);
    await until(() => readdirSync(partsDir).length === 0, 'the parts file of a cancelled scan to be removed');
  });

  it('says "unavailable" when the bundle is missing, so the caller can scan another way', async () => {
    await assert.rejects(
      scanInProcess(fixture(), { processPath: join(tmpdir(), 'no-such-dir', 'scanProcess.js'), exclude: [] }),
      (error: unknown) => error instanceof ScanProcessUnavailable && /is missing/.test(error.message),
    );
  });

  it("has the child sweep the parts folder once it sent the tree (the host's first scan)", async () => {
    const root = fixture();
    const partsDir = mkdtempSync(join(tmpdir(), 'wu-parts-sweep-'));
    const leftover = join(partsDir, 'workspace-usage-scan-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.parts');
    writeFileSync(leftover, Buffer.alloc(4096));
    const hoursAgo = (Date.now() - 2 * STALE_PARTS_MS) / 1000;
    utimesSync(leftover, hoursAgo, hoursAgo);
    const result = await scanInProcess(root, { processPath: scanProcessPath(), exclude: [], partsDir });
    assert.deepEqual(folderSummary(result.tree), folderSummary(scanSync(root).tree));
    await until(() => !existsSync(leftover), 'the leftover parts file to be removed');
    await until(() => readdirSync(partsDir).length === 0, "the scan's own parts file to be removed");
  });
});
