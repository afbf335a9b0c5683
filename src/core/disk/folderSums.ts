// The four byte sums of every folder of a tree (treeDir.ts: apparent and allocated bytes of its
// files, its own inode's allocated bytes, those of its subtree's folders), in shared Float64Array
// chunks instead of fields of the folder object. Sums pass 2^31, so V8 would keep each such field
// as a boxed number: four heap objects per folder, about 96 heap bytes, where a chunk slot is 32
// bytes outside the heap. Fewer and smaller objects per folder also matter beyond the bytes: a
// tree built while the editor starts is what made the extension host's young generation double
// (and V8 keeps the pages it grew into).
//
// A folder's slot is given back when the folder leaves its tree (release); the folder object then
// keeps its sums in a small array of its own, so a stale reference still reads the numbers it had,
// never another folder's.

/** Numbers per folder, and their offsets. */
export const SUMS = 4;
export const BYTES = 0;
export const ALLOC = 1;
export const OWN = 2;
export const FOLDER_ALLOC = 3;

/** Folders per chunk: 32 KiB arrays, so a small tree does not pay for a large one. */
const CHUNK_FOLDERS = 1024;

/** Where a folder's sums are: `sums[sumsAt + BYTES]`... */
export interface SumSlot {
  sums: Float64Array;
  sumsAt: number;
}

export class FolderSums {
  private chunk: Float64Array | null = null;
  private used = CHUNK_FOLDERS;
  /** Released slots, reused first (zeroed). */
  private readonly freeArrays: Float64Array[] = [];
  private readonly freeAts: number[] = [];

  /** A zeroed slot for a new folder. */
  take(slot: SumSlot): void {
    const array = this.freeArrays.pop();
    if (array) {
      const at = this.freeAts.pop()!;
      array.fill(0, at, at + SUMS);
      slot.sums = array;
      slot.sumsAt = at;
      return;
    }
    if (this.used === CHUNK_FOLDERS) {
      this.chunk = new Float64Array(CHUNK_FOLDERS * SUMS);
      this.used = 0;
    }
    slot.sums = this.chunk!;
    slot.sumsAt = SUMS * this.used++;
  }

  /** The folder left the tree: its slot is reused; it keeps a copy of its sums of its own. */
  release(slot: SumSlot): void {
    const { sums: array, sumsAt: at } = slot;
    if (array.length === SUMS) return;
    slot.sums = array.slice(at, at + SUMS);
    slot.sumsAt = 0;
    this.freeArrays.push(array);
    this.freeAts.push(at);
  }
}
