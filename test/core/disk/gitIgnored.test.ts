import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { folderSizesCounted, GitIgnored, largestCounted } from '../../../src/core/disk/gitIgnored';
import { IGNORE_FILE_CAP, readIgnoreFile } from '../../../src/core/disk/ignoreFile';
import { scanSync } from '../../../src/core/disk/scanner';
import type { FolderSizeEntry, SizeTree } from '../../../src/core/disk/sizeTree';

let root: string;

/** Writes files (relative path -> content; a trailing '/' makes a folder). */
function write(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (rel.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

function scan(): SizeTree {
  return scanSync(root).tree;
}

function ignoredOf(files: Record<string, string>): { entries: string[]; problems: string[] } {
  write(files);
  const problems: string[] = [];
  const gi = new GitIgnored(root, (rel, problem) => problems.push(`${rel}: ${problem}`));
  return { entries: gi.entries(scan()), problems };
}

describe('GitIgnored: which paths .gitignore files leave out', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'wu-gitignore-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('an ignored folder stands for its subtree; a dir-only pattern skips a file of that name', () => {
    const { entries } = ignoredOf({
      '.gitignore': 'build/\n',
      'build/a.o': 'xx',
      'build/deep/b.o': 'xx',
      'src/build': 'a file, not a folder',
      'src/sub/build/c.o': 'x',
    });
    assert.deepEqual(entries, ['build', 'src/sub/build']);
  });

  it('a leading slash anchors to the .gitignore folder; without it any depth matches', () => {
    const { entries } = ignoredOf({
      '.gitignore': '/x\ny\n',
      x: '1',
      'a/x': '1',
      'a/y': '1',
      'a/.gitignore': '/z\n',
      'a/z': '1',
      z: '1',
    });
    assert.deepEqual(entries, ['a/y', 'a/z', 'x']);
  });

  it('a negation re-includes a file, but not one inside an ignored folder', () => {
    const { entries } = ignoredOf({
      '.gitignore': '*.log\n!keep.log\nlogs/\n!logs/keep.log\n',
      'a.log': '1',
      'keep.log': '1',
      'sub/b.log': '1',
      'sub/keep.log': '1',
      'logs/keep.log': '1',
    });
    assert.deepEqual(entries, ['a.log', 'logs', 'sub/b.log']);
  });

  it('nested .gitignore files apply to their subtree, the nearest deciding last', () => {
    const { entries } = ignoredOf({
      '.gitignore': '*.tmp\n',
      'a/.gitignore': '!special.tmp\ncache/\n',
      'a/special.tmp': '1',
      'a/other.tmp': '1',
      'a/cache/x': '1',
      'b/special.tmp': '1',
      'b/cache/x': '1',
    });
    assert.deepEqual(entries, ['a/cache', 'a/other.tmp', 'b/special.tmp']);
  });

  it('agrees with git status --ignored on a mixed tree', function () {
    const files = {
      '.gitignore': '*.log\n!important.log\n/dist\nnode_modules/\ndocs/**/*.tmp\n\\#hash\n',
      'a.log': '1',
      'important.log': '1',
      'dist/x.js': '1',
      'src/dist/y.js': '1',
      'src/node_modules/p/i.js': '1',
      'docs/a/b/c.tmp': '1',
      'docs/c.md': '1',
      '#hash': '1',
      'w/.gitignore': '*\n!*/\n!*.txt\n',
      'w/q/keep.txt': '1',
      'w/q/drop.bin': '1',
    };
    const { entries } = ignoredOf(files);
    try {
      execFileSync('git', ['init', '-q', root]);
    } catch {
      this.skip();
    }
    const out = execFileSync('git', ['-C', root, 'status', '--ignored', '--porcelain', '--untracked-files=all'], {
      encoding: 'utf8',
    });
    const gitIgnored = out
      .split('\n')
      .filter((l) => l.startsWith('!! '))
      .map((l) => l.slice(3).replace(/\/$/, ''));
    // git lists ignored files one by one with --untracked-files=all; fold them into ours.
    for (const g of gitIgnored)
      assert.ok(
        entries.some((e) => g === e || g.startsWith(`${e}/`)),
        `git ignores ${g}, not found in ${entries.join(', ')}`,
      );
    for (const e of entries)
      assert.ok(
        gitIgnored.some((g) => g === e || g.startsWith(`${e}/`)),
        `${e} is not ignored by git (${gitIgnored.join(', ')})`,
      );
  });

  it('a FIFO, a huge file and a link outside the folder are refused once each, without hanging', () => {
    write({
      'a/.gitignore': 'x\n',
      'a/x': '1',
      'b/x': '1',
      'c/.gitignore': 'x\n',
      'c/x': '1',
      'd/.gitignore': 'x\n',
      'd/x': '1',
    });
    writeFileSync(path.join(root, 'b/.gitignore'), Buffer.alloc(IGNORE_FILE_CAP + 1, 0x61));
    // Scanned as regular files, then swapped under the tree (the race a hostile folder can win).
    const tree = scan();
    unlinkSync(path.join(root, 'a/.gitignore'));
    execFileSync('mkfifo', [path.join(root, 'a/.gitignore')]);
    const outside = mkdtempSync(path.join(tmpdir(), 'wu-outside-'));
    writeFileSync(path.join(outside, 'rules'), 'x\n');
    unlinkSync(path.join(root, 'c/.gitignore'));
    symlinkSync(path.join(outside, 'rules'), path.join(root, 'c/.gitignore'));
    try {
      const problems: string[] = [];
      const gi = new GitIgnored(root, (rel, problem) => problems.push(`${rel}: ${problem}`));
      assert.deepEqual(gi.entries(tree), ['d/x']);
      // Asked again after a change in each folder: still told once.
      gi.changed(['a/.gitignore', 'b/.gitignore', 'c/.gitignore']);
      gi.entries(tree);
      assert.deepEqual(problems.sort(), [
        'a/.gitignore: is not a regular file',
        `b/.gitignore: is larger than ${IGNORE_FILE_CAP} bytes`,
        'c/.gitignore: resolves to outside the folder',
      ]);
      // A fresh scan does not list the FIFO or the link at all (regular files only): like git
      // (2.32+), which does not follow a symlinked .gitignore, they give no rules.
      assert.deepEqual(new GitIgnored(root, () => undefined).entries(scan()), ['d/x']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('readIgnoreFile follows a link that stays inside the folder', () => {
    write({ 'rules.txt': 'x\n', 'sub/': '' });
    symlinkSync('../rules.txt', path.join(root, 'sub/.gitignore'));
    assert.deepEqual(readIgnoreFile(root, 'sub/.gitignore'), { kind: 'text', text: 'x\n' });
    assert.deepEqual(readIgnoreFile(root, 'nope/.gitignore'), { kind: 'missing' });
  });

  it('reads .git/info/exclude below the folder .gitignore', () => {
    const { entries } = ignoredOf({ '.git/info/exclude': 'secret\n', secret: '1', '.gitignore': '!x\n', x: '1' });
    assert.deepEqual(entries, ['secret']);
  });
});

describe('GitIgnored: changes applied without a new walk', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'wu-gitignore-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function many(n: number): Record<string, string> {
    const files: Record<string, string> = {};
    for (let i = 0; i < n; i++) files[`src/f${i}.txt`] = 'x';
    return files;
  }

  it('a new file is checked alone: a few tests, not one per file of the tree', () => {
    write({ '.gitignore': '*.log\n', ...many(200) });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    gi.entries(tree);
    const before = gi.tests;
    assert.ok(before >= 200);
    write({ 'src/new.log': 'abc', 'src/new.txt': 'abc' });
    tree.applyAdd('src/new.log', { size: 3, blocks: 8, ino: 9001, dev: 1, nlink: 1 });
    tree.applyAdd('src/new.txt', { size: 3, blocks: 8, ino: 9002, dev: 1, nlink: 1 });
    gi.changed(['src/new.log', 'src/new.txt']);
    assert.deepEqual(gi.entries(tree), ['src/new.log']);
    assert.ok(gi.tests - before <= 6, `${gi.tests - before} tests`);
  });

  it('a changed .gitignore re-reads its rules and re-walks its subtree only', () => {
    write({ '.gitignore': '', 'a/.gitignore': '', 'a/cache/x': '12345', 'a/y': '1', ...many(100) });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    assert.deepEqual(gi.entries(tree), []);
    const before = gi.tests;
    write({ 'a/.gitignore': 'cache/\n' });
    gi.changed(['a/.gitignore']);
    assert.deepEqual(gi.entries(tree), ['a/cache']);
    assert.ok(gi.tests - before < 20, `${gi.tests - before} tests`);
    // Emptied again: included again.
    write({ 'a/.gitignore': '' });
    gi.changed(['a/.gitignore']);
    assert.deepEqual(gi.entries(tree), []);
  });

  it('a new folder that is ignored joins as one entry; a removed one leaves with its subtree', () => {
    write({ '.gitignore': 'tmp/\n', 'keep/x': '1' });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    assert.deepEqual(gi.entries(tree), []);
    tree.applyAdd('keep/tmp/a', { size: 5, blocks: 8, ino: 77, dev: 1, nlink: 1 });
    gi.changed(['keep/tmp/a']);
    assert.deepEqual(gi.entries(tree), ['keep/tmp']);
    tree.applyUnlink('keep/tmp');
    gi.changed(['keep/tmp']);
    assert.deepEqual(gi.entries(tree), []);
  });

  it('the excluded sums follow sizes inside an ignored folder without matching again', () => {
    write({ '.gitignore': 'cache/\n', 'work/cache/a': '12345', 'work/b': '12' });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    assert.equal(gi.lookup(tree).under('work').bytes, 5n);
    const before = gi.tests;
    tree.applyAdd('work/cache/c', { size: 100, blocks: 8, ino: 78, dev: 1, nlink: 1 });
    gi.changed(['work/cache/c']);
    const look = gi.lookup(tree);
    assert.equal(look.under('work').bytes, 105n);
    assert.equal(look.under('work').files, 2);
    assert.equal(look.under('work/cache/c').bytes, 100n); // inside an ignored folder: all of it
    assert.equal(look.under('').bytes, 105n);
    assert.equal(gi.tests, before);
    unlinkSync(path.join(root, 'work/b'));
  });
  it("every folder for a baseline: largestCounted's folders, the ignored ones and their subtrees left out", () => {
    write({
      '.gitignore': 'cache/\n*.log\n',
      'work/cache/a': '1234567890',
      'work/cache/deep/b': '1',
      'work/run.log': '12345',
      'work/small/x': '1',
      'work/big/y': '123456',
      'work/big/cache/z': '12345678901234',
      'work/big/inner/w': '123',
      'work/top.bin': '123456789012345678901234567890',
    });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    gi.lookup(tree);
    /** The walk the baseline made before: largestCounted of every folder it lists. */
    const viaLargest = (ignored: GitIgnored | undefined, rel = ''): FolderSizeEntry[] =>
      largestCounted(tree, rel, Number.MAX_SAFE_INTEGER, ignored)
        .filter((e) => e.isDirectory)
        .flatMap((e) => [
          { relPath: e.relPath, bytes: e.bytes, allocatedBytes: e.allocatedBytes, files: e.files },
          ...viaLargest(ignored, e.relPath),
        ]);
    const byPath = (a: FolderSizeEntry, b: FolderSizeEntry) => (a.relPath < b.relPath ? -1 : 1);
    for (const ignored of [undefined, gi])
      assert.deepEqual([...folderSizesCounted(tree, ignored)].sort(byPath), viaLargest(ignored).sort(byPath));
    // What the comparison covers: ignored folders (and their subfolders) left out, ignored bytes taken off.
    const counted = new Map([...folderSizesCounted(tree, gi)].map((f) => [f.relPath, [f.bytes, f.files]]));
    assert.deepEqual([...counted.keys()].sort(), ['work', 'work/big', 'work/big/inner', 'work/small']);
    assert.deepEqual(counted.get('work/big'), [9, 2]);
    assert.deepEqual(counted.get('work'), [40, 4]);
    assert.equal([...folderSizesCounted(tree, undefined)].length, 7);
  });

  it('every folder for a baseline while the set is a step behind the tree: as largestCounted lists them', () => {
    write({ '.gitignore': 'cache/\n', 'work/cache/a': '12', 'work/keep/b': '123', 'other/c': '1' });
    const tree = scan();
    const gi = new GitIgnored(root, () => undefined);
    gi.lookup(tree);
    // The tree moves on (a folder inside the ignored one, another that the rules would ignore,
    // the ignored one's parent grows) and the set is not brought up to date: lookupAsIs's view.
    tree.applyAdd('work/cache/deep/d', { size: 5, blocks: 8, ino: 90, dev: 1, nlink: 1 });
    tree.applyAdd('other/cache/e', { size: 7, blocks: 8, ino: 91, dev: 1, nlink: 1 });
    tree.applyAdd('work/f', { size: 11, blocks: 8, ino: 92, dev: 1, nlink: 1 });
    const viaLargest = (rel = ''): Array<[string, number, number]> =>
      largestCounted(tree, rel, Number.MAX_SAFE_INTEGER, gi)
        .filter((e) => e.isDirectory)
        .flatMap((e): Array<[string, number, number]> => [[e.relPath, e.bytes, e.files], ...viaLargest(e.relPath)]);
    const counted = [...folderSizesCounted(tree, gi)].map((f): [string, number, number] => [
      f.relPath,
      f.bytes,
      f.files,
    ]);
    assert.deepEqual(counted.sort(), viaLargest().sort());
    assert.deepEqual(
      counted.map(([rel]) => rel),
      ['other', 'other/cache', 'work', 'work/keep'],
    );
  });
});
