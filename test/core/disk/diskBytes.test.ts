// The on-disk figure against `du -sB1` (allocated blocks of files and of folders, hard links once):
// a scan, a parallel scan's merge, a serialize round trip and the areas' report all agree with it.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../../../src/core/config/settings';
import { computeUsage } from '../../../src/core/disk/areas';
import { mergeScan } from '../../../src/core/disk/mergeScan';
import { runAll } from '../../../src/core/sched/slices';
import { PartialScan, startUnit } from '../../../src/core/disk/partialScan';
import { scanSync } from '../../../src/core/disk/scanner';
import { SizeTree } from '../../../src/core/disk/sizeTree';

function duB1(path: string): number {
  return Number(execFileSync('du', ['-sB1', path]).toString().split('\t')[0]);
}

function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'wu-du-'));
  for (const d of ['work/a/b/c', 'work/empty', 'production/x', 'sessions/s1/work'])
    mkdirSync(join(root, d), { recursive: true });
  // Many names make a folder's own inode grow past one block on most file systems.
  for (let i = 0; i < 300; i++)
    writeFileSync(join(root, 'work/a', `file-with-a-long-name-${i}.txt`), 'x'.repeat(i * 37));
  writeFileSync(join(root, 'production/x/big.bin'), Buffer.alloc(200_000, 1));
  linkSync(join(root, 'production/x/big.bin'), join(root, 'work/a/b/c/link.bin'));
  linkSync(join(root, 'production/x/big.bin'), join(root, 'sessions/s1/work/link2.bin'));
  // A sparse file: 64 MiB apparent, one 4 KiB block written.
  const fd = openSync(join(root, 'work/sparse.img'), 'w');
  writeSync(fd, Buffer.alloc(4096, 2), 0, 4096, 1 << 20);
  ftruncateSync(fd, 64 << 20);
  closeSync(fd);
  return root;
}

describe('on-disk bytes (du -sB1)', () => {
  let root: string;
  before(() => {
    root = fixture();
  });

  it("a scan's on-disk total is du -sB1, to the byte; its file-only figures stay as they were", () => {
    const tree = scanSync(root).tree;
    assert.equal(tree.diskBytes(''), duB1(root));
    assert.equal(tree.exactDiskBytes(''), BigInt(duB1(root)));
    // A folder without hard links: du of it alone agrees too.
    assert.equal(tree.diskBytes('work/empty'), duB1(join(root, 'work/empty')));
    assert.ok(tree.diskBytes('') > tree.total().allocatedBytes, 'folders add their blocks');
  });

  it("survives serialize/deserialize, a parallel scan's merge, and removing a subtree", () => {
    const tree = scanSync(root).tree;
    assert.equal(SizeTree.deserialize(root, tree.serialize()).diskBytes(''), duB1(root));
    const units = [startUnit(root, '')];
    const scan = new PartialScan([], undefined, { statFolders: false });
    scan.run(units);
    assert.equal(runAll(mergeScan(root, [scan.finish()])).tree.diskBytes(''), duB1(root));
    const before = tree.diskBytes('');
    const empty = tree.diskBytes('work/empty');
    tree.applyUnlinkDir('work/empty');
    assert.equal(tree.diskBytes(''), before - empty);
    tree.replaceSubtree('work', scanSync(root, { relPath: 'work' }).tree);
    assert.equal(tree.diskBytes(''), duB1(root));
  });

  it("the report's allocated bytes are du -sB1 for the folder, and areas plus other add up", () => {
    const usage = computeUsage(scanSync(root).tree, defaultSettings(), root);
    assert.equal(usage.allocatedBytes, duB1(root));
    const areas = usage.areas.filter((a) => !usage.areas.some((b) => b !== a && a.path.startsWith(`${b.path}/`)));
    assert.equal(areas.reduce((n, a) => n + a.allocatedBytes, 0) + usage.other.allocatedBytes, usage.allocatedBytes);
  });
});
