// What the extension host's thread allocates once a first scan's parts arrive, outside the editor,
// on the 200,000-file bench tree (about 20,000 folders):
//   npx tsx bench/hostAlloc.ts [TREE] [RUNS]
// 1. the parts made one size tree (decodeParts + buildTree, as scanInProcess does on the host);
// 2. the history sample's baseline written from a walk of that tree (encodeFolders);
// 3. the same with workspaceUsage.useGitIgnore in a git repository (folderSizesCounted: the
//    ignored folders left out, what is ignored inside the others taken off), with a root
//    .gitignore of `*.bin` and `d7/` (a quarter of the files, one folder in 50; the file is on
//    disk in a folder of its own and added to the tree, whose files stay where they are).
// Bytes allocated on the V8 heap, from the sampling heap profiler with what minor and major GCs
// collected counted too (an estimate: one sample per 512 bytes on average), medians of RUNS
// (default 5) after one unmeasured run. Garbage here matters in the editor: the more the host
// allocates while the tree is being built, the more scavenges find the tree alive, which is what
// makes V8 grow its young generation (see the README). Exits non-zero only when the tree is
// missing or something crashes.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { encodeFolders } from '../src/core/baseline/baseline';
import { folderSizesCounted, GitIgnored } from '../src/core/disk/gitIgnored';
import { buildTree, prepareParts } from '../src/core/disk/mergeScan';
import { unpackParts } from '../src/core/disk/scanInWorker';
import { decodeParts, encodeParts } from '../src/core/monitor/scanParts';
import { runAll } from '../src/core/sched/slices';
import { walkForCli } from '../src/cli/scanPath';

const tree =
  process.argv[2] ?? process.env.WORKSPACE_USAGE_BENCH_TREE ?? join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
const runs = Number(process.argv[3] ?? 5);

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (!existsSync(tree)) {
    console.error(`no bench tree at ${tree}; run bench/disk.ts first to generate it`);
    process.exitCode = 1;
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'wu-hostalloc-'));
  writeFileSync(join(work, '.gitignore'), '*.bin\nd7/\n');
  const workerPath = join(work, 'scanWorker.js');
  buildSync({
    entryPoints: [resolve(__dirname, '../src/core/disk/scanWorker.ts')],
    outfile: workerPath,
    bundle: true,
    platform: 'node',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  const session = new Session();
  session.connect();
  /** Heap bytes allocated while `fn` ran (sampled). */
  const allocated = async <T>(fn: () => Promise<T>): Promise<{ bytes: number; value: T }> => {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const value = await fn();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const sum = (n: ProfileNode) => {
      bytes += n.selfSize;
      n.children.forEach(sum);
    };
    sum(profile.head as ProfileNode);
    return { bytes, value };
  };
  const builds: number[] = [];
  const baselines: number[] = [];
  const ignoredBaselines: number[] = [];
  let ignored = 0;
  let files = 0;
  let folders = 0;
  try {
    for (let i = 0; i <= runs; i++) {
      // The scan process's side, unmeasured: the walk, the parts prepared and encoded as it sends them.
      const walk = await walkForCli(tree, { workerPath, idleCores: () => Infinity });
      if (!('parts' in walk)) throw new Error('the tree was walked on one thread: not the parts of a pool');
      const sent = prepareParts(runAll(unpackParts(walk.parts)));
      const body = await encodeParts(tree, sent.trees, Date.now());
      const bytes = Buffer.concat(body.chunks);
      // The host's side.
      const built = await allocated(async () =>
        runAll(buildTree(tree, await decodeParts(tree, bytes, body.lengths), sent.drop)),
      );
      const total = built.value.total();
      const baseline = await allocated(() => encodeFolders(built.value.folderSizes(), total, Date.now()));
      files = total.files;
      folders = [...built.value.folderSizes()].length;
      // In a git repository: the ignored set found first (the monitor's sliced update), unmeasured.
      built.value.applyAdd('.gitignore', { size: 11, blocks: 8, ino: 1, dev: 0, nlink: 1 });
      const gitIgnored = new GitIgnored(work, (rel, problem) => console.error(`${rel}: ${problem}`));
      ignored = gitIgnored.entries(built.value).length;
      const ignoredBaseline = await allocated(() =>
        encodeFolders(folderSizesCounted(built.value, gitIgnored), total, Date.now()),
      );
      if (i === 0) continue; // first-run compilation
      builds.push(built.bytes);
      baselines.push(baseline.bytes);
      ignoredBaselines.push(ignoredBaseline.bytes);
    }
  } finally {
    session.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
  const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;
  const range = (xs: number[]) => `${mb(median(xs))} (runs ${mb(Math.min(...xs))}-${mb(Math.max(...xs))})`;
  console.log(
    `\nHost thread allocations (V8 heap, sampled) on ${tree}: ${files.toLocaleString('en-US')} files, ${folders.toLocaleString('en-US')} folders, medians of ${runs}`,
  );
  console.log(`  the scan's parts made one tree (decodeParts + buildTree): ${range(builds)}`);
  console.log(`  the history sample's baseline from a walk of it (encodeFolders): ${range(baselines)}`);
  console.log(
    `  the same in a git repository, ${ignored.toLocaleString('en-US')} entries ignored (folderSizesCounted): ${range(ignoredBaselines)}`,
  );
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
