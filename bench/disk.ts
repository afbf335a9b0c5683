// Disk usage figures (`npx tsx --expose-gc bench/disk.ts`, also run by `npm run bench`):
// on a generated tree of 200,000 files in about 20,000 folders (cached under the OS temp dir),
// the full-scan wall time of GNU `du -sb`, `gdu` (when installed), the npm package
// `get-folder-size` (what peer extensions use) and this engine, side by side: scanSync on this
// thread, and scanInWorker end to end (worker start, walk, transfer, merge into one tree) with one
// worker and with its default of min(availableParallelism, 4) workers, on whose figure the scan
// goals are judged (it is what the extension runs); the engine time of
// one file change applied incrementally; and heap bytes per tracked file. Medians of 5+ runs.
//   WORKSPACE_USAGE_BENCH_TREE=DIR  use (or generate) the tree there instead
//   WORKSPACE_USAGE_BENCH_RUNS=N    runs per tool (at least 5)
// It prints figures; it exits non-zero only when something crashes.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DiskTracker } from '../src/core/disk/diskTracker';
import { defaultScanWorkers, scanInWorker } from '../src/core/disk/scanInWorker';
import { scanSync } from '../src/core/disk/scanner';
import type { SizeTree, StatLike } from '../src/core/disk/sizeTree';
import { rng } from '../test/support/rng';

const TREE = process.env.WORKSPACE_USAGE_BENCH_TREE ?? path.join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
const RUNS = Math.max(5, Number(process.env.WORKSPACE_USAGE_BENCH_RUNS ?? 5));
const gc = (globalThis as { gc?: () => void }).gc;

// Layout: 20 x 20 x 50 leaf folders (20,420 folders in all), 10 names each: 198,000 new files,
// 2,000 hard links to files elsewhere in the tree, plus 100 symlinks (not counted, not followed).
const TOP = 20;
const MID = 20;
const LEAF = 50;
const PER_LEAF = 10;
const HARD_LINK_EVERY = 100; // every 100th name is a hard link to an earlier file

function leafDirs(root: string): string[] {
  const out: string[] = [];
  for (let a = 0; a < TOP; a++) {
    for (let b = 0; b < MID; b++) {
      for (let c = 0; c < LEAF; c++)
        out.push(path.join(root, `area-${a}`, `group-${String(b).padStart(2, '0')}`, `d${c}`));
    }
  }
  return out;
}

/** Writes the tree into DIR.partial and renames it to DIR when complete. */
function generate(dir: string): void {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const random = rng(20_000);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const files: string[] = [];
  let n = 0;
  for (const leaf of leafDirs(partial)) {
    mkdirSync(leaf, { recursive: true });
    for (let i = 0; i < PER_LEAF; i++, n++) {
      const file = path.join(
        leaf,
        `${['file', 'data', 'notes', 'x'][n % 4]}-${n}${['.txt', '.json', '.bin', ''][(n >> 2) % 4]}`,
      );
      if (n % HARD_LINK_EVERY === HARD_LINK_EVERY - 1 && files.length > 0) {
        linkSync(files[Math.floor(random() * files.length)], file);
        continue;
      }
      const r = random();
      if (r < 0.002) {
        // A few large sparse files: apparent size far above the allocated size.
        const fd = openSync(file, 'w');
        writeSync(fd, chunk, 0, 4096);
        ftruncateSync(fd, Math.floor(16 * 1024 * 1024 + random() * 64 * 1024 * 1024));
        closeSync(fd);
      } else {
        // Mostly small files, log-distributed from 1 byte to 16 KB; 5% empty.
        const size = r < 0.05 ? 0 : Math.floor(Math.exp(random() * Math.log(16 * 1024)));
        const fd = openSync(file, 'w');
        for (let left = size; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(left, chunk.length));
        closeSync(fd);
      }
      files.push(file);
    }
  }
  for (let i = 0; i < 100; i++) {
    const target = files[Math.floor(random() * files.length)];
    const link = path.join(path.dirname(files[Math.floor(random() * files.length)]), `symlink-${i}`);
    symlinkSync(i % 2 ? target : path.relative(path.dirname(link), target), link);
  }
  symlinkSync('..', path.join(partial, 'area-0', 'loop-to-root'));
  renameSync(partial, dir);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Reference totals: `find -type f` with inode de-duplication; and du -sb's own figure. */
function reference(dir: string): {
  bytes: number;
  allocated: number;
  files: number;
  names: number;
  dirsAndLinks: number;
} {
  const out = execFileSync('find', [dir, '-type', 'f', '-printf', '%D %i %s %b\\n'], { maxBuffer: 1 << 30 }).toString();
  const seen = new Set<string>();
  let bytes = 0;
  let allocated = 0;
  let names = 0;
  for (const line of out.split('\n')) {
    if (!line) continue;
    names++;
    const [dev, ino, size, blocks] = line.split(' ');
    if (seen.has(`${dev}:${ino}`)) continue;
    seen.add(`${dev}:${ino}`);
    bytes += Number(size);
    allocated += Number(blocks) * 512;
  }
  // du -sb also counts folders' and symlinks' own sizes: what to subtract to compare.
  const other = execFileSync('find', [dir, '(', '-type', 'd', '-o', '-type', 'l', ')', '-printf', '%s\\n'], {
    maxBuffer: 1 << 28,
  }).toString();
  const dirsAndLinks = other.split('\n').reduce((n, l) => n + (l ? Number(l) : 0), 0);
  return { bytes, allocated, files: seen.size, names, dirsAndLinks };
}

function duBytes(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`du -sb failed: ${r.stderr}`);
  return Number(r.stdout.split('\t')[0]);
}

