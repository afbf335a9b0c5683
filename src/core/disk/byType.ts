// Bytes and file counts by file type (extension) under a folder: the largest types, then the
// rest summed as "other". Reads the size tree through a lister (the snapshot's largest(relPath,
// n) lists files with their sizes), so it agrees with the sizes shown and touches no disk; the
// walk yields to the event loop every slice so the extension host is never held long.
import * as path from 'node:path';

interface TypeRow {
  /** '.bin', '.md', ... lower case; '(none)' for names without an extension (and dotfiles). */
  type: string;
  bytes: number;
  files: number;
}

export interface ByType {
  rows: TypeRow[];
  /** Everything past the top rows; `types` says how many types it sums. */
  other: TypeRow & { types: number };
  total: { bytes: number; files: number };
}

export type FileLister = (
  relPath: string,
) => Iterable<{ name: string; relPath: string; isDirectory: boolean; bytes: number; files: number }>;

export interface ByTypeOptions {
  /** Types listed before "other" (default 10). */
  top?: number;
  /** Work between yields to the event loop (default 20 ms). */
  sliceMs?: number;
  now?: () => number;
  yieldNow?: () => Promise<void>;
  /** Stops the walk (a result is still returned, for what was counted). */
  signal?: { aborted: boolean };
}

export const NO_EXTENSION = '(none)';

export function typeOf(name: string): string {
  const ext = path.posix.extname(name).toLowerCase();
  return ext === '' ? NO_EXTENSION : ext;
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Groups a counted map into the top rows and "other" (by bytes, then name). */
function topTypes(counts: Map<string, { bytes: number; files: number }>, top = 10): ByType {
  const all = [...counts]
    .map(([type, c]) => ({ type, bytes: c.bytes, files: c.files }))
    .sort((a, b) => b.bytes - a.bytes || b.files - a.files || (a.type < b.type ? -1 : 1));
  const rest = all.slice(top);
  const other = { type: 'other', bytes: 0, files: 0, types: rest.length };
  for (const r of rest) {
    other.bytes += r.bytes;
    other.files += r.files;
  }
  const total = { bytes: 0, files: 0 };
  for (const r of all) {
    total.bytes += r.bytes;
    total.files += r.files;
  }
  return { rows: all.slice(0, top), other, total };
}

export async function byType(list: FileLister, relPath: string, options: ByTypeOptions = {}): Promise<ByType> {
  const now = options.now ?? (() => performance.now());
  const sliceMs = options.sliceMs ?? 20;
  const yieldNow = options.yieldNow ?? immediate;
  const counts = new Map<string, { bytes: number; files: number }>();
  const stack = [relPath];
  let sliceStart = now();
  while (stack.length && !options.signal?.aborted) {
    for (const e of list(stack.pop()!)) {
      if (e.isDirectory) {
        stack.push(e.relPath);
        continue;
      }
      const type = typeOf(e.name);
      const c = counts.get(type);
      // A second name of a hard-linked file counts no file (files 0) and, like the tree, no bytes twice.
      if (c) {
        c.bytes += e.files > 0 ? e.bytes : 0;
        c.files += e.files;
      } else counts.set(type, { bytes: e.files > 0 ? e.bytes : 0, files: e.files });
    }
    if (now() - sliceStart >= sliceMs) {
      await yieldNow();
      sliceStart = now();
    }
  }
  return topTypes(counts, options.top ?? 10);
}
