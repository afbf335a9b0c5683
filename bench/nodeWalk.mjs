// A reference for bench/cli.ts: about the least a Node process can do to get what `usage` prints
// for the bench's trees, so the table shows how far the headless command is from Node's own
// floor as well as from du. The same system calls as the command and du make (readdir with types,
// an lstat per file, a stat per folder for its blocks), no tree, no report, no order keys: files'
// bytes and allocated bytes summed (folders' own blocks too), each hard-linked inode once. One walker per core: this thread and worker threads,
// the top folders dealt out in turn (a static split: even for the generated trees, whose top
// folders are alike; a real tree needs work sharing, as the command's pool does).
// Prints {"total_bytes": N, "allocated_bytes": M}, which bench/cli.ts checks against the command's.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Adds a listed folder's regular files to `part`; returns its subfolders' paths. */
function listed(part, dir, entries) {
  const subfolders = [];
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) subfolders.push(path);
    else if (entry.isFile()) {
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      if (st.nlink > 1) part.links.push([`${st.dev}:${st.ino}`, st.size, st.blocks * 512]);
      else {
        part.bytes += st.size;
        part.allocated += st.blocks * 512;
      }
    }
  }
  return subfolders;
}

/** Walks the folders and everything below them. */
function walk(folders) {
  const part = { bytes: 0, allocated: 0, links: [] };
  const stack = [...folders];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
      part.allocated += statSync(dir).blocks * 512;
    } catch {
      continue;
    }
    stack.push(...listed(part, dir, entries));
  }
  return part;
}

if (!isMainThread) parentPort.postMessage(walk(workerData));
else {
  const root = process.argv[2];
  const walkers = Math.max(1, availableParallelism());
  const top = { bytes: 0, allocated: statSync(root).blocks * 512, links: [] };
  const shares = Array.from({ length: walkers }, () => []);
  listed(top, root, readdirSync(root, { withFileTypes: true })).forEach((dir, i) => shares[i % walkers].push(dir));
  const others = shares
    .slice(1)
    .map(
      (share) =>
        new Promise((resolve, reject) =>
          new Worker(new URL(import.meta.url), { workerData: share }).once('message', resolve).once('error', reject),
        ),
    );
  const parts = [top, walk(shares[0]), ...(await Promise.all(others))];
  const linked = new Map(parts.flatMap((part) => part.links.map(([key, ...sizes]) => [key, sizes])));
  let bytes = 0;
  let allocated = 0;
  for (const part of [
    ...parts,
    ...Array.from(linked.values(), ([size, alloc]) => ({ bytes: size, allocated: alloc })),
  ]) {
    bytes += part.bytes;
    allocated += part.allocated;
  }
  process.stdout.write(`${JSON.stringify({ total_bytes: bytes, allocated_bytes: allocated })}\n`);
}
