import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  openSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import * as path from 'node:path';
import { LogTail } from '../../../src/core/log/logTail';
import { readLogOnce } from '../../../src/core/log/readLogOnce';
import { line, removeDir, snapshot, tempDir } from './helpers';

describe('LogTail', () => {
  let dir: string;
  let file: string;
  let tail: LogTail;
  beforeEach(() => {
    dir = tempDir('wu-tail-');
    file = path.join(dir, 'usage.jsonl');
    tail = new LogTail(file);
  });
  afterEach(() => {
    tail.dispose();
    removeDir(dir);
  });

  const oneShot = async () => {
    const r = await readLogOnce(file);
    return r;
  };

  it('treats a log that does not exist as a normal, empty state', async () => {
    const u = await tail.poll();
    assert.deepEqual(u, { bytesRead: 0, newEvents: 0, reset: false, exists: false });
    assert.equal(tail.builder.snapshot().records.length, 0);
  });

  it('reads only appended bytes and holds a line split mid-way until its newline', async () => {
    const first = line({ records: [snapshot('decision', 'a', 4)] }) + '\n';
    writeFileSync(file, first);
    assert.deepEqual(await tail.poll(), {
      bytesRead: Buffer.byteLength(first),
      newEvents: 1,
      reset: false,
      exists: true,
    });
    assert.deepEqual(await tail.poll(), { bytesRead: 0, newEvents: 0, reset: false, exists: true });
    const second = line({ records: [snapshot('decision', 'ü', 4)] }) + '\r\n';
    const bytes = Buffer.from(second);
    const cut = bytes.indexOf(Buffer.from('ü')) + 1; // inside the two-byte 'ü'
    appendFileSync(file, bytes.subarray(0, cut));
    let u = await tail.poll();
    assert.equal(u.bytesRead, cut);
    assert.equal(u.newEvents, 0);
    assert.equal(tail.builder.snapshot().events, 1);
    appendFileSync(file, bytes.subarray(cut));
    u = await tail.poll();
    assert.equal(u.bytesRead, bytes.length - cut);
    assert.equal(u.newEvents, 1);
    assert.deepEqual(tail.builder.snapshot(), await oneShot());
    assert.equal(tail.builder.snapshot().malformed.count, 0);
  });

  it('does not parse an unterminated last line (the one-shot read does)', async () => {
    writeFileSync(file, `${line()}\n${line()}`);
    await tail.poll();
    assert.equal(tail.builder.snapshot().events, 1);
    assert.equal((await oneShot()).events, 2);
  });

  it('rebuilds from the start when the log is truncated, without double counting', async () => {
    writeFileSync(file, [line(), line(), line()].join('\n') + '\n');
    await tail.poll();
    truncateSync(file, 0);
    appendFileSync(file, line({ records: [snapshot('knowledge', 'k', 8)] }) + '\n');
    const u = await tail.poll();
    assert.equal(u.reset, true);
    assert.equal(u.reason, 'truncated');
    assert.equal(u.newEvents, 1);
    assert.deepEqual(tail.builder.snapshot(), await oneShot());
  });

  it('rebuilds when the log is replaced by a rename (new inode), even if it is longer', async () => {
    writeFileSync(file, line() + '\n');
    await tail.poll();
    const other = path.join(dir, 'next.jsonl');
    writeFileSync(other, [line({ records: [snapshot('workflow', 'w', 40)] }), line(), line()].join('\n') + '\n');
    const oldIno = statSync(file).ino;
    renameSync(other, file);
    assert.notEqual(statSync(file).ino, oldIno);
    const u = await tail.poll();
    assert.equal(u.reason, 'replaced');
    assert.equal(tail.builder.snapshot().events, 3);
    assert.deepEqual(tail.builder.snapshot(), await oneShot());
  });

  it('rebuilds when the leading bytes change in place (same inode, same size)', async () => {
    const a = line({ records: [snapshot('decision', 'aaaa', 4)] }) + '\n';
    const b = line({ records: [snapshot('decision', 'bbbb', 4)] }) + '\n';
    assert.equal(a.length, b.length);
    writeFileSync(file, a);
    await tail.poll();
    const ino = statSync(file).ino;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(b), 0, b.length, 0);
    closeSync(fd);
    assert.equal(statSync(file).ino, ino);
    const u = await tail.poll();
    assert.equal(u.reason, 'replaced');
    assert.deepEqual(
      tail.builder.snapshot().records.map((r) => r.slug),
      ['bbbb'],
    );
    assert.deepEqual(tail.builder.snapshot(), await oneShot());
  });

  it('empties the report when the log is deleted, and rebuilds when it is created again', async () => {
    writeFileSync(file, line() + '\n' + line() + '\n');
    await tail.poll();
    unlinkSync(file);
    let u = await tail.poll();
    assert.deepEqual(u, { bytesRead: 0, newEvents: 0, reset: true, reason: 'deleted', exists: false });
    assert.equal(tail.builder.snapshot().events, 0);
    u = await tail.poll();
    assert.equal(u.reset, false);
    writeFileSync(file, line() + '\n');
    u = await tail.poll();
    assert.equal(u.reason, 'created');
    assert.equal(u.exists, true);
    assert.deepEqual(tail.builder.snapshot(), await oneShot());
    assert.equal(tail.builder.snapshot().events, 1);
  });

  it('coalesces polls requested while one runs', async () => {
    writeFileSync(file, line() + '\n');
    const p1 = tail.poll();
    const p2 = tail.poll();
    const p3 = tail.poll();
    assert.notEqual(p1, p2);
    assert.equal(p2, p3);
    const [u1, u2] = await Promise.all([p1, p2, p3]);
    assert.equal(u1.newEvents + u2.newEvents, 1);
    assert.equal(tail.builder.snapshot().events, 1);
  });

  it('follows a child process appending 100,000 events in random chunks that split lines', async function () {
    this.timeout(120_000);
    const script = `
      const fs = require('node:fs');
      let seed = 12345;
      const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
      const kinds = ['decision', 'knowledge', 'workflow', 'request', 'wörk'];
      const slugs = ['a', 'b', 'ü', '\\u{1F600}', '\\uFFFF', 'long-slug-name'];
      const sources = ['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke', 'ResidentInjection'];
      let text = '';
      for (let i = 0; i < 100000; i++) {
        const id = '0190a5b2-1c2d-7e3f-8a4b-' + i.toString(16).padStart(12, '0');
        const s = (i % 60).toString().padStart(2, '0');
        const ev = { id, occurred_at: '2025-03-01T10:' + s + ':' + s + (i % 3 ? 'Z' : '+09:00'), segment_id: 'seg-' + (i % 7),
          event: rand() < 0.7 ? 'use' : 'resident_exposure', source: sources[Math.floor(rand() * 4)],
          records: [{ kind: kinds[Math.floor(rand() * 5)], slug: slugs[Math.floor(rand() * 6)], file_bytes: i, file_tokens_estimate: Math.ceil(i / 4) }] };
        text += JSON.stringify(ev) + (i % 11 === 0 ? '\\r\\n' : '\\n');
        if (i % 997 === 0) text += 'garbage line ' + i + '\\n';
        if (i % 1999 === 0) text += '\\n';
      }
      const bytes = Buffer.from(text);
      const fd = fs.openSync(process.argv[1], 'a');
      let at = 0;
      while (at < bytes.length) {
        const n = 1 + Math.floor(rand() * 16384);
        fs.writeSync(fd, bytes, at, Math.min(n, bytes.length - at));
        at += n;
      }
      fs.closeSync(fd);
    `;
    const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let done = false;
    void exited.then(() => (done = true));
    let polls = 0;
    let resets = 0;
    let bytes = 0;
    while (!done) {
      const u = await tail.poll();
      polls++;
      bytes += u.bytesRead;
      if (u.reset && u.reason !== 'created') resets++;
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal(await exited, 0);
    const last = await tail.poll();
    bytes += last.bytesRead;
    assert.equal(resets, 0);
    assert.ok(polls > 5, `polled ${polls} times while the child wrote`);
    assert.equal(bytes, statSync(file).size);
    const expected = await oneShot();
    assert.equal(expected.events, 100_000);
    assert.equal(expected.malformed.count, Math.ceil(100_000 / 997));
    assert.deepEqual(tail.builder.snapshot(), expected);
  });
});
