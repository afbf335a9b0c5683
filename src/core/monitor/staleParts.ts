// Parts files (scanInProcess.ts): how they are named, and the removal of those a crash left
// behind. Apart from the host's side so the scan process, which does the removal, loads only this.
import { lstat, opendir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const PARTS_PREFIX = 'workspace-usage-scan-';
const PARTS_SUFFIX = '.parts';
/** A parts file's name: the prefix, a random UUID, the suffix. */
const PARTS_NAME = new RegExp(
  `^${PARTS_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${PARTS_SUFFIX.replaceAll('.', '\\.')}$`,
);
/** A parts file lives from the child's write to the host's read: seconds. One this old is left over. */
export const STALE_PARTS_MS = 60 * 60 * 1000;

/** The name of the parts file of a scan whose id is `uuid`. */
export function partsFileName(uuid: string): string {
  return `${PARTS_PREFIX}${uuid}${PARTS_SUFFIX}`;
}

/**
 * Removes parts files left in `dir` by scans whose host never read them: regular files named as
 * scanInProcess names them, this user's, last written more than `maxAgeMs` ago (a scan in flight,
 * another window's included, wrote its file seconds ago). The folder is read entry by entry (a
 * temporary folder can hold many); what cannot be read or removed is left, silently: this is
 * housekeeping, not the user's concern. Resolves to the files removed.
 */
export async function removeStaleParts(
  dir: string,
  options: { now?: number; maxAgeMs?: number } = {},
): Promise<string[]> {
  const oldest = (options.now ?? Date.now()) - (options.maxAgeMs ?? STALE_PARTS_MS);
  const uid = process.getuid?.();
  const removed: string[] = [];
  try {
    for await (const entry of await opendir(dir)) {
      if (!entry.isFile() || !PARTS_NAME.test(entry.name)) continue;
      const file = join(dir, entry.name);
      try {
        const st = await lstat(file);
        if (!st.isFile() || (uid !== undefined && st.uid !== uid) || !(st.mtimeMs < oldest)) continue;
        await rm(file);
        removed.push(file);
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
  } catch {
    // the folder cannot be listed
  }
  return removed;
}
