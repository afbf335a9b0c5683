// A folder-size baseline: the bytes and file count of every folder of a workspace folder at one
// moment (folders only, never files: that keeps it small), and its compact file format. On disk
// the folder paths are sorted and front-coded (each path stores how many characters it shares
// with the one before, then the rest), flattened into one JSON array and gzipped.
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { CHECKPOINT, nextTurn, runAll, runSliced, type Steps } from '../sched/slices';

export interface FolderSize {
  bytes: number;
  files: number;
}

export interface Baseline {
  /** When the sizes were taken (ms since the epoch). */
  at: number;
  /** Folder-relative path ('' is the workspace folder itself, '/' separated) -> its size. */
  folders: Map<string, FolderSize>;
}

export type DecodeResult = { ok: true; baseline: Baseline } | { ok: false; error: string };

const FORMAT_VERSION = 1;

/** The parent of a relative path ('' for a top-level folder; undefined for the root itself). */
function parentOf(relPath: string): string | undefined {
  if (relPath === '') return undefined;
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? '' : relPath.slice(0, slash);
}

/** Direct subfolders of each folder, built once per baseline (diffs and rankings walk it). */
export function childIndex(baseline: Baseline): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const rel of baseline.folders.keys()) {
    const parent = parentOf(rel);
    if (parent === undefined) continue;
    const list = index.get(parent);
    if (list) list.push(rel);
    else index.set(parent, [rel]);
  }
  return index;
}

/**
 * The file's JSON text, with checkpoints (slices.ts): on the extension host a baseline of 20,000
 * folders was one 48 ms task (the bench's stall list), plus its GC. Each entry is stringified on
 * its own and the pieces joined: the same text JSON.stringify gives for the whole array.
 */
function* flattenSteps(baseline: Baseline): Steps<string> {
  const paths = [...baseline.folders.keys()].sort();
  yield;
  const pieces: string[] = [];
  let previous = '';
  for (let i = 0; i < paths.length; i++) {
    const rel = paths[i];
    let shared = 0;
    const max = Math.min(previous.length, rel.length);
    while (shared < max && previous.charCodeAt(shared) === rel.charCodeAt(shared)) shared++;
    const size = baseline.folders.get(rel)!;
    pieces.push(
      `${shared},${JSON.stringify(rel.slice(shared))},${JSON.stringify(size.bytes)},${JSON.stringify(size.files)}`,
    );
    previous = rel;
    if (i % CHECKPOINT === CHECKPOINT - 1) yield;
  }
  return `{"v":${FORMAT_VERSION},"at":${JSON.stringify(baseline.at)},"f":[${pieces.join(',')}]}`;
}

export function encodeBaseline(baseline: Baseline): Buffer {
  return gzipSync(runAll(flattenSteps(baseline)));
}

