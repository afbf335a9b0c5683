// A folder's size tree kept on disk between sessions, so a window shows numbers at once while the
// first scan verifies them (issue 13, part 2). The file is the flat form of serializedTree.ts:
//
//   magic "WUTREE\n" · uint32 LE header length · header JSON (spaces after it, so the body starts
//   at a multiple of 8) · body
//   body = the float64 arrays (dirAllocs, fileSizes, fileAllocs, fileInos, links), the int32 ones
//          (dirParents, fileDirs), the file names' offsets (files + 1 uint32), the two name
//          lengths (uint32 each), the dir names UTF-8 joined by NUL, then the file names' UTF-8
//          block as it is (nameBlock.ts)
//
// Every array is aligned in the file, so a load makes views on the file's buffer instead of
// copies (the tree adopts them: the file's buffer lives as long as that tree).
//
// The header carries a format version, the folder, a fingerprint of the settings that shape the
// tree (a snapshot taken with other excludes is not used), the time of the numbers, the array
// lengths and a SHA-256 of the body. Anything that does not check out is deleted with a log line
// and load() says there is nothing: a snapshot is a cache, never a reason to fail.
import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/durableFile';
import { NameBlock } from '../disk/nameBlock';
import { decodeNames, type SerializedTree } from '../disk/serializedTree';
import { CHECKPOINT, runSliced, type Steps } from '../sched/slices';

/**
 * 2: folders' own allocated blocks (dirAllocs) are kept, for the on-disk figure. 3: file names as
 * a block with offsets (read back without decoding them).
 */
const SNAPSHOT_FORMAT = 3;
export const SNAPSHOT_FILE = 'tree.snapshot';
/**
 * The largest tree in this format that is read, from a stored file or from the scan process: 4 GiB,
 * about 70,000,000 files at 60 bytes each. Past it is damage, not a tree, and is refused before
 * anything is allocated (under overcommit an allocation that size might succeed).
 */
export const MAX_TREE_BYTES = 2 ** 32;
const MAGIC = Buffer.from('WUTREE\n');

interface Header {
  version: number;
  folder: string;
  fingerprint: string;
  at: number;
  dirs: number;
  files: number;
  links: number;
  sha256: string;
}

/** The settings that change what a scan counts; anything else does not invalidate a snapshot. */
export function settingsFingerprint(settings: { exclude: string[]; oneFileSystem?: boolean }): string {
  return createHash('sha256')
    .update(JSON.stringify({ exclude: settings.exclude, oneFileSystem: Boolean(settings.oneFileSystem) }))
    .digest('hex')
    .slice(0, 16);
}

export function snapshotPath(dir: string): string {
  return path.join(dir, SNAPSHOT_FILE);
}

/** The arrays in file order: the float64 ones first, then the 4-byte ones (each stays aligned). */
function arrays(t: SerializedTree): ArrayBufferView[] {
  return [t.dirAllocs, t.fileSizes, t.fileAllocs, t.fileInos, t.links, t.dirParents, t.fileDirs, t.fileNames.offsets];
}

/**
 * Bytes hashed between two checkpoints. At 1 MiB the editor bench's profile (--profile, 200,000
 * files, a window reload) sampled 22 and 26 ms of hashing inside one 64 ms stall of the host's
 * thread; a quarter of that keeps a checkpoint within a few ms on a slow, busy machine.
 */
const HASH_CHUNK = 1 << 18;

/**
 * SHA-256 in hex of the parts, in chunks with checkpoints (slices.ts): on the extension host the
 * thread is never held for the whole body. (WebCrypto's digest hashes on the thread pool but first
 * copies its input on the caller's thread: 38 ms at 1,000,000 files, measured in the extension
 * host's profile.)
 */
function* sha256Steps(parts: readonly Uint8Array[]): Steps<string> {
  const hash = createHash('sha256');
  for (const part of parts) {
    for (let at = 0; at < part.length; at += HASH_CHUNK) {
      hash.update(part.subarray(at, Math.min(part.length, at + HASH_CHUNK)));
      yield;
    }
  }
  return hash.digest('hex');
}

/**
 * The file's parts for `tree`: header, then the body as views on the tree's own arrays (nothing
 * copied into one buffer: at 1,000,000 files that was a second 40 MB of short-lived memory).
 */
