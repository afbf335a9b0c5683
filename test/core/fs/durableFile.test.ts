import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  acquireLock,
  appendDurable,
  lockPathFor,
  removeStrayTemporaries,
  setAside,
  withLock,
  writeFileAtomic,
  type LockOwner,
} from '../../../src/core/fs/durableFile';
import { faultyFs, type Step } from './faultyFs';

describe('durableFile', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-durable-'));
    file = path.join(dir, 'data.jsonl');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('writeFileAtomic', () => {
    for (const step of ['write', 'sync', 'rename'] as Step[]) {
      it(`leaves the old content and no temporary when the ${step} fails (full disk)`, async () => {
        await fs.writeFile(file, 'old\n');
        const broken = faultyFs({ fail: (s, f) => s === step && path.basename(f).startsWith('data.jsonl.tmp-') });
        await assert.rejects(writeFileAtomic(file, 'new content\n'.repeat(1000), { fs: broken }), /ENOSPC/);
        assert.equal(await fs.readFile(file, 'utf8'), 'old\n');
        assert.deepEqual(await fs.readdir(dir), ['data.jsonl']);
      });
    }

    it('writes parts one after the other, as one file', async () => {
      await fs.writeFile(file, 'an older and longer content\n');
      const parts = [Buffer.from('first,'), new Uint8Array(0), Buffer.from('second,'), Buffer.from('third\n')];
      await writeFileAtomic(file, parts);
      assert.equal(await fs.readFile(file, 'utf8'), 'first,second,third\n');
    });

    it('leaves the old content when writing a later part fails', async () => {
      await fs.writeFile(file, 'old\n');
      let writes = 0;
      const broken = faultyFs({ fail: (s) => s === 'write' && ++writes === 2 });
      await assert.rejects(writeFileAtomic(file, [Buffer.from('a'), Buffer.from('b')], { fs: broken }), /ENOSPC/);
      assert.equal(await fs.readFile(file, 'utf8'), 'old\n');
      assert.deepEqual(await fs.readdir(dir), ['data.jsonl']);
    });

    it('replaces the content when nothing fails', async () => {
      await fs.writeFile(file, 'old\n');
      await writeFileAtomic(file, 'new\n');
      assert.equal(await fs.readFile(file, 'utf8'), 'new\n');
      assert.deepEqual(await fs.readdir(dir), ['data.jsonl']);
    });
  });

  describe('appendDurable', () => {
    it('cuts a half-written append back off when the disk fills up', async () => {
      await fs.writeFile(file, 'a\nb\n');
      const broken = faultyFs({ fail: (s) => s === 'write' });
      await assert.rejects(
        appendDurable(file, 'c'.repeat(4000) + '\n', { fs: broken }),
        (err: Error & { appendRepaired?: boolean }) => err.appendRepaired === true,
      );
      assert.equal(await fs.readFile(file, 'utf8'), 'a\nb\n');
      await appendDurable(file, 'c\n');
      assert.equal(await fs.readFile(file, 'utf8'), 'a\nb\nc\n');
    });
  });

  it('removes stray temporaries and broken-lock leftovers of the file only', async () => {
    const names = [
      'data.jsonl',
      'data.jsonl.tmp-1-aa',
      'data.jsonl.tmp-99999-bb',
      'data.jsonl.lock.broken-5-cc',
      'other.tmp-1-aa',
      'data.jsonl.corrupt-20260101T000000Z',
    ];
    for (const n of names) await fs.writeFile(path.join(dir, n), 'x');
    const removed = await removeStrayTemporaries(file);
    assert.deepEqual(removed.sort(), ['data.jsonl.lock.broken-5-cc', 'data.jsonl.tmp-1-aa', 'data.jsonl.tmp-99999-bb']);
    assert.deepEqual((await fs.readdir(dir)).sort(), [
      'data.jsonl',
      'data.jsonl.corrupt-20260101T000000Z',
      'other.tmp-1-aa',
    ]);
  });

  it('sets a damaged file aside once per distinct content', async () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    const first = await setAside(file, Buffer.from('damaged\n'), t);
    assert.deepEqual(first, { name: 'data.jsonl.corrupt-20260102T030405Z', created: true });
    assert.equal(await fs.readFile(path.join(dir, first.name), 'utf8'), 'damaged\n');
    // The same damage again (a repair that failed, another window): no second copy.
    assert.deepEqual(await setAside(file, Buffer.from('damaged\n'), t + 60_000), { name: first.name, created: false });
    // Other damage at the same second gets its own name, never overwriting the first.
    assert.deepEqual(await setAside(file, Buffer.from('other damage\n'), t), {
      name: 'data.jsonl.corrupt-20260102T030405Z-2',
      created: true,
    });
    assert.equal(await fs.readFile(path.join(dir, first.name), 'utf8'), 'damaged\n');
  });

  describe('lock', () => {
    const T = 1_000_000;
    const steps = (): { sleeps: number; sleep: (ms: number) => Promise<void>; now: () => number } => {
      let now = T;
      const s = {
        sleeps: 0,
        now: () => now,
        sleep: async (ms: number) => {
          s.sleeps++;
          now += ms;
        },
      };
      return s;
    };

    it('is exclusive: a second taker waits, then gives up naming the holder', async () => {
      const first = await acquireLock(file);
      assert.ok(first.ok);
      const clock = steps();
      const second = await acquireLock(file, { timeoutMs: 1000, retryMs: 100, now: clock.now, sleep: clock.sleep });
      assert.equal(second.ok, false);
      if (!second.ok && second.reason === 'timeout') assert.equal(second.holder?.pid, process.pid);
      else assert.fail('expected a timeout');
      assert.ok(clock.sleeps >= 5 && clock.sleeps <= 10, `slept ${clock.sleeps} times`);
      await first.lock.release();
      const third = await acquireLock(file, { timeoutMs: 0 });
      assert.ok(third.ok);
      if (third.ok) await third.lock.release();
      assert.deepEqual(await fs.readdir(dir), []);
    });

    it('breaks the lock of a dead process at once', async () => {
      const dead: LockOwner = { pid: 424242, host: os.hostname(), at: Date.now(), token: 'x' };
      await fs.writeFile(lockPathFor(file), JSON.stringify(dead));
      const clock = steps();
      const got = await acquireLock(file, {
        isAlive: (pid) => pid !== 424242,
        timeoutMs: 0,
        now: clock.now,
        sleep: clock.sleep,
      });
      assert.ok(got.ok);
      assert.equal(clock.sleeps, 0);
      if (got.ok) {
        assert.equal(JSON.parse(await fs.readFile(lockPathFor(file), 'utf8')).token, got.lock.owner.token);
        await got.lock.release();
      }
      assert.deepEqual(await fs.readdir(dir), []);
    });

    it('breaks a lock older than the stale age even when its owner lives, not a younger one', async () => {
      const alive: LockOwner = { pid: process.pid + 1, host: os.hostname(), at: T - 5000, token: 'y' };
      await fs.writeFile(lockPathFor(file), JSON.stringify(alive));
      const young = await acquireLock(file, { isAlive: () => true, staleMs: 10_000, timeoutMs: 0, now: () => T });
      assert.equal(young.ok, false);
      const old = await acquireLock(file, { isAlive: () => true, staleMs: 4000, timeoutMs: 0, now: () => T });
      assert.ok(old.ok);
      if (old.ok) await old.lock.release();
    });

    it('judges a lock with no readable owner by its age on disk', async () => {
      await fs.writeFile(lockPathFor(file), '');
      const young = await acquireLock(file, { staleMs: 60_000, timeoutMs: 0 });
      assert.equal(young.ok, false);
      const past = new Date(Date.now() - 120_000);
      await fs.utimes(lockPathFor(file), past, past);
      const old = await acquireLock(file, { staleMs: 60_000, timeoutMs: 0 });
      assert.ok(old.ok);
      if (old.ok) await old.lock.release();
    });

    it('leaves no lock behind when it cannot write its owner (a full disk)', async () => {
      const broken = faultyFs({ fail: (s, f) => s === 'write' && f.endsWith('.lock') });
      const got = await acquireLock(file, { fs: broken });
      assert.equal(got.ok, false);
      if (!got.ok) assert.equal(got.reason, 'error');
      assert.deepEqual(await fs.readdir(dir), []);
    });

    it('release leaves a lock that is no longer ours', async () => {
      const got = await acquireLock(file);
      assert.ok(got.ok);
      const other = JSON.stringify({ pid: 1, host: 'elsewhere', at: Date.now(), token: 'z' });
      await fs.writeFile(lockPathFor(file), other);
      if (got.ok) await got.lock.release();
      assert.equal(await fs.readFile(lockPathFor(file), 'utf8'), other);
    });

    it('serialises critical sections of concurrent takers', async () => {
      let inside = 0;
      let most = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLock(
            file,
            async () => {
              inside++;
              most = Math.max(most, inside);
              await new Promise((r) => setTimeout(r, 2));
              inside--;
              done++;
            },
            { retryMs: 1 },
          ),
        ),
      );
      assert.equal(done, 8);
      assert.equal(most, 1);
      assert.deepEqual(await fs.readdir(dir), []);
    });
  });
});
