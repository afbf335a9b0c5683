// `npm run bench`: every performance figure in one run, ours beside the reference tools'.
// Medians over several runs (machines are shared and noisy). Fixtures are generated once and
// cached under the OS temp dir.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = ['--import', 'tsx', '--expose-gc'];
const run = (file, args = []) => {
  const result = spawnSync(process.execPath, [...tsx, file, ...args], { stdio: 'inherit' });
  if (result.status !== 0) console.error(`${file} failed with exit ${result.status}`);
  return result.status === 0;
};

let ok = run('bench/disk.ts');
ok = run('bench/cli.ts') && ok;
ok = run('bench/log.ts') && ok;
ok = run('bench/globs.ts') && ok;
ok = run('bench/serve.ts') && ok;
ok = run('bench/treeSnapshot.ts') && ok;
ok = run('bench/gitIgnore.ts') && ok;
const tree = process.env.WORKSPACE_USAGE_BENCH_TREE ?? join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
if (existsSync(tree)) {
  ok = run('bench/watch.ts', [tree, '3']) && ok;
  ok = run('bench/baseline.ts') && ok;
  ok = run('bench/hostAlloc.ts', [tree]) && ok;
  ok = run('bench/hostThread.ts', [tree, '3']) && ok;
} else console.error(`no bench tree at ${tree}; skipped the watcher and baseline figures`);
// The editor scenario (code-server with and without the extension) takes minutes: opt-in.
if (process.argv.includes('--editor') || process.env.WORKSPACE_USAGE_BENCH_EDITOR === '1')
  ok = run('bench/editor.ts') && ok;
else console.log('editor figures (code-server with and without the extension): npm run bench -- --editor');
process.exitCode = ok ? 0 : 1;
