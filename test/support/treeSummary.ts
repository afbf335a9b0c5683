// A size tree as plain data for deepEqual: every folder's bytes, allocated bytes and file count,
// keyed by its path, with the total under ''.
import type { SizeTree } from '../../src/core/disk/sizeTree';

export function folderSummary(tree: SizeTree): Record<string, unknown> {
  const out: Record<string, unknown> = { '': tree.total() };
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const name of tree.subdirectories(rel)) {
      const child = rel ? `${rel}/${name}` : name;
      const n = tree.get(child)!;
      out[child] = { bytes: n.bytes, allocatedBytes: n.allocatedBytes, files: n.files };
      stack.push(child);
    }
  }
  return out;
}
