// Folder byte sums exact to the byte up to 2^63 (a double alone is exact only to 2^53, 8 PiB,
// past which the last digits of a sum would be lost): each sum is a low part kept within +-2^52,
// where adding a file's size (a double, exact below 2^53) is exact, plus a high part counting
// units of 2^32 that the low part overflows into. `exactOf()` reads them as BigInts; the number
// figures are the nearest double. High parts live in a side table, only for the folders that
// ever overflowed (nothing per file, nothing per ordinary folder).
import type { Dir } from './treeDir';

/** Exact byte sums, as BigInts. */
export interface ExactSummary {
  bytes: bigint;
  allocatedBytes: bigint;
}

/** Past this a folder's low part overflows into its high part. */
const LIMIT = 2 ** 52;
/** What one unit of a high part is worth. */
const UNIT = 2 ** 32;

/** A folder's high parts: units of 2^32 of its apparent and allocated byte sums. */
interface High {
  bytes: number;
  alloc: number;
}

/** High parts of the folders whose sums ever passed 2^52 (of any tree). */
const highParts = new WeakMap<Dir, High>();
/** Whether any folder ever needed one (then sums are read through the table). */
let anyHigh = false;

function highOf(d: Dir): High {
  let h = highParts.get(d);
  if (!h) {
    highParts.set(d, (h = { bytes: 0, alloc: 0 }));
    anyHigh = true;
  }
  return h;
}

/** Adds to every folder from `dir` up to the root. Byte deltas are whole numbers. */
export function bubble(dir: Dir | null, bytes: number, alloc: number, files: number): void {
  if (bytes > LIMIT || bytes < -LIMIT || alloc > LIMIT || alloc < -LIMIT) {
    // A delta past 2^52 (a file of 4 PiB or more): in two parts, each exact.
    const bytesHi = Math.floor(bytes / UNIT);
    const allocHi = Math.floor(alloc / UNIT);
    bubbleParts(dir, bytes - bytesHi * UNIT, bytesHi, alloc - allocHi * UNIT, allocHi, files);
    return;
  }
  for (let d = dir; d; d = d.parent) {
    d.bytes += bytes;
    d.alloc += alloc;
    d.files += files;
    if (d.bytes > LIMIT || d.bytes < -LIMIT || d.alloc > LIMIT || d.alloc < -LIMIT) carry(d);
  }
}

/** Adds `lo + hi * UNIT` bytes (and allocated bytes) to every folder from `dir` up; |lo| <= 2^52. */
function bubbleParts(dir: Dir | null, lo: number, hi: number, allocLo: number, allocHi: number, files: number): void {
  for (let d = dir; d; d = d.parent) {
    d.bytes += lo;
    d.alloc += allocLo;
    d.files += files;
    if (hi !== 0 || allocHi !== 0) {
      const h = highOf(d);
      h.bytes += hi;
      h.alloc += allocHi;
    }
    if (d.bytes > LIMIT || d.bytes < -LIMIT || d.alloc > LIMIT || d.alloc < -LIMIT) carry(d);
  }
}

/** Takes folder `node`'s whole sums (high parts included) off every folder from `dir` up. */
export function bubbleOut(dir: Dir | null, node: Dir): void {
  const h = high(node);
  bubbleParts(dir, -node.bytes, h ? -h.bytes : 0, -node.alloc, h ? -h.alloc : 0, -node.files);
}

/** Moves whole units of 2^32 from a folder's low parts to its high parts. */
function carry(d: Dir): void {
  const b = Math.floor(d.bytes / UNIT);
  const a = Math.floor(d.alloc / UNIT);
  if (b === 0 && a === 0) return;
  const h = highOf(d);
  d.bytes -= b * UNIT;
  h.bytes += b;
  d.alloc -= a * UNIT;
  h.alloc += a;
}

/** A folder's high parts, or undefined when it never had any. */
function high(d: Dir): High | undefined {
  return anyHigh ? highParts.get(d) : undefined;
}

/** A folder's sums as the nearest doubles (exact below 2^53). */
export function bytesOf(d: Dir): number {
  const h = high(d);
  return h ? h.bytes * UNIT + d.bytes : d.bytes;
}

export function allocOf(d: Dir): number {
  const h = high(d);
  return h ? h.alloc * UNIT + d.alloc : d.alloc;
}

/** A folder's exact sums. */
export function exactOf(d: Dir): ExactSummary {
  const h = high(d);
  return {
    bytes: BigInt(h?.bytes ?? 0) * BigInt(UNIT) + BigInt(d.bytes),
    allocatedBytes: BigInt(h?.alloc ?? 0) * BigInt(UNIT) + BigInt(d.alloc),
  };
}

/**
 * Adds `files` and the summed sizes[from..to) and allocs[from..to) to every folder from `dir` up,
 * as bubble() per file would (exact): each partial sum stays within 2^52 (where adding a size
 * below 2^53 is exact) and is bubbled when the next size could pass that.
 */
export function bubbleRun(
  dir: Dir,
  sizes: Float64Array,
  allocs: Float64Array,
  from: number,
  to: number,
  files: number,
): void {
  let bytes = 0;
  let alloc = 0;
  for (let i = from; i < to; i++) {
    const s = sizes[i];
    const a = allocs[i];
    if (bytes > LIMIT - s || alloc > LIMIT - a || s < 0 || a < 0) {
      bubble(dir, bytes, alloc, 0);
      bytes = 0;
      alloc = 0;
    }
    bytes += s;
    alloc += a;
  }
  bubble(dir, bytes, alloc, files);
}
