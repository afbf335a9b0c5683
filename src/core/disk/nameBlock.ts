// File names of a tree as one block of UTF-8 bytes instead of one JS string each (issue 13,
// part 3): 200,000 names are then two buffers outside the V8 heap (~20 bytes a name) that cross
// threads by transfer and go to disk as they are, rather than 200,000 heap strings (~40 bytes
// each plus their array slots) that the garbage collector has to trace, copy and promote.
//
// Layout: name i is bytes[offsets[i] .. offsets[i + 1]) (UTF-8, no terminator); offsets has
// length + 1 entries, offsets[0] = 0, never decreasing. No file name holds NUL or '/', but
// nothing here relies on it. A name is decoded only when asked for (at).

import { CHECKPOINT, type Steps } from '../sched/slices';

/** Names as UTF-8 in one buffer with their start offsets (see the layout above). */
export class NameBlock {
  /** A Buffer view on `bytes` (no copy), for utf8 decoding and comparison. */
  readonly #view: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    /** length + 1 entries; name i ends where name i + 1 starts. */
    readonly offsets: Uint32Array,
  ) {
    this.#view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static readonly EMPTY = new NameBlock(new Uint8Array(0), new Uint32Array(1));

  /** The names of a string array (tests, small trees). */
  static of(names: readonly string[]): NameBlock {
    const b = new NameBlockBuilder(names.length);
    for (const n of names) b.push(n);
    return b.finish();
  }

  /** Number of names. */
  get length(): number {
    return this.offsets.length - 1;
  }

  /** Bytes used by the names (the block may be a view on a larger buffer). */
  get byteLength(): number {
    return this.offsets[this.offsets.length - 1];
  }

  /** Name i, decoded. */
  at(i: number): string {
    return this.#view.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  /** Every name, decoded (tests and small blocks only). */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** The first i in [from, to) whose name is `name`, or -1; nothing is decoded. */
  indexOf(name: string, from = 0, to = this.length): number {
    const target = Buffer.from(name, 'utf8');
    const n = target.length;
    const { offsets } = this;
    for (let i = from; i < to; i++) {
      const s = offsets[i];
      if (offsets[i + 1] - s === n && this.#view.compare(target, 0, n, s, s + n) === 0) return i;
    }
    return -1;
  }

  /** Whether name i is `name` (without decoding it). */
  equalsAt(i: number, name: string): boolean {
    return this.indexOf(name, i, i + 1) === i;
  }

  /** The blocks one after the other (offsets shifted); a copy of their bytes. */
  static concat(blocks: readonly NameBlock[]): NameBlock {
    let names = 0;
    let bytes = 0;
    for (const b of blocks) {
      names += b.length;
      bytes += b.byteLength;
    }
    const out = new Uint8Array(bytes);
    const offsets = new Uint32Array(names + 1);
    let n0 = 0;
    let b0 = 0;
    for (const b of blocks) {
      out.set(b.bytes.subarray(0, b.byteLength), b0);
      for (let i = 1; i <= b.length; i++) offsets[n0 + i] = b0 + b.offsets[i];
      n0 += b.length;
      b0 += b.byteLength;
    }
    return new NameBlock(out, offsets);
  }

  /**
   * Why the arrays do not form a block of `count` names over `bytes` (null when they do): a file
   * read from disk is checked before any name of it is used. With checkpoints (slices.ts): on the
   * extension host it runs in slices.
   */
  static *invalid(bytes: Uint8Array, offsets: Uint32Array, count: number): Steps<string | null> {
    if (offsets.length !== count + 1) return 'name count does not match';
    if (offsets[0] !== 0) return 'names do not start at 0';
    for (let i = 0; i < count; i++) {
      if (i % CHECKPOINT === 0) yield;
      if (offsets[i + 1] < offsets[i]) return 'name offsets go backwards';
    }
    if (offsets[count] !== bytes.length) return 'name offsets do not end at the block end';
    return null;
  }
}

/** Appends names into growing buffers (amortised doubling); finish() gives a block of exact size. */
export class NameBlockBuilder {
  private bytes: Buffer;
  private offsets: Uint32Array;
  private count = 0;
  private used = 0;

  constructor(names = 64, bytes = 16 * names) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(0, bytes));
    this.offsets = new Uint32Array(Math.max(1, names) + 1);
  }

  get length(): number {
    return this.count;
  }

  private room(names: number, bytes: number): void {
    if (this.used + bytes > this.bytes.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + bytes));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    if (this.count + names + 1 > this.offsets.length) {
      const next = new Uint32Array(Math.max(2 * this.offsets.length, this.count + names + 1));
      next.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = next;
    }
  }

  /** Appends `name`; returns its index. */
  push(name: string): number {
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units); counted
    // exactly only near the end (a builder sized exactly is then not grown).
    const most = 3 * name.length;
    this.room(1, this.used + most > this.bytes.length ? Buffer.byteLength(name) : most);
    this.used += this.bytes.write(name, this.used, 'utf8');
    this.offsets[++this.count] = this.used;
    return this.count - 1;
  }

  /** Appends name i of `block` (its bytes, not decoded); returns its index. */
  pushFrom(block: NameBlock, i: number): number {
    const s = block.offsets[i];
    const e = block.offsets[i + 1];
    this.room(1, e - s);
    this.bytes.set(block.bytes.subarray(s, e), this.used);
    this.used += e - s;
    this.offsets[++this.count] = this.used;
    return this.count - 1;
  }

  /** Appends names from..to-1 of `block` (their bytes in one copy); returns the first's index. */
  pushRange(block: NameBlock, from: number, to: number): number {
    const s = block.offsets[from];
    const e = block.offsets[to];
    this.room(to - from, e - s);
    this.bytes.set(block.bytes.subarray(s, e), this.used);
    const shift = this.used - s;
    const first = this.count;
    for (let i = from + 1; i <= to; i++) this.offsets[++this.count] = block.offsets[i] + shift;
    this.used += e - s;
    return first;
  }

  /** The names so far, in buffers of their own and of exact size (safe to transfer). */
  finish(): NameBlock {
    // Exact already (sized by the caller): handed out as they are, else copied to size.
    const whole = this.used === this.bytes.length && this.bytes.byteOffset === 0;
    let bytes = new Uint8Array(this.bytes.buffer, 0, this.used);
    if (!whole) {
      bytes = new Uint8Array(this.used);
      bytes.set(this.bytes.subarray(0, this.used));
    }
    const offsets = this.offsets.length === this.count + 1 ? this.offsets : this.offsets.slice(0, this.count + 1);
    return new NameBlock(bytes, offsets);
  }
}
