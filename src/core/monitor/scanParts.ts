// The scan process's tree on its way to the extension host (cli/scanProcess.ts to scanInProcess.ts):
// the walkers' parts as they are, each one snapshot (treeSnapshot.ts's format, unhashed), one
// after the other in one body (the parts file, or the pipe), each starting at a multiple of 8 so
// its arrays are aligned views on the host's buffer. Their lengths go over the IPC channel with
// the "done" message. The host checks each part as it would a file from disk, then makes them one
// tree (mergeScan.ts's buildTree): joining them into a tree in the child and flattening it again
// cost the child 200-275 ms at 200,000 files before the host could start on them.
import type { SerializedTree } from '../disk/serializedTree';
import { decodeSnapshot, encodeSnapshot } from './treeSnapshot';

/** Where a part that follows `offset` bytes of the body starts: the next multiple of 8. */
export function alignedPart(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

/** The body's chunks in order (padding included), each part's byte length, and the body's length. */
export interface EncodedParts {
  chunks: Uint8Array[];
  lengths: number[];
  total: number;
}

/** The parts' snapshots as one body (views on the trees' arrays: write them before changing those). */
export async function encodeParts(folder: string, trees: SerializedTree[], at: number): Promise<EncodedParts> {
  const chunks: Uint8Array[] = [];
  const lengths: number[] = [];
  let total = 0;
  for (const tree of trees) {
    const gap = alignedPart(total) - total;
    if (gap) chunks.push(new Uint8Array(gap));
    const parts = await encodeSnapshot(folder, tree, '', at, { hash: false });
    const length = parts.reduce((n, p) => n + p.length, 0);
    chunks.push(...parts);
    lengths.push(length);
    total += gap + length;
  }
  return { chunks, lengths, total };
}

/** The parts in `body`, each checked as a snapshot of `folder`; throws naming what is wrong. */
export async function decodeParts(folder: string, body: Buffer, lengths: unknown): Promise<SerializedTree[]> {
  const damaged = (why: string) => new Error(`scan process sent a damaged tree (${why})`);
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isSafeInteger(n) && n >= 0)) throw damaged('its parts');
  // The layout first: nothing is decoded from a body whose parts do not make it.
  const starts: number[] = [];
  let end = 0;
  for (const length of lengths as number[]) {
    starts.push(alignedPart(end));
    end = alignedPart(end) + length;
  }
  if (end !== body.length) throw damaged('its parts');
  const trees: SerializedTree[] = [];
  for (let i = 0; i < starts.length; i++) {
    const decoded = await decodeSnapshot(body.subarray(starts[i], starts[i] + (lengths as number[])[i]), {
      verify: false,
    });
    if (!decoded.ok) throw damaged(decoded.reason);
    if (decoded.header.folder !== folder) throw new Error('scan process sent the tree of another folder');
    trees.push(decoded.tree);
  }
  return trees;
}
