// Baseline and by-type figures (`npx tsx bench/baseline.ts`, also run by `npm run bench`): on the
// 200,000-file bench tree of bench/disk.ts (about 20,000 folders; generate it by running that
// first), the size of a folder-size baseline file (bytes per folder, gzipped front-coded JSON,
// beside the plain JSON of [relPath, bytes, files] for comparison), the time to take it from the
// size tree, encode, decode and diff it, and the time of the by-type count of the whole tree.
// Medians of 5 runs. It exits non-zero only when the tree is missing or something crashes.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeBaseline, encodeBaseline, encodeFolders, takeBaseline } from '../src/core/baseline/baseline';
import { diffBaselines } from '../src/core/baseline/diff';
import { byType } from '../src/core/disk/byType';
import { scanSync } from '../src/core/disk/scanner';

const TREE = process.env.WORKSPACE_USAGE_BENCH_TREE ?? path.join(tmpdir(), 'workspace-usage-bench', 'tree-200k');
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    value = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

async function main(): Promise<void> {
  if (!existsSync(TREE)) {
    console.error(`no bench tree at ${TREE}; run bench/disk.ts first to generate it`);
    process.exitCode = 1;
    return;
  }
  const { tree } = scanSync(TREE);
  const list = (rel: string) => tree.children(rel);
  const total = tree.total();
  const take = await timed(() => takeBaseline(tree.folderSizes(), total, Date.now()));
  const baseline = take.value;
  const folders = baseline.folders.size;
  const encode = await timed(() => encodeBaseline(baseline));
  const file = encode.value;
  const decode = await timed(() => decodeBaseline(file));
  // What the extension writes with each history sample: the file straight from the walk.
  const walked = await timed(() => encodeFolders(tree.folderSizes(), total, Date.now()));
  const plain = Buffer.byteLength(JSON.stringify([...baseline.folders].map(([rel, s]) => [rel, s.bytes, s.files])));
  const decoded = decode.value;
  if (!decoded.ok) throw new Error(decoded.error);
  const diff = await timed(() => diffBaselines(decoded.baseline, baseline));
  const types = await timed(() => byType(list, ''));
  console.log(
    `\nBaselines on ${TREE}: ${total.files.toLocaleString('en-US')} files, ${folders.toLocaleString('en-US')} folders (median of ${RUNS})`,
  );
  console.log(
    `  baseline file: ${file.length.toLocaleString('en-US')} bytes = ${(file.length / folders).toFixed(1)} bytes per folder (plain JSON [relPath, bytes, files]: ${(plain / folders).toFixed(1)} bytes per folder)`,
  );
  console.log(
    `  take from the size tree: ${take.ms.toFixed(0)} ms; encode: ${encode.ms.toFixed(0)} ms (the store gzips on the thread pool); decode: ${decode.ms.toFixed(0)} ms; diff: ${diff.ms.toFixed(0)} ms`,
  );
  console.log(
    `  written as the walk goes (each history sample's file, in the walk's order): ${walked.value.data.length.toLocaleString('en-US')} bytes = ${(walked.value.data.length / folders).toFixed(1)} bytes per folder, ${walked.ms.toFixed(0)} ms`,
  );
  console.log(
    `  by type of the whole tree: ${types.ms.toFixed(0)} ms (${types.value.rows.length} types listed, ${types.value.other.types} in "other")`,
  );
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