function gduCommand(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v gdu || command -v gdu-go'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  gc?.();
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function filesOf(tree: SizeTree, limit: number): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length && out.length < 50 * limit) {
    const rel = stack.pop()!;
    for (const c of tree.children(rel)) {
      if (c.isDirectory) stack.push(c.relPath);
      else out.push(c.relPath);
    }
  }
  const random = rng(1);
  return Array.from({ length: limit }, () => out[Math.floor(random() * out.length)]);
}

async function main(): Promise<void> {
  let note = 'cached';
  if (!existsSync(TREE)) {
    const t0 = performance.now();
    console.log(`disk bench: generating ${TREE} (once)...`);
    generate(TREE);
    note = `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  }
  const ref = reference(TREE);
  console.log(`\n== Disk usage: ${TREE} (${note})`);
  console.log(
    `   ${ref.names.toLocaleString('en-US')} file names (${ref.files.toLocaleString('en-US')} inodes), ${ref.bytes.toLocaleString('en-US')} bytes apparent, ${(ref.allocated / 1024 ** 2).toFixed(0)} MiB allocated; medians of ${RUNS} runs, warm cache`,
  );

  // The scan worker runs bundled, as the extension ships it (dist/scanWorker.js).
  const { buildSync } = await import('esbuild');
  const workerPath = path.join(mkdtempSync(path.join(tmpdir(), 'wu-bench-worker-')), 'scanWorker.js');
  buildSync({
    entryPoints: [path.join(__dirname, '../src/core/disk/scanWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: workerPath,
    logLevel: 'error',
  });
  const getFolderSize = (await import('get-folder-size')).default;
  const gdu = gduCommand();
  const workers = defaultScanWorkers();
  const parallelName = `engine: scanInWorker (${workers} worker${workers === 1 ? '' : 's'}, e2e)`;
  let parallelTotal = { bytes: 0, allocatedBytes: 0, files: 0 };

  const tools: Array<{ name: string; run: () => Promise<number> }> = [
    { name: 'du -sb', run: async () => duBytes(TREE) },
    ...(gdu
      ? [
          {
            name: 'gdu (apparent)',
            run: async () => {
              const r = spawnSync(gdu, ['-n', '-p', '-s', '-a', TREE], { encoding: 'utf8' });
              if (r.status !== 0) throw new Error(r.stderr);
              return 0;
            },
          },
        ]
      : []),
    { name: 'get-folder-size (loose)', run: async () => getFolderSize.loose(TREE) as Promise<number> },
    { name: 'engine: scanSync', run: async () => scanSync(TREE).tree.total().bytes },
    {
      name: 'engine: scanInWorker (1 worker, e2e)',
      run: async () => (await scanInWorker(TREE, { workerPath, workers: 1 })).tree.total().bytes,
    },
    ...(workers > 1
      ? [
          {
            name: parallelName,
            run: async () => (parallelTotal = (await scanInWorker(TREE, { workerPath, workers })).tree.total()).bytes,
          },
        ]
      : []),
  ];
  const times = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  const results = new Map<string, number>();
  await tools[0].run(); // warm the cache
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order so no tool always runs first.
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(k + run) % tools.length];
      let value = 0;
      times.get(tool.name)!.push(await time(async () => (value = await tool.run())));
      results.set(tool.name, value);
    }
  }
  const med = new Map([...times].map(([k, v]) => [k, median(v)]));
  const du = med.get('du -sb')!;
  const gfs = med.get('get-folder-size (loose)')!;
  const scan = med.get('engine: scanSync')!;
  const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const rows: string[][] = [['tool', 'median ms', 'vs du -sb', 'goal']];
  rows.push(['du -sb', du.toFixed(0), '1.00x', '']);
  if (gdu)
    rows.push([
      'gdu (apparent)',
      med.get('gdu (apparent)')!.toFixed(0),
      `${(med.get('gdu (apparent)')! / du).toFixed(2)}x`,
      '',
    ]);
  else rows.push(['gdu', 'not installed', '', '']);
  rows.push(['get-folder-size (loose)', gfs.toFixed(0), `${(gfs / du).toFixed(2)}x`, '']);
  const e2e1 = med.get('engine: scanInWorker (1 worker, e2e)')!;
  // The goals are judged on what the extension runs: scanInWorker with its default worker count.
  const e2e = workers > 1 ? med.get(parallelName)! : e2e1;
  rows.push([
    'engine: scanSync',
    scan.toFixed(0),
    `${(scan / du).toFixed(2)}x`,
    `(this thread, no worker) ${(gfs / scan).toFixed(1)}x faster than get-folder-size`,
  ]);
  rows.push([
    'engine: scanInWorker (1 worker, e2e)',
    e2e1.toFixed(0),
    `${(e2e1 / du).toFixed(2)}x`,
    `(worker start + scan + transfer + rebuild) ${(gfs / e2e1).toFixed(1)}x faster than get-folder-size`,
  ]);
  if (workers > 1)
    rows.push([
      parallelName,
      e2e.toFixed(0),
      `${(e2e / du).toFixed(2)}x`,
      '(workers start + shared walk + transfer + merge)',
    ]);
  // On a shared machine a burst of load can hit a few rounds: the ratio within each round (the
  // tools of one round run back to back) is steadier than the ratio of medians. Printed, not judged.
  const paired = median(
    times
      .get('du -sb')!
      .map((d, i) => times.get(workers > 1 ? parallelName : 'engine: scanInWorker (1 worker, e2e)')![i] / d),
  );
  rows.push([
    `goal, on ${workers > 1 ? parallelName : 'engine: scanInWorker (1 worker, e2e)'}`,
    '',
    '',
    `<= 1.5x du: ${pass(e2e <= 1.5 * du)} (${(e2e / du).toFixed(2)}x); >= 5x faster than get-folder-size: ${pass(gfs / e2e >= 5)} (${(gfs / e2e).toFixed(1)}x)`,
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(
      `   ${r
        .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('   ')
        .trimEnd()}`,
    );
  console.log(`   same-round ratio to du -sb (median of ${RUNS}): ${paired.toFixed(2)}x`);
  console.log(
    `   runs (ms): ${[...times].map(([k, v]) => `${k}: ${v.map((x) => x.toFixed(0)).join(' ')}`).join('; ')}`,
  );

  // Totals: ours against find -type f with inode de-dup, and against du -sb minus folders/symlinks.
  const oursTree = scanSync(TREE).tree;
  const ours = oursTree.total();
  const duTotal = duBytes(TREE);
  const agree = ours.bytes === ref.bytes && ours.files === ref.files && ours.allocatedBytes === ref.allocated;
  if (workers > 1) {
    const same =
      parallelTotal.bytes === ours.bytes &&
      parallelTotal.allocatedBytes === ours.allocatedBytes &&
      parallelTotal.files === ours.files;
    console.log(
      `   totals: ${parallelName} ${parallelTotal.bytes.toLocaleString('en-US')} bytes / ${parallelTotal.files.toLocaleString('en-US')} files, same as scanSync (bytes, allocated, files): ${same ? 'AGREE' : 'DIFFER'}`,
    );
  }
  console.log(
    `   totals: engine ${ours.bytes.toLocaleString('en-US')} bytes / ${ours.files.toLocaleString('en-US')} files; find -type f (inode de-dup) ${ref.bytes.toLocaleString('en-US')} / ${ref.files.toLocaleString('en-US')}: ${agree ? 'AGREE' : 'DIFFER'}`,
  );
  console.log(
    `           du -sb ${duTotal.toLocaleString('en-US')} - folders and symlinks ${ref.dirsAndLinks.toLocaleString('en-US')} = ${(duTotal - ref.dirsAndLinks).toLocaleString('en-US')}: ${duTotal - ref.dirsAndLinks === ours.bytes ? 'AGREE' : 'DIFFER'}; get-folder-size ${results.get('get-folder-size (loose)')!.toLocaleString('en-US')} (counts folders and symlinks too)`,
  );

  // On disk: files' and folders' allocated blocks, hard links once, against du -sB1 (which also
  // counts symlinks' own blocks: long targets take one; the engine does not count symlinks).
  const duB1 = Number(spawnSync('du', ['-sB1', TREE], { encoding: 'utf8' }).stdout.split('\t')[0]);
  console.log(
    `           on disk: engine ${oursTree.diskBytes('').toLocaleString('en-US')} bytes; du -sB1 ${duB1.toLocaleString('en-US')} (difference ${(duB1 - oursTree.diskBytes('')).toLocaleString('en-US')}: symlinks' blocks)`,
  );

  // Heap per tracked file: the tree must be alive at the second reading.
  gc?.();
  gc?.();
  const before = process.memoryUsage();
  const held = scanSync(TREE);
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed;
  const buffers = after.arrayBuffers - before.arrayBuffers;
  const perFile = (heap + buffers) / ref.names;
  console.log(
    `   heap per tracked file: ${perFile.toFixed(0)} bytes (${(heap / 1024 ** 2).toFixed(1)} MiB heap + ${(buffers / 1024 ** 2).toFixed(1)} MiB buffers for ${ref.names.toLocaleString('en-US')} files, ${held.tree.trackedEntries().toLocaleString('en-US')} entries with folders) (goal <= 150): ${pass(perFile <= 150)}${gc ? '' : ' [run with --expose-gc for a clean figure]'}`,
  );

  // One change, as the extension applies it: DiskTracker enqueue + flush (lstat + tree update).
  const tracker = new DiskTracker(TREE, { tree: held.tree });
  const sample = filesOf(held.tree, 2000);
  const flushTimes: number[] = [];
  for (const rel of sample) {
    const abs = path.join(TREE, rel);
    const t0 = performance.now();
    tracker.enqueue('change', abs);
    tracker.flush();
    flushTimes.push(performance.now() - t0);
  }
  tracker.dispose();
  // The pure tree update: a size change applied to one file (alternating sizes so it is a real change).
  const stats: StatLike[] = sample.map((rel) => lstatSync(path.join(TREE, rel)));
  const applyTimes: number[] = [];
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < sample.length; i++) {
      const st = stats[i];
      const changed = {
        size: st.size + (round % 2 ? 0 : 4096),
        blocks: st.blocks + (round % 2 ? 0 : 8),
        ino: st.ino,
        dev: st.dev,
        nlink: st.nlink,
      };
      const t0 = performance.now();
      held.tree.applyChange(sample[i], changed);
      applyTimes.push(performance.now() - t0);
    }
  }
  const totalAfter = held.tree.total();
  const flushMed = median(flushTimes);
  console.log(
    `   one change (DiskTracker enqueue + flush: lstat + tree update), median of ${flushTimes.length}: ${(flushMed * 1000).toFixed(1)} µs, p99 ${(quantile(flushTimes, 0.99) * 1000).toFixed(1)} µs (goal < 1 ms): ${pass(flushMed < 1)}`,
  );
  console.log(
    `   one change (SizeTree.applyChange only), median of ${applyTimes.length}: ${(median(applyTimes) * 1000).toFixed(2)} µs, p99 ${(quantile(applyTimes, 0.99) * 1000).toFixed(2)} µs; totals back to the scan's after undoing: ${totalAfter.bytes === ours.bytes && totalAfter.files === ours.files ? 'yes' : 'NO'}`,
  );
  if (held.skipped.length)
    console.log(
      `   note: the scan skipped ${held.skipped.length} folders (${held.skipped[0].path}: ${held.skipped[0].reason})`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
