// Whole-process figures of the headless command (`npx tsx bench/cli.ts`, also run by
// `npm run bench`): wall time of `du -sb TREE` beside `node dist/cli.js usage TREE --json` as
// shipped (built with --production) (auto: synchronous for a small tree, the worker pool past SYNC_BUDGET files), forced to
// the pool, and forced to the old synchronous walk (WORKSPACE_USAGE_SCAN=pool|sync), Node's
// start-up included; and beside them Node's own floor for the same numbers (bench/nodeWalk.mjs:
// the same system calls on one thread per core, nothing else), to tell what is Node's cost and
// what is the command's. Trees: the 200,000-file bench tree (bench/disk.ts generates it), the
// editor bench's 1,000,000-file workspace when it is there, and two generated here: 50 files
// (where start-up dominates) and 20,000 files (near the switch point).
// The tools run in turns within each round (du, auto, pool, sync, du, ...), so a load spike on this
// shared machine hits all of them alike; medians of RUNS rounds, ratios to du.
//   WORKSPACE_USAGE_BENCH_TREE=DIR  the big tree (default $TMPDIR/workspace-usage-bench/tree-200k)
//   WORKSPACE_USAGE_BENCH_RUNS=N    rounds (at least 5)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { withoutCaBundle } from '../src/core/monitor/scanInProcess';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(tmpdir(), 'workspace-usage-bench');
const BIG = process.env.WORKSPACE_USAGE_BENCH_TREE ?? path.join(BENCH, 'tree-200k');
const RUNS = Math.max(5, Number(process.env.WORKSPACE_USAGE_BENCH_RUNS ?? 5));
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MILLION = path.join(BENCH, 'editor-1m');
const NODE_WALK = path.join(ROOT, 'bench', 'nodeWalk.mjs');

/** FILES small files in folders of 100 (cached: written to DIR.partial, renamed when complete). */
function smallTree(files: number): string {
  const dir = path.join(BENCH, `tree-${files}`);
  if (existsSync(dir)) return dir;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  for (let i = 0; i < files; i++) {
    const folder = path.join(partial, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `f${i}.txt`), 'x'.repeat(i % 97));
  }
  renameSync(partial, dir);
  return dir;
}

interface Tool {
  name: string;
  command: string;
  args: (tree: string) => string[];
  env?: Record<string, string>;
}

const TOOLS: Tool[] = [
  { name: 'du -sb', command: 'du', args: (t) => ['-sb', t] },
  { name: 'cli (auto)', command: process.execPath, args: (t) => [CLI, 'usage', t, '--json'] },
  {
    name: 'cli (pool)',
    command: process.execPath,
    args: (t) => [CLI, 'usage', t, '--json'],
    env: { WORKSPACE_USAGE_SCAN: 'pool' },
  },
  {
    name: 'cli (scanSync)',
    command: process.execPath,
    args: (t) => [CLI, 'usage', t, '--json'],
    env: { WORKSPACE_USAGE_SCAN: 'sync' },
  },
  { name: 'node walk (floor)', command: process.execPath, args: (t) => [NODE_WALK, t] },
];

/**
 * The tools' environment: this one without NODE_EXTRA_CA_CERTS, which some machines set for every
 * process (this CI machine does): a cost of the machine's setup at each Node start, not of the
 * command, which the extension's scan process does not pay either.
 */
const TOOL_ENV = withoutCaBundle(process.env);

function timeOnce(tool: Tool, tree: string): { ms: number; out: string } {
  const started = performance.now();
  const r = spawnSync(tool.command, tool.args(tree), {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...TOOL_ENV, ...tool.env },
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${tool.name} on ${tree} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label: string, tree: string): string[][] {
  const times = TOOLS.map(() => [] as number[]);
  // One warm-up round: the page cache and the dentry cache hold the tree for every tool alike.
  for (const tool of TOOLS) timeOnce(tool, tree);
  const totals = new Set<string>();
  for (let round = 0; round < RUNS; round++) {
    TOOLS.forEach((tool, i) => {
      const { ms, out } = timeOnce(tool, tree);
      times[i].push(ms);
      // Every path of the CLI, and the floor, must measure the same bytes (du -sb also counts
      // folders' own sizes in its apparent figure).
      if (i > 0) {
        const { total_bytes, allocated_bytes } = JSON.parse(out) as { total_bytes: number; allocated_bytes: number };
        totals.add(`${total_bytes} bytes, ${allocated_bytes} allocated`);
      }
    });
  }
  if (totals.size !== 1)
    throw new Error(`${label}: the CLI's paths and the floor disagree on the totals: ${[...totals].join(', ')}`);
  const du = median(times[0]);
  return TOOLS.map((tool, i) => [label, tool.name, median(times[i]).toFixed(0), (median(times[i]) / du).toFixed(2)]);
}

function main(): void {
  // Minified, as `npm run package` ships it (the start-up parses the whole bundle).
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const trees: Array<[string, string]> = [
    ['50 files', smallTree(50)],
    ['20,000 files', smallTree(20_000)],
  ];
  if (existsSync(BIG)) trees.push(['200,000 files', BIG]);
  else console.log(`cli bench: no tree at ${BIG}; run bench/disk.ts first (it generates it). The 200k row is skipped.`);
  // The editor bench's largest workspace, when it has been generated: the ratio to du depends on
  // the tree's shape (here 1,000 folders of 1,000 empty files), so both shapes are shown.
  if (existsSync(MILLION)) trees.push(['1,000,000 files', MILLION]);
  else
    console.log(`cli bench: no tree at ${MILLION} (bench/editor.ts --sizes 1m generates it). The 1m row is skipped.`);
  const rows: string[][] = [['tree', 'command', 'median ms', 'x du -sb']];
  // auto takes the pool only with cores to spare (scanPath.ts): the load says which it could take.
  const load = () => `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  const before = load();
  for (const [label, tree] of trees) rows.push(...measure(label, tree));
  console.log(
    `\nWhole process, wall time (Node start-up included, without NODE_EXTRA_CA_CERTS), medians of ${RUNS} rounds run in turns (load average ${before} before, ${load()} after):`,
  );
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '));
}

main();
