// Fixture builders shared by the disk scan tests.
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import type { SizeTree } from '../../../src/core/disk/sizeTree';

/**
 * mkdir d/d/d/... `levels` levels below the folder open at `fd`, through /proc/self/fd so paths
 * stay short however deep the chain (re-opening the folder reached every 2,000 bytes or so).
 * Closes `fd`; returns a descriptor open on the bottom folder (the caller closes it).
 */
export function descendChain(fd: number, levels: number): number {
  let rel = '.';
  for (let i = 0; i < levels; i++) {
    rel += '/d';
    mkdirSync(`/proc/self/fd/${fd}/${rel}`);
    if (rel.length > 2000) {
      const next = openSync(`/proc/self/fd/${fd}/${rel}`, constants.O_RDONLY | constants.O_DIRECTORY);
      closeSync(fd);
      fd = next;
      rel = '.';
    }
  }
  const next = openSync(`/proc/self/fd/${fd}/${rel}`, constants.O_RDONLY | constants.O_DIRECTORY);
  closeSync(fd);
  return next;
}

/** Every folder's and file's figures by path, plus the total and the entry count. */
export function treeFigures(tree: SizeTree): Record<string, string> {
  const out: Record<string, string> = { '': JSON.stringify(tree.total()), entries: String(tree.trackedEntries()) };
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const c of tree.children(rel)) {
      out[`${c.isDirectory ? 'D' : 'F'} ${c.relPath}`] = `${c.bytes} ${c.allocatedBytes} ${c.files}`;
      if (c.isDirectory) stack.push(c.relPath);
    }
  }
  return out;
}
