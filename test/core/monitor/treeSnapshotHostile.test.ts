// A stored snapshot whose checksum is right but whose contents are not (written by something
// else, or by a bug): name offsets out of order or out of the block, indexes out of range. It is
// refused and deleted like a damaged one, never followed into a crash or a wrong tree.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import { loadTreeSnapshot, saveTreeSnapshot, snapshotPath } from '../../../src/core/monitor/treeSnapshot';

const MAGIC = 'WUTREE\n'.length;

/** Rewrites the stored file: `edit` changes its body (views of the arrays given), the checksum follows. */
async function tamper(
  file: string,
  edit: (v: { offsets: Uint32Array; fileDirs: Int32Array; dirParents: Int32Array; links: Float64Array }) => void,
): Promise<void> {
  const buf = await fs.readFile(file);
  const jsonLength = buf.readUInt32LE(MAGIC);
  const header = JSON.parse(buf.subarray(MAGIC + 4, MAGIC + 4 + jsonLength).toString()) as Record<string, unknown>;
  const body = Buffer.from(buf.subarray(MAGIC + 4 + jsonLength));
  const { dirs, files, links } = header as { dirs: number; files: number; links: number };
  // Copies of the arrays, written back after the edit (layout: treeSnapshot.ts).
  const at = { links: 8 * dirs + 24 * files, dirParents: 8 * dirs + 24 * files + 8 * links };
  const fileDirsAt = at.dirParents + 4 * dirs;
  const offsetsAt = fileDirsAt + 4 * files;
  const copy = (from: number, to: number) => body.buffer.slice(body.byteOffset + from, body.byteOffset + to);
  const view = {
    dirParents: new Int32Array(copy(at.dirParents, fileDirsAt)),
    fileDirs: new Int32Array(copy(fileDirsAt, offsetsAt)),
    links: new Float64Array(copy(at.links, at.dirParents)),
    offsets: new Uint32Array(copy(offsetsAt, offsetsAt + 4 * (files + 1))),
  };
  edit(view);
  Buffer.from(view.dirParents.buffer).copy(body, at.dirParents);
  Buffer.from(view.fileDirs.buffer).copy(body, fileDirsAt);
  Buffer.from(view.links.buffer).copy(body, at.links);
  Buffer.from(view.offsets.buffer).copy(body, offsetsAt);
  header.sha256 = createHash('sha256').update(body).digest('hex');
  // A body that does not start at a multiple of 8: the reader copies instead of making views.
  const text = JSON.stringify(header);
  const json = Buffer.from((MAGIC + 4 + text.length) % 8 === 0 ? `${text} ` : text);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  await fs.writeFile(file, Buffer.concat([buf.subarray(0, MAGIC), len, json, body]));
}

describe('treeSnapshot refuses hostile contents', () => {
  let store: string;
  let logs: string[];
  const tree = new SizeTree('/r');
  tree.applyAdd('a/one', { size: 10, blocks: 1, ino: 1, dev: 1, nlink: 1 });
  tree.applyAdd('a/two-ü', { size: 20, blocks: 1, ino: 2, dev: 1, nlink: 1 });
  tree.applyAdd('b/three', { size: 30, blocks: 1, ino: 3, dev: 1, nlink: 2 });
  tree.applyAdd('b/four', { size: 30, blocks: 1, ino: 3, dev: 1, nlink: 2 });

  beforeEach(async () => {
    store = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-snap-hostile-'));
    logs = [];
    await saveTreeSnapshot(store, '/r', tree.serialize(), 'fp', 1);
  });
  afterEach(() => fs.rm(store, { recursive: true, force: true }));

  it('loads its arrays as views on the file (no copies), and the tampering helper keeps a good file good', async () => {
    const direct = await loadTreeSnapshot(store, '/r', 'fp', (m) => logs.push(m));
    assert.ok(direct);
    const { fileSizes, fileInos, fileNames, dirParents } = direct.tree;
    for (const a of [fileInos, fileNames.bytes, fileNames.offsets, dirParents])
      assert.equal(a.buffer, fileSizes.buffer);
    // Rewritten with an unaligned body: loaded through copies, the same tree.
    await tamper(snapshotPath(store), () => undefined);
    const loaded = await loadTreeSnapshot(store, '/r', 'fp', (m) => logs.push(m));
    assert.ok(loaded);
    assert.notEqual(loaded.tree.fileSizes.buffer, loaded.tree.fileInos.buffer);
    assert.deepEqual(SizeTree.deserialize('/r', loaded.tree).total(), tree.total());
  });

  for (const [what, make] of [
    // Each in place of the stored file (the sparse one grows it: no disk space taken, nothing read).
    [
      'a FIFO (opening it does not wait for a writer)',
      (file: string) => fs.rm(file).then(() => execFileSync('mkfifo', [file])),
    ],
    ['a folder', (file: string) => fs.rm(file).then(() => fs.mkdir(file))],
    ['a 5 GiB file', (file: string) => fs.truncate(file, 5 * 2 ** 30)],
  ] as Array<[string, (file: string) => unknown]>) {
    it(`ignores ${what} where the snapshot should be, saying so once`, async () => {
      const file = snapshotPath(store);
      await make(file);
      assert.equal(await loadTreeSnapshot(store, '/r', 'fp', (m) => logs.push(m)), undefined);
      assert.equal(logs.length, 1);
      assert.match(logs[0], /unreadable.*(not a regular file|EISDIR|more than a stored tree)/);
    });
  }

  it('reads a snapshot larger than one read of fs.readFile (512 KiB) whole', async () => {
    const big = new SizeTree('/r');
    for (let i = 0; i < 30_000; i++)
      big.applyAdd(`d${i % 100}/file-with-a-long-name-${i}`, { size: i, blocks: 1, ino: 10 + i, dev: 1, nlink: 1 });
    await saveTreeSnapshot(store, '/r', big.serialize(), 'fp', 2);
    assert.ok((await fs.stat(snapshotPath(store))).size > 2 * 512 * 1024);
    const loaded = await loadTreeSnapshot(store, '/r', 'fp', (m) => logs.push(m));
    assert.ok(loaded, logs.join('\n'));
    assert.deepEqual(SizeTree.deserialize('/r', loaded.tree).total(), big.total());
  });

  for (const [what, edit, reason] of [
    ['name offsets going backwards', (v) => ([v.offsets[1], v.offsets[2]] = [v.offsets[2], v.offsets[1]]), /backwards/],
    ['a name offset past the block', (v) => (v.offsets[v.offsets.length - 1] += 100), /end/],
    ['names not starting at 0', (v) => (v.offsets[0] = 1), /start/],
    ['a file in a folder that does not exist', (v) => (v.fileDirs[0] = 99), /out of range/],
    ['a folder whose parent comes after it', (v) => (v.dirParents[1] = 5), /parents/],
    ['a link entry naming no file', (v) => (v.links[0] = 1e6), /link/],
  ] as Array<[string, Parameters<typeof tamper>[1], RegExp]>) {
    it(`deletes a snapshot with ${what}`, async () => {
      await tamper(snapshotPath(store), edit);
      assert.equal(await loadTreeSnapshot(store, '/r', 'fp', (m) => logs.push(m)), undefined);
      assert.equal(logs.length, 1);
      assert.match(logs[0], /damaged/);
      assert.match(logs[0], reason);
      await assert.rejects(fs.access(snapshotPath(store)), { code: 'ENOENT' });
    });
  }
});