export async function encodeSnapshot(
  folder: string,
  tree: SerializedTree,
  fingerprint: string,
  at: number,
  { hash = true }: { hash?: boolean } = {},
): Promise<Uint8Array[]> {
  const { fileNames } = tree;
  const names = [
    Buffer.from(tree.dirNames.join('\0')),
    Buffer.from(fileNames.bytes.buffer, fileNames.bytes.byteOffset, fileNames.byteLength),
  ];
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(names[0].length, 0);
  lengths.writeUInt32LE(names[1].length, 4);
  const body = [...arrays(tree).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)), lengths, ...names];
  const header: Header = {
    version: SNAPSHOT_FORMAT,
    folder,
    fingerprint,
    at,
    dirs: tree.dirNames.length,
    files: tree.fileNames.length,
    links: tree.links.length,
    // Unhashed only for the scan process's parts, read once by the host that asked for them
    // (scanInProcess.ts), never for the stored copy.
    sha256: hash ? await runSliced(sha256Steps(body)) : '',
  };
  // Spaces after the header JSON, so the body starts at a multiple of 8 (aligned views on load).
  const json = JSON.stringify(header);
  const unpadded = MAGIC.length + 4 + Buffer.byteLength(json);
  const jsonLength = Math.ceil(unpadded / 8) * 8 - MAGIC.length - 4;
  const head = Buffer.alloc(MAGIC.length + 4 + jsonLength);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(jsonLength, MAGIC.length);
  head.write(json.padEnd(jsonLength, ' '), MAGIC.length + 4, 'utf8');
  return [head, ...body];
}

export type Decoded = { ok: true; header: Header; tree: SerializedTree } | { ok: false; reason: string };

/**
 * The tree in `buf` (a whole snapshot), its arrays views on `buf` where aligned. Every index is
 * checked whether or not the checksum is (`verify: false` for the scan process's parts).
 */
export async function decodeSnapshot(buf: Buffer, { verify = true }: { verify?: boolean } = {}): Promise<Decoded> {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    return { ok: false, reason: 'not a snapshot file' };
  const jsonLength = buf.readUInt32LE(MAGIC.length);
  const bodyAt = MAGIC.length + 4 + jsonLength;
  if (bodyAt > buf.length) return { ok: false, reason: 'truncated header' };
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, bodyAt).toString('utf8')) as Header;
  } catch {
    return { ok: false, reason: 'damaged header' };
  }
  if (header.version !== SNAPSHOT_FORMAT)
    return { ok: false, reason: `format ${String(header.version)}, expected ${SNAPSHOT_FORMAT}` };
  const body = buf.subarray(bodyAt);
  if (verify && (await runSliced(sha256Steps([body]))) !== header.sha256)
    return { ok: false, reason: 'checksum mismatch' };
  const { dirs, files, links } = header;
  // Views on the file's buffer where aligned (always, for a file written here and read whole),
  // else copies.
  let at = 0;
  const take = <T>(make: new (b: ArrayBuffer, offset: number, length: number) => T, size: number, n: number): T => {
    const offset = body.byteOffset + at;
    at += size * n;
    if (offset % size === 0) return new make(body.buffer as ArrayBuffer, offset, n);
    return new make(body.buffer.slice(offset, offset + size * n) as ArrayBuffer, 0, n);
  };
  const expected = 4 * dirs + 8 * dirs + 4 * files + 8 * 3 * files + 8 * links + 4 * (files + 1) + 8;
  const counts = [dirs, files, links];
  if (
    !counts.every((c) => Number.isSafeInteger(c)) ||
    !(dirs >= 1 && files >= 0 && links >= 0) ||
    body.length < expected
  )
    return { ok: false, reason: 'lengths do not match' };
  const dirAllocs = take(Float64Array, 8, dirs);
  const fileSizes = take(Float64Array, 8, files);
  const fileAllocs = take(Float64Array, 8, files);
  const fileInos = take(Float64Array, 8, files);
  const linkArray = take(Float64Array, 8, links);
  const dirParents = take(Int32Array, 4, dirs);
  const fileDirs = take(Int32Array, 4, files);
  const offsets = take(Uint32Array, 4, files + 1);
  const dirBytes = body.readUInt32LE(at);
  const fileBytes = body.readUInt32LE(at + 4);
  at += 8;
  if (at + dirBytes + fileBytes !== body.length) return { ok: false, reason: 'lengths do not match' };
  const dirNames = await runSliced(decodeNames(body.subarray(at, at + dirBytes), dirs));
  if (dirNames.length !== dirs) return { ok: false, reason: 'name counts do not match' };
  at += dirBytes;
  // The file names stay bytes: checked, not decoded.
  const fileBytes8 = take(Uint8Array, 1, fileBytes);
  // Checked in slices too: in one go, these loops and a collection took 116 ms at 200,000 files
  // (the editor bench's stalls with --profile).
  const invalid = await runSliced(NameBlock.invalid(fileBytes8, offsets, files));
  if (invalid) return { ok: false, reason: invalid };
  const fileNames = new NameBlock(fileBytes8, offsets);
  const unlinked = await runSliced(badIndexes(dirParents, fileDirs, linkArray, files));
  if (unlinked) return { ok: false, reason: unlinked };
  return {
    ok: true,
    header,
    tree: { dirNames, dirParents, dirAllocs, fileNames, fileDirs, fileSizes, fileAllocs, fileInos, links: linkArray },
  };
}

