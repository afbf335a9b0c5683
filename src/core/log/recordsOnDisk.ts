// The memory records present under a folder's `.yoi/` tree, with their sizes.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface DiskRecord {
  kind: string;
  slug: string;
  /** Absolute path of the record's file. */
  path: string;
  file_bytes: number;
  /** ceil(file_bytes / 4), the source's estimate. */
  tokens_estimate: number;
}

/** Record directories (relative to the folder) and the kind of the `<slug>.md` files in each. */
export const RECORD_DIRS: ReadonlyArray<{ dir: string; kind: string }> = [
  { dir: '.yoi/memory/decisions', kind: 'decision' },
  { dir: '.yoi/memory/requests', kind: 'request' },
  { dir: '.yoi/workflow', kind: 'workflow' },
  { dir: '.yoi/knowledge', kind: 'knowledge' },
];
export const SUMMARY_FILE = '.yoi/memory/summary.md';

export function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lists the records on disk: `.yoi/memory/summary.md` (kind "summary", slug "summary") and the
 * `<slug>.md` files directly in each of RECORD_DIRS (regular files or links to them). Missing
 * directories simply hold no records. Order: as found (joinRecords sorts).
 */
export async function listRecordsOnDisk(folder: string): Promise<DiskRecord[]> {
  const root = path.resolve(folder);
  const out: DiskRecord[] = [];
  const summary = path.join(root, SUMMARY_FILE);
  const summaryBytes = await fileSize(summary);
  if (summaryBytes !== undefined) {
    out.push({ kind: 'summary', slug: 'summary', path: summary, file_bytes: summaryBytes, tokens_estimate: estimateTokens(summaryBytes) });
  }
  for (const { dir, kind } of RECORD_DIRS) {
    let names: string[];
    try {
      names = await readdir(path.join(root, dir));
    } catch {
      continue;
    }
    names.sort();
    for (const name of names) {
      if (!name.endsWith('.md') || name.length <= 3) continue;
      const file = path.join(root, dir, name);
      const bytes = await fileSize(file);
      if (bytes === undefined) continue;
      out.push({ kind, slug: name.slice(0, -3), path: file, file_bytes: bytes, tokens_estimate: estimateTokens(bytes) });
    }
  }
  return out;
}
