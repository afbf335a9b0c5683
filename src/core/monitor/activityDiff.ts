// Daily activity of applied watcher batches, as a diff of size-tree states: no watcher, no tree,
// only the state of each path before its first queued event and after the batch.
import type { NodeSummary } from '../disk/sizeTree';
import type { ActivityCounts } from '../history/historyStore';

/** A bound for a watcher storm between two flushes; activity is then under-counted, not wrong. */
export const MAX_REMEMBERED = 100_000;

export class ActivityDiff {
  /** State of each path with a queued event, as it was before the event (null: absent). */
  private readonly before = new Map<string, NodeSummary | null>();

  /** Paths remembered and not yet taken. */
  get size(): number {
    return this.before.size;
  }

  /** Keeps the state of `rel` (read by `current`) before its first queued event. */
  remember(rel: string, current: () => NodeSummary | undefined): void {
    if (rel === '' || rel.startsWith('..')) return;
    if (this.before.size >= MAX_REMEMBERED) return;
    if (!this.before.has(rel)) this.before.set(rel, current() ?? null);
  }

  /**
   * The activity of one applied batch (`changed`: the paths it changed; `after`: their state
   * now), or undefined when it counts nothing. For every changed path that had an event (and no
   * changed ancestor in the same batch, which already counts it), its state before is compared
   * with after: files_added / files_deleted are the rise / fall of the files counted at that path
   * (1 for a file, everything below for a folder), bytes_added / bytes_removed the rise / fall of
   * its bytes. So a new file counts as one file added with its size, a deleted folder as its files
   * deleted with their bytes, a rewritten file as the change in its size; a file created and
   * deleted before the batch counts as nothing. Changed paths without an event (drift repaired by
   * a scan) are not activity.
   */
  take(changed: Iterable<string>, after: (rel: string) => NodeSummary | undefined): ActivityCounts | undefined {
    if (this.before.size === 0) return undefined;
    const batch = [...changed].filter((rel) => this.before.has(rel));
    if (batch.length === 0) return undefined;
    const inBatch = new Set(batch);
    const counts: ActivityCounts = { files_added: 0, files_deleted: 0, bytes_added: 0, bytes_removed: 0 };
    for (const rel of batch) {
      const before = this.before.get(rel) ?? null;
      this.before.delete(rel);
      let ancestor = false;
      for (let i = rel.lastIndexOf('/'); i > 0 && !ancestor; i = rel.lastIndexOf('/', i - 1))
        ancestor = inBatch.has(rel.slice(0, i));
      if (ancestor) continue;
      const now = after(rel);
      const files = (now?.files ?? 0) - (before?.files ?? 0);
      const bytes = (now?.bytes ?? 0) - (before?.bytes ?? 0);
      if (files > 0) counts.files_added += files;
      else counts.files_deleted -= files;
      if (bytes > 0) counts.bytes_added += bytes;
      else counts.bytes_removed -= bytes;
    }
    return counts.files_added || counts.files_deleted || counts.bytes_added || counts.bytes_removed
      ? counts
      : undefined;
  }
}
