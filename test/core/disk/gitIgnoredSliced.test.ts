// The .gitignore walk as steps (gitIgnored.ts): run in slices it finds what runAll finds, it
// yields at checkpoints, and stopped midway it leaves the last complete set in place.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitIgnored, WALK_CHECKPOINT } from '../../../src/core/disk/gitIgnored';
import { scanSync } from '../../../src/core/disk/scanner';
import type { SizeTree } from '../../../src/core/disk/sizeTree';
import { runAll, runSliced } from '../../../src/core/sched/slices';

let root: string;

/** 30 folders of 40 files: every 4th a .log (ignored), one `build/` folder each third folder. */
function makeFolder(): void {
  writeFileSync(path.join(root, '.gitignore'), '*.log\nbuild/\n');
  for (let d = 0; d < 30; d++) {
    const dir = path.join(root, `d${d}`, d % 3 === 0 ? 'build' : 'src');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 40; i++)
      writeFileSync(path.join(dir, `f${i}${i % 4 === 0 ? '.log' : '.txt'}`), 'x'.repeat(i + 1));
  }
}

const scan = (): SizeTree => scanSync(root).tree;
const none = () => undefined;

describe('GitIgnored in slices', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'wu-gisliced-'));
    makeFolder();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds in slices what runAll finds, pausing between them', async () => {
    const tree = scan();
    const atOnce = new GitIgnored(root, none);
    const expected = atOnce.entries(tree);
    const sliced = new GitIgnored(root, none);
    let pauses = 0;
    await runSliced(sliced.updateSteps(tree), { sliceMs: 0, onPause: () => pauses++ });
    assert.ok(sliced.isCurrent(tree));
    assert.deepEqual(sliced.entries(tree), expected);
    assert.deepEqual(sliced.lookupAsIs(tree).under(''), atOnce.lookup(tree).under(''));
    assert.ok(expected.includes('d0/build') && expected.includes('d1/src/f0.log'));
    assert.ok(pauses >= 2, `paused ${pauses} times`);
  });

  it('yields at least once per WALK_CHECKPOINT entries matched', () => {
    const tree = scan();
    const steps = new GitIgnored(root, none).updateSteps(tree);
    let yields = 0;
    while (!steps.next().done) yields++;
    // Entries matched: the top level, 30 folders, 20 of them entered with 40 files each.
    const matched = 1 + 30 + 30 + 20 * 40;
    assert.ok(yields >= Math.floor(matched / WALK_CHECKPOINT), `${yields} yields`);
  });

  it('a walk of a new tree stopped midway keeps the last set; a later run completes it', async () => {
    const gi = new GitIgnored(root, none);
    const first = scan();
    const before = gi.lookup(first).under('');
    writeFileSync(path.join(root, 'd1', 'src', 'late.log'), 'x'.repeat(1000));
    const second = scan();
    const abort = new AbortController();
    const run = runSliced(gi.updateSteps(second), { sliceMs: 0, signal: abort.signal, onPause: () => abort.abort() });
    await assert.rejects(run, /cancelled/);
    assert.equal(gi.isCurrent(second), false);
    assert.ok(gi.isCurrent(first), 'the first tree set stays complete');
    assert.deepEqual(gi.lookupAsIs(first).under(''), before);
    const after = gi.lookup(second).under('');
    assert.equal(after.bytes, before.bytes + 1000n);
    assert.equal(after.files, before.files + 1);
  });

  it('a batch of changes stopped midway waits again, and is applied by the next run', async () => {
    const gi = new GitIgnored(root, none);
    const tree = scan();
    gi.entries(tree);
    // A nested .gitignore that re-includes every .log below d4: its subtree walked again.
    writeFileSync(path.join(root, 'd4', '.gitignore'), '!*.log\n');
    const again = scan();
    runAll(gi.updateSteps(again));
    writeFileSync(path.join(root, 'd7', '.gitignore'), '!*.log\n');
    for (let i = 0; i < 600; i++) writeFileSync(path.join(root, 'd7', 'src', `more${i}.log`), 'y');
    const grown = scan();
    // Same-tree changes are what the monitor sees; here a fresh set for `grown` first.
    runAll(gi.updateSteps(grown));
    const expected = new GitIgnored(root, none).entries(grown);
    gi.changed(['d7/.gitignore']);
    const abort = new AbortController();
    await assert.rejects(
      runSliced(gi.updateSteps(grown), { sliceMs: 0, signal: abort.signal, onPause: () => abort.abort() }),
      /cancelled/,
    );
    assert.equal(gi.isCurrent(grown), false, 'the change waits again');
    assert.deepEqual(gi.entries(grown), expected);
    assert.ok(!expected.some((e) => e.startsWith('d7/')) && !expected.some((e) => e.startsWith('d4/')));
  });
});