/**
 * Why the indexes do not form a tree (null when they do): every folder's parent comes before it,
 * every file's folder exists, every link entry names a file. A file that passes its checksum may
 * still be hostile; it is refused, not followed into a crash.
 */
function* badIndexes(
  dirParents: Int32Array,
  fileDirs: Int32Array,
  links: Float64Array,
  files: number,
): Steps<string | null> {
  if (dirParents[0] !== -1) return 'root folder has a parent';
  for (let i = 1; i < dirParents.length; i++) {
    if (i % CHECKPOINT === 0) yield;
    if (!(dirParents[i] >= 0 && dirParents[i] < i)) return 'folder parents out of order';
  }
  for (let i = 0; i < fileDirs.length; i++) {
    if (i % CHECKPOINT === 0) yield;
    if (!(fileDirs[i] >= 0 && fileDirs[i] < dirParents.length)) return 'file folders out of range';
  }
  if (links.length % 3 !== 0) return 'link entries damaged';
  for (let i = 0; i < links.length; i += 3) {
    if (i % (3 * CHECKPOINT) === 0) yield;
    if (!(Number.isInteger(links[i]) && links[i] >= 0 && links[i] < files)) return 'link entries out of range';
  }
  return null;
}

/** Bytes per read: Node refuses a read of 2 GiB or more. */
const MAX_READ = 2 ** 30;

/**
 * The file in one buffer, read in as few reads as the size allows. fs.readFile reads 512 KiB at a
 * time, one trip through the thread pool and the event loop each: 80 for a million files' 40 MB,
 * and while the editor starts every trip waits behind the host's other tasks. Only a regular file
 * is read (O_NONBLOCK: opening a FIFO put there does not wait for a writer).
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error(`${file} is not a regular file`);
    // Not ours (or damaged): refused before anything is allocated.
    if (st.size > MAX_TREE_BYTES) throw new Error(`${file} is ${st.size} bytes, more than a stored tree can be`);
    const buf = Buffer.allocUnsafeSlow(st.size);
    let at = 0;
    while (at < st.size) {
      const { bytesRead } = await handle.read(buf, at, Math.min(st.size - at, MAX_READ), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    // Shorter than its size said (truncated meanwhile): the checks below find what is missing.
    return at === st.size ? buf : buf.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/** Writes the snapshot of `folder` into `dir` atomically (the old one stays until the rename). */
export async function saveTreeSnapshot(
  dir: string,
  folder: string,
  tree: SerializedTree,
  fingerprint: string,
  at: number,
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(snapshotPath(dir), await encodeSnapshot(folder, tree, fingerprint, at));
}

/**
 * The stored tree of `folder` taken with settings of `fingerprint`, or undefined. A damaged file
 * (or one of another format) is deleted with a log line; one of other settings or another folder
 * is left alone (the next save replaces it).
 */
export async function loadTreeSnapshot(
  dir: string,
  folder: string,
  fingerprint: string,
  log: (message: string) => void,
): Promise<{ tree: SerializedTree; at: number } | undefined> {
  const file = snapshotPath(dir);
  let buf: Buffer;
  try {
    buf = await readWhole(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`stored sizes unreadable (${String(error)}): ignored`);
    return undefined;
  }
  const decoded = await decodeSnapshot(buf);
  if (!decoded.ok) {
    log(`stored sizes ${file} are damaged (${decoded.reason}): deleted`);
    await fs.unlink(file).catch(() => undefined);
    return undefined;
  }
  const { header, tree } = decoded;
  if (header.folder !== folder) {
    log('stored sizes are of another folder: ignored');
    return undefined;
  }
  if (header.fingerprint !== fingerprint) {
    log('stored sizes were taken with other exclude settings: ignored');
    return undefined;
  }
  return { tree, at: header.at };
}
