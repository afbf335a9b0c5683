// workspaceUsage.useGitIgnore figures (`npx tsx --expose-gc bench/gitIgnore.ts`, also run by
// `npm run bench`): on a size tree of 200,000 files in 20,420 folders (built in memory; only the
// .gitignore files are on disk), the first walk that finds the ignored entries, computeUsage with
// and without them, one new file applied, and one nested .gitignore edited (its subtree walked
// again). Ignored: every 10th file (*.log), one `build/` folder in 50 leaf folders, and one
// nested .gitignore per top-level folder. Medians of 5 runs. Then the first walk as the extension
// host runs it (runSliced, 8 ms slices): its longest slice, its slices, its total time, and the
// heap it leaves behind.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultSettings, type Settings } from '../src/core/config/settings';
import { computeUsage } from '../src/core/disk/areas';
import { GitIgnored } from '../src/core/disk/gitIgnored';
import { SizeTree } from '../src/core/disk/sizeTree';
import { runSliced } from '../src/core/sched/slices';

const RUNS = 5;
const root = mkdtempSync(path.join(tmpdir(), 'wu-bench-gi-'));
let ino = 1;
const stat = (size: number) => ({ size, blocks: Math.ceil(size / 512), ino: ino++, dev: 1, nlink: 1 });

function build(): SizeTree {
  const tree = new SizeTree(root);
  tree.applyAdd('.gitignore', stat(20));
  for (let a = 0; a < 20; a++) {
    tree.applyAdd(`d${a}/.gitignore`, stat(10));
    for (let b = 0; b < 20; b++)
      for (let c = 0; c < 50; c++) {
        const dir = `d${a}/e${b}/${c % 50 === 7 ? 'build' : `f${c}`}`;
        for (let i = 0; i < 10; i++) tree.applyAdd(`${dir}/n${i}${i === 3 ? '.log' : '.txt'}`, stat(1000 + i));
      }
  }
  tree.compact();
  return tree;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

writeFileSync(path.join(root, '.gitignore'), '*.log\nbuild/\n');
for (let a = 0; a < 20; a++) {
  mkdirSync(path.join(root, `d${a}`));
  writeFileSync(path.join(root, `d${a}`, '.gitignore'), '!keep.log\n');
}
const tree = build();
const settings: Settings = {
  ...defaultSettings(),
  areas: [
    { name: 'work', pattern: 'd0', quota: 1024 ** 3 },
    { name: 'sessions', pattern: 'd1/*', quota: 1024 ** 3 },
  ],
};
const files = tree.total().files;
const walk: number[] = [];
const usageOff: number[] = [];
const usageOn: number[] = [];
const oneFile: number[] = [];
const nested: number[] = [];
let entries = 0;
let testsPerFile = 0;
for (let r = 0; r < RUNS; r++) {
  const gi = new GitIgnored(root, (rel, problem) => console.error(`${rel}: ${problem}`));
  walk.push(time(() => (entries = gi.entries(tree).length)));
  usageOff.push(time(() => computeUsage(tree, settings, root)));
  usageOn.push(time(() => computeUsage(tree, settings, root, gi.lookup(tree))));
  const before = gi.tests;
  oneFile.push(
    time(() => {
      tree.applyAdd(`d5/e5/f5/new${r}.log`, stat(5));
      gi.changed([`d5/e5/f5/new${r}.log`]);
      computeUsage(tree, settings, root, gi.lookup(tree));
    }),
  );
  testsPerFile = gi.tests - before;
  nested.push(
    time(() => {
      gi.changed(['d3/.gitignore']);
      computeUsage(tree, settings, root, gi.lookup(tree));
    }),
  );
}
async function main(): Promise<void> {
  // Sliced: the longest stretch without the event loop turning is the longest slice.
  const expected = new GitIgnored(root, () => undefined).entries(tree).length;
  const longest: number[] = [];
  const slices: number[] = [];
  const total: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const gi = new GitIgnored(root, () => undefined);
    let max = 0;
    let count = 1;
    let sliceStart = performance.now();
    const t = performance.now();
    await runSliced(gi.updateSteps(tree), {
      onPause: () => {
        max = Math.max(max, performance.now() - sliceStart);
        count++;
        setImmediate(() => (sliceStart = performance.now()));
      },
    });
    max = Math.max(max, performance.now() - sliceStart);
    total.push(performance.now() - t);
    longest.push(max);
    slices.push(count);
    if (gi.entries(tree).length !== expected) throw new Error('the sliced walk found another set');
  }
  rmSync(root, { recursive: true, force: true });
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(
    `gitignore (${files.toLocaleString('en-US')} files, ${entries.toLocaleString('en-US')} maximal ignored entries):`,
  );
  console.log(`  first walk (find the ignored entries)       ${ms(median(walk))}`);
  console.log(`  computeUsage without / with the exclusions  ${ms(median(usageOff))} / ${ms(median(usageOn))}`);
  console.log(`  one new file applied, usage recomputed      ${ms(median(oneFile))} (${testsPerFile} matcher tests)`);
  console.log(`  a nested .gitignore edited (1/20 re-walked) ${ms(median(nested))}`);
  console.log(
    `  first walk in slices: longest ${ms(median(longest))}, ${median(slices)} slices, total ${ms(median(total))}`,
  );
}

void main();
