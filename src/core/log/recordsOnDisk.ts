// The memory records present under a folder's `.yoi/` tree, with their sizes.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { checkInside } from '../paths/inside';

export interface RecordsOnDiskOptions {
  /**
   * List record files that resolve outside the folder (links to elsewhere). Default false:
   * Restricted Mode, where such a file is neither sized nor listed. Pass `trusted` here.
   */
  allowOutside?: boolean;
  /** Told about each record file left out by the rule above, with the reason. */
  onSkip?: (file: string, reason: string) => void;
}

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
const RECORD_DIRS: ReadonlyArray<{ dir: string; kind: string }> = [
  { dir: '.yoi/memory/decisions', kind: 'decision' },
  { dir: '.yoi/memory/requests', kind: 'request' },
  { dir: '.yoi/workflow', kind: 'workflow' },
  { dir: '.yoi/knowledge', kind: 'knowledge' },
];
const SUMMARY_FILE = '.yoi/memory/summary.md';

function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

async function fileSize(root: string, file: string, options: RecordsOnDiskOptions): Promise<number | undefined> {
  if (options.allowOutside !== true) {
    const check = checkInside(root, file);
    if (!check.inside) {
      if (!check.missing) options.onSkip?.(file, check.reason);
      return undefined;
    }
  }
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
 * directories simply hold no records. Order: as found (joinRecords sorts). Unless
 * `allowOutside`, a file (or a directory on its way) linking out of the folder is left out.
 */
export async function listRecordsOnDisk(folder: string, options: RecordsOnDiskOptions = {}): Promise<DiskRecord[]> {
  const root = path.resolve(folder);
  const out: DiskRecord[] = [];
  const summary = path.join(root, SUMMARY_FILE);
  const summaryBytes = await fileSize(root, summary, options);
  if (summaryBytes !== undefined) {
    out.push({
      kind: 'summary',
      slug: 'summary',
      path: summary,
      file_bytes: summaryBytes,
      tokens_estimate: estimateTokens(summaryBytes),
    });
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
      const bytes = await fileSize(root, file, options);
      if (bytes === undefined) continue;
      out.push({
        kind,
        slug: name.slice(0, -3),
        path: file,
        file_bytes: bytes,
        tokens_estimate: estimateTokens(bytes),
      });
    }
  }
  return out;
}
