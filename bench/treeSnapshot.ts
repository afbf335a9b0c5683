// Stored sizes (src/core/monitor/treeSnapshot.ts) of a synthetic 200,000-file tree: the work
// each step puts on the extension host's thread when a window opens (read + decode,
// deserialize) and when it stores (serialize, encode + write). Medians of 5.
// Run: node --import tsx bench/treeSnapshot.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerializedTreeWriter } from '../src/core/disk/serializedTree';
import { SizeTree } from '../src/core/disk/sizeTree';
import { loadTreeSnapshot, saveTreeSnapshot, snapshotPath } from '../src/core/monitor/treeSnapshot';

const w = new SerializedTreeWriter();
let ino = 0;
for (let d = 0; d < 10_000; d++) {
  const id = w.addDir(d < 100 ? 0 : 1 + (d % 100), `dir${d}`);
  for (let i = 0; i < 20; i++) w.addFile(id, `file-${i}.txt`, 1000 + i, 4096, ++ino);
}
const tree = SizeTree.deserialize('/r', w.finish());
const dir = mkdtempSync(join(tmpdir(), 'wu-bench-snap-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const t: Record<string, number[]> = { serialize: [], 'encode + write': [], 'read + decode': [], deserialize: [] };
  for (let round = 0; round < 5; round++) {
    let s = performance.now();
    const flat = tree.serialize();
    t.serialize.push(performance.now() - s);
    s = performance.now();
    await saveTreeSnapshot(dir, '/r', flat, 'f', Date.now());
    t['encode + write'].push(performance.now() - s);
    s = performance.now();
    const loaded = await loadTreeSnapshot(dir, '/r', 'f', console.error);
    t['read + decode'].push(performance.now() - s);
    s = performance.now();
    SizeTree.deserialize('/r', loaded!.tree);
    t.deserialize.push(performance.now() - s);
  }
  console.log(`stored sizes, 200,000 files, ${(statSync(snapshotPath(dir)).size / 1e6).toFixed(1)} MB file`);
  for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(16)} ${median(v).toFixed(0)} ms`);
  rmSync(dir, { recursive: true, force: true });
})();
