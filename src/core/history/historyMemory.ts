// The usage history as one store holds it in memory: samples and daily activity within the
// retention, and what of them the file does not have yet (historyFile.ts writes them).
import { addLocalDays, localDayKey, type Clock } from './clock';
import { countOr0, finiteOr0, sampleKey, type DailyActivity, type Sample } from './historyFormat';
import type { MemoryState } from './historyMerge';

/** Counts of one batch of watcher events (see HistoryStore.addActivity). */
export interface ActivityCounts {
  files_added: number;
  files_deleted: number;
  bytes_added: number;
  bytes_removed: number;
}

export class HistoryMemory implements MemoryState {
  samples: Sample[] = [];
  days = new Map<string, DailyActivity>();
  /** Days whose activity changed here since the last write. */
  readonly dirtyDays = new Set<string>();
  /** Keys of samples taken here whose write failed (a rewrite is due for them). */
  readonly unsaved = new Set<string>();
  /** Samples being written by addSample, not yet in `samples`. */
  pending: Sample[] = [];

  constructor(
    readonly retention: number,
    private readonly clock: Clock,
  ) {}

  /** Daily activity, oldest day first (copies). */
  activity(): DailyActivity[] {
    this.pruneActivity();
    return [...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((d) => ({ ...d }));
  }

  /** Adds a batch's counts to today's (local) activity (negative or non-finite counts as 0). */
  addActivity(counts: ActivityCounts, totalsAfter: { total_bytes: number; files: number }): void {
    const day = localDayKey(this.clock.now());
    const d = this.days.get(day) ?? {
      day,
      files_added: 0,
      files_deleted: 0,
      bytes_added: 0,
      bytes_removed: 0,
      end_total_bytes: 0,
      end_files: 0,
    };
    d.files_added += countOr0(counts.files_added);
    d.files_deleted += countOr0(counts.files_deleted);
    d.bytes_added += finiteOr0(counts.bytes_added);
    d.bytes_removed += finiteOr0(counts.bytes_removed);
    d.end_total_bytes = finiteOr0(totalsAfter.total_bytes);
    d.end_files = countOr0(totalsAfter.files);
    this.days.set(day, d);
    this.dirtyDays.add(day);
    this.pruneActivity();
  }

  /** Drops samples beyond the retention and activity older than the retention in days. */
  prune(): boolean {
    let changed = false;
    if (this.samples.length > this.retention) {
      for (const s of this.samples.slice(0, this.samples.length - this.retention)) this.unsaved.delete(sampleKey(s));
      this.samples = this.samples.slice(this.samples.length - this.retention);
      changed = true;
    }
    return this.pruneActivity() || changed;
  }

  pruneActivity(): boolean {
    const oldest = addLocalDays(localDayKey(this.clock.now()), -(this.retention - 1));
    let changed = false;
    for (const day of this.days.keys()) {
      if (day < oldest) {
        this.days.delete(day);
        this.dirtyDays.delete(day);
        changed = true;
      }
    }
    return changed;
  }

  /** Moves samples from `pending` into the list, in time order, within the retention. */
  adopt(samples: Sample[]): void {
    this.pending = this.pending.filter((p) => !samples.includes(p));
    for (const s of samples) {
      this.samples.push(s);
      if (this.samples.length > 1 && this.samples[this.samples.length - 2].at > s.at)
        this.samples.sort((a, b) => a.at - b.at);
    }
    this.prune();
  }
}
