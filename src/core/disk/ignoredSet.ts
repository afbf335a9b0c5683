// The state behind GitIgnored (gitIgnored.ts): the maximal ignored entries of a folder and, per
// folder above them, the sums of what is ignored at or below it. A class of its own so a walk of
// a new tree can fill a fresh set while the last complete one is still read, and swap at the end.
import type { ExactExcluded } from './areas';
import { parentsOf } from './ignoreRules';

export const ZERO: ExactExcluded = { bytes: 0n, allocatedBytes: 0n, files: 0 };

function isBelow(p: string, dir: string): boolean {
  return dir === '' ? p !== '' : p.length > dir.length && p.startsWith(dir) && p.charCodeAt(dir.length) === 47;
}

interface Entry {
  isDir: boolean;
  /** Its sizes when last looked at (refreshed when a change lands at or below it). */
  sums: ExactExcluded;
}

export class IgnoredSet {
  /** The maximal ignored entries. */
  private readonly ignored = new Map<string, Entry>();
  /** Per folder (and ignored entry): the sums of the ignored entries at or below it. */
  private readonly below = new Map<string, ExactExcluded>();

  get size(): number {
    return this.ignored.size;
  }

  keys(): IterableIterator<string> {
    return this.ignored.keys();
  }

  /** Whether `p` is itself one of the maximal ignored entries. */
  has(p: string): boolean {
    return this.ignored.has(p);
  }

  isDir(p: string): boolean {
    return this.ignored.get(p)?.isDir === true;
  }

  /** The sums of the ignored entries at or below `p`. */
  sumsBelow(p: string): ExactExcluded {
    return this.below.get(p) ?? ZERO;
  }

  /** Adds (or updates) an entry and its sums to every folder above it. */
  set(p: string, isDir: boolean, sums: ExactExcluded): void {
    this.del(p);
    this.ignored.set(p, { isDir, sums });
    this.addBelow(p, sums, 1n);
  }

  del(p: string): void {
    const old = this.ignored.get(p);
    if (!old) return;
    this.ignored.delete(p);
    this.addBelow(p, old.sums, -1n);
  }

  private addBelow(p: string, s: ExactExcluded, sign: 1n | -1n): void {
    if (s.files === 0 && s.bytes === 0n && s.allocatedBytes === 0n) return;
    const n = Number(sign);
    for (const at of [p, ...parentsOf(p)]) {
      const acc = this.below.get(at) ?? ZERO;
      const next = {
        bytes: acc.bytes + sign * s.bytes,
        allocatedBytes: acc.allocatedBytes + sign * s.allocatedBytes,
        files: acc.files + n * s.files,
      };
      if (next.files === 0 && next.bytes === 0n && next.allocatedBytes === 0n) this.below.delete(at);
      else this.below.set(at, next);
    }
  }

  /** Forgets `p` and every entry below it. */
  drop(p: string): void {
    this.del(p);
    if (this.ignored.size > 0) for (const k of [...this.ignored.keys()]) if (isBelow(k, p)) this.del(k);
  }

  /** The ignored entry that is `p` or holds it, if any. */
  coveredAt(p: string): string | undefined {
    if (this.ignored.has(p)) return p;
    if (p === '') return undefined;
    for (const dir of parentsOf(p)) if (dir !== '' && this.ignored.get(dir)?.isDir) return dir;
    return undefined;
  }
}
