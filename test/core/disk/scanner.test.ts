// The scanner's totals against an independent reference: `find -type f` with inode
// de-duplication, on trees with the awkward cases.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  ftruncateSync,
  symlinkSync,
  writeFileSync,
  appendFileSync,
  unlinkSync,
  statSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../../../src/core/config/settings';
import { computeUsage } from '../../../src/core/disk/areas';
import { DiskTracker } from '../../../src/core/disk/diskTracker';
import { ScanTooLarge, scanSync } from '../../../src/core/disk/scanner';
import { descendChain } from './fixtures';

function reference(dir: string): { bytes: number; allocated: number; files: number } {
  const out = execFileSync('find', [dir, '-type', 'f', '-printf', '%D %i %s %b\\n'], { maxBuffer: 1 << 28 }).toString();
  const seen = new Set<string>();
  let bytes = 0;
  let allocated = 0;
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [dev, ino, size, blocks] = line.split(' ');
    if (seen.has(`${dev}:${ino}`)) continue;
    seen.add(`${dev}:${ino}`);
    bytes += Number(size);
    allocated += Number(blocks) * 512;
  }
  return { bytes, allocated, files: seen.size };
}

function awkwardTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-scan-'));
  mkdirSync(join(root, 'work/sub'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'work/a.txt'), 'x'.repeat(1000));
  writeFileSync(join(root, 'work/sub/b.bin'), Buffer.alloc(12345));
  linkSync(join(root, 'work/a.txt'), join(root, 'work/hardlink.txt'));
  linkSync(join(root, 'work/sub/b.bin'), join(root, 'hard-b.bin'));
  symlinkSync(join(root, 'work/sub/b.bin'), join(root, 'link-to-file'));
  symlinkSync(join(root, 'work'), join(root, 'link-to-dir'));
  symlinkSync(root, join(root, 'work/loop'));
  const fd = openSync(join(root, 'sparse.img'), 'w');
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  // A name that is not valid UTF-8.
  writeFileSync(
    Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.dat')]),
    'seven!!',
  );
  // A 10,000-level deep chain: 20,000 bytes of path, far past PATH_MAX (4096).
  deepChain(join(root, 'deep'), 10_000);
  return root;
}

/** mkdir d/d/d/... `depth` levels below `dir` plus a leaf file, via /proc/self/fd so paths stay short. */
function deepChain(dir: string, depth: number): void {
  mkdirSync(dir);
  const fd = descendChain(openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY), depth);
  writeFileSync(`/proc/self/fd/${fd}/leaf.txt`, 'deep\n');
  closeSync(fd);
}

describe('scanSync', () => {
  let root: string;
  before(function () {
    this.timeout(120_000);
    root = awkwardTree();
  });

  it('matches find -type f with inode de-duplication, to the byte', () => {
    const ref = reference(root);
    const total = scanSync(root).tree.total();
    assert.equal(total.bytes, ref.bytes);
    assert.equal(total.allocatedBytes, ref.allocated);
    assert.equal(total.files, ref.files);
  });

  it('walks a 10,000-level deep chain (20,000-byte paths) without overflowing or skipping it', () => {
    const { tree, skipped } = scanSync(root);
    assert.deepEqual(skipped, []);
    const deep = tree.get('deep')!;
    assert.equal(deep.files, 1);
    assert.equal(deep.bytes, 5);
    const leaf = `deep/${Array(10_000).fill('d').join('/')}/leaf.txt`;
    assert.deepEqual(tree.get(leaf), { bytes: 5, allocatedBytes: deep.allocatedBytes, files: 1, isDirectory: false });
    assert.equal(readdirSync('/proc/self/fd').length < 100, true, 'the scan closed the folders it opened');
  });

  it('counts the file whose name is not valid UTF-8', () => {
    const tree = scanSync(root).tree;
    const bad = tree.children('').find((c) => c.name.startsWith('bad-'));
    assert.ok(bad, 'the non-UTF-8 file is in the tree');
    assert.equal(bad!.bytes, 7);
  });

  it('gives up with ScanTooLarge past maxEntries (files and folders), and not at it', () => {
    const small = mkdtempSync(join(tmpdir(), 'wu-max-entries-'));
    try {
      mkdirSync(join(small, 'a', 'b'), { recursive: true });
      for (const f of ['x', 'a/y', 'a/b/z']) writeFileSync(join(small, f), f);
      assert.equal(scanSync(small, { maxEntries: 5 }).tree.total().files, 3, 'five entries fit a bound of 5');
      assert.throws(() => scanSync(small, { maxEntries: 4 }), ScanTooLarge);
      assert.throws(() => scanSync(root, { maxEntries: 1000 }), ScanTooLarge, 'the deep chain is far past it');
      assert.equal(readdirSync('/proc/self/fd').length < 100, true, 'the walk given up closed its folders');
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });

  it('areas plus other add up to the folder total', () => {
    const usage = computeUsage(scanSync(root).tree, defaultSettings(), root);
    const areaBytes = usage.areas.reduce((n, a) => n + a.bytes, 0);
    assert.equal(areaBytes + usage.other.bytes, usage.totalBytes);
    // A hard-linked inode counts once, at the first name the scan meets (here b.bin's root link).
    assert.ok([1000, 1000 + 12345].includes(usage.areas.find((a) => a.name === 'work')!.bytes));
  });
});

describe('DiskTracker', () => {
  it('stays equal to a fresh scan after a random sequence of changes', function () {
    this.timeout(60_000);
    const root = mkdtempSync(join(tmpdir(), 'wu-track-'));
    mkdirSync(join(root, 'work'));
    const tracker = new DiskTracker(root, { tree: scanSync(root).tree });
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 300; i++) {
      const file = join(root, 'work', `f${rand(20)}`);
      const exists = (() => {
        try {
          return statSync(file).isFile();
        } catch {
          return false;
        }
      })();
      const op = rand(3);
      if (op === 0 && exists) {
        unlinkSync(file);
        tracker.enqueue('unlink', file);
      } else if (exists) {
        appendFileSync(file, Buffer.alloc(rand(5000)));
        tracker.enqueue('change', file);
      } else {
        writeFileSync(file, Buffer.alloc(rand(5000)));
        tracker.enqueue('add', file);
      }
      if (rand(10) === 0) tracker.flush();
    }
    tracker.flush();
    assert.deepEqual(tracker.tree.total(), scanSync(root).tree.total());
    tracker.dispose();
  });
});