/** As encodeBaseline, the text built in slices and compressed on the thread pool. */
export async function encodeBaselineAsync(baseline: Baseline): Promise<Buffer> {
  return promisify(gzip)(await runSliced(flattenSteps(baseline)));
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function decodeBaseline(data: Uint8Array): DecodeResult {
  let text: string;
  try {
    text = gunzipSync(data).toString('utf8');
  } catch (error) {
    return { ok: false, error: `not a baseline file (${error instanceof Error ? error.message : String(error)})` };
  }
  return decodeText(text);
}

/** As decodeBaseline, decompressing on the thread pool. */
export async function decodeBaselineAsync(data: Uint8Array): Promise<DecodeResult> {
  let text: string;
  try {
    text = (await promisify(gunzip)(data)).toString('utf8');
  } catch (error) {
    return { ok: false, error: `not a baseline file (${error instanceof Error ? error.message : String(error)})` };
  }
  return decodeText(text);
}

function decodeText(text: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not a baseline file (${error instanceof Error ? error.message : String(error)})` };
  }
  const v = parsed as { v?: unknown; at?: unknown; f?: unknown };
  if (v?.v !== FORMAT_VERSION) return { ok: false, error: `unknown baseline format ${String(v?.v)}` };
  if (!isCount(v.at) || !Array.isArray(v.f) || v.f.length % 4 !== 0)
    return { ok: false, error: 'damaged baseline file' };
  const folders = new Map<string, FolderSize>();
  let previous = '';
  for (let i = 0; i < v.f.length; i += 4) {
    const [shared, rest, bytes, files] = v.f.slice(i, i + 4) as unknown[];
    if (
      !isCount(shared) ||
      shared > previous.length ||
      typeof rest !== 'string' ||
      !isCount(bytes) ||
      !isCount(files)
    ) {
      return { ok: false, error: `damaged baseline entry ${i / 4}` };
    }
    const rel = previous.slice(0, shared) + rest;
    folders.set(rel, { bytes, files });
    previous = rel;
  }
  return { ok: true, baseline: { at: v.at, folders } };
}

/** One folder's sizes, as a walk of the size tree gives them (SizeTree.folderSizes). */
export interface FolderSizeAt extends FolderSize {
  relPath: string;
}

export interface WalkOptions {
  /**
   * Yield to the event loop after this much work (default 8 ms, as runSliced's), so no caller is
   * blocked long. At 20 ms, one slice with the first-run compilation and the machine's other load
   * held the editor's extension host for 52 ms (bench/editor.ts --profile, 200,000 files).
   */
  sliceMs?: number;
  now?: () => number;
  yieldNow?: () => Promise<void>;
}

/**
 * A walk's pause points (WalkOptions): undefined while the slice lasts, else a turn of the event
 * loop to await (the next slice starts after it). Nothing to await per step in between: a walk of
 * 20,000 folders is not 20,000 microtasks.
 */
function slicer(options: WalkOptions): () => Promise<void> | undefined {
  const now = options.now ?? (() => performance.now());
  const sliceMs = options.sliceMs ?? 8;
  const yieldNow = options.yieldNow ?? nextTurn;
  let sliceStart = now();
  return () => {
    if (now() - sliceStart < sliceMs) return undefined;
    return yieldNow().then(() => {
      sliceStart = now();
    });
  };
}

/**
 * The sizes of every folder under the root, from a walk of the size tree (no disk access of its
 * own): `folders` lists each folder below the root once (the snapshot's folderSizes()).
 */
export async function takeBaseline(
  folders: Iterable<FolderSizeAt>,
  root: FolderSize,
  at: number,
  options: WalkOptions = {},
): Promise<Baseline> {
  const pause = slicer(options);
  const sizes = new Map<string, FolderSize>([['', { bytes: root.bytes, files: root.files }]]);
  for (const f of folders) {
    sizes.set(f.relPath, { bytes: f.bytes, files: f.files });
    const turn = pause();
    if (turn) await turn;
  }
  return { at, folders: sizes };
}

/** A baseline as its file's bytes, and when it was taken (BaselineStore writes it as it is). */
export interface EncodedBaseline {
  at: number;
  data: Buffer;
}

const COMMA = 0x2c;

/** Characters JSON.stringify writes as they are: a name of only these is written without it. */
const PLAIN_JSON = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * JSON text written as bytes into one buffer that grows (outside the V8 heap): no string per
 * number or piece, and no joined text to copy again for gzip.
 */
class JsonBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  private room(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.used + n));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** Text of single-byte characters (punctuation, digits), as it is. */
  ascii(text: string): void {
    this.room(text.length);
    this.used += this.buf.write(text, this.used, 'latin1');
  }

  /** One single-byte character (a comma). */
  char(code: number): void {
    this.room(1);
    this.buf[this.used++] = code;
  }

  /** A number as JSON writes it: the digits of a whole one without a string. */
  number(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) return this.ascii(JSON.stringify(n));
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    this.room(digits);
    let at = (this.used += digits);
    do {
      const q = Math.floor(n / 10);
      this.buf[--at] = 48 + (n - 10 * q);
      n = q;
    } while (n > 0);
  }

  /** A JSON string, as JSON.stringify writes it. */
  string(text: string): void {
    const plain = PLAIN_JSON.test(text);
    const json = plain ? text : JSON.stringify(text);
    this.room(3 * json.length + 2);
    if (plain) this.buf[this.used++] = 0x22;
    this.used += this.buf.write(json, this.used, 'utf8');
    if (plain) this.buf[this.used++] = 0x22;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

/**
 * The baseline file of a walk of the size tree, written as the walk goes, in slices (as
 * takeBaseline): no map of every folder and no sort before it. The paths are front-coded in the
 * walk's order (each folder before its subfolders, so a path shares most of the one before it),
 * which decodeBaseline reads as it reads sorted ones. Taken with each history sample, mostly in
 * the editor's first seconds, when a takeBaseline map and its sorted text at 200,000 files were
 * some 20 MB of the extension host's allocations (the editor bench's allocation profile), most of
 * them alive across scavenges beside the tree being built; the text is written as bytes (a
 * string per piece and the joined chunks were 15 MB allocated on the heap at 200,000 files).
 */
export async function encodeFolders(
  folders: Iterable<FolderSizeAt>,
  root: FolderSize,
  at: number,
  options: WalkOptions = {},
): Promise<EncodedBaseline> {
  const pause = slicer(options);
  const out = new JsonBytes();
  out.ascii(`{"v":${FORMAT_VERSION},"at":`);
  out.number(at);
  out.ascii(',"f":[0,"",');
  out.number(root.bytes);
  out.ascii(',');
  out.number(root.files);
  let previous = '';
  for (const f of folders) {
    const rel = f.relPath;
    let shared = 0;
    const max = Math.min(previous.length, rel.length);
    while (shared < max && previous.charCodeAt(shared) === rel.charCodeAt(shared)) shared++;
    out.char(COMMA);
    out.number(shared);
    out.char(COMMA);
    out.string(rel.slice(shared));
    out.char(COMMA);
    out.number(f.bytes);
    out.char(COMMA);
    out.number(f.files);
    previous = rel;
    const turn = pause();
    if (turn) await turn;
  }
  out.ascii(']}');
  return { at, data: await promisify(gzip)(out.bytes()) };
}
