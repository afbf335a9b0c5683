import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BaselineStore, dayFile, PINNED_FILE, SAMPLE_FILE } from '../../../src/core/baseline/baselineStore';
import { HISTORY_FILE } from '../../../src/core/history/historyStore';
import { faultyFs } from '../fs/faultyFs';
import { DAY, tempDir, withTimeZone } from '../history/helpers';
import { encodeBaseline } from '../../../src/core/baseline/baseline';
import { baselineOf } from './baseline.test';

/** A baseline as the store takes it: its file's bytes. */
const encoded = (at: number, sizes: Record<string, number>) => {
  const b = baselineOf(at, sizes);
  return { at: b.at, data: encodeBaseline(b) };
};

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);

describe('BaselineStore', () => {
  it('has no baseline in a fresh history, nor after its first sample', () =>
    withTimeZone('UTC', async () => {
      const store = new BaselineStore(await tempDir());
      assert.deepEqual(await store.load('lastSample', T0), { ok: true, value: undefined });
      assert.ok((await store.recordSample(encoded(T0, { '': 5 }), true)).ok);
      for (const kind of ['lastSample', 'yesterday', 'week', 'pinned'] as const)
        assert.equal(
          (await store.load(kind, T0)).ok && ((await store.load(kind, T0)) as { value: unknown }).value,
          undefined,
        );
    }));

  it('keeps the last sample, one baseline a day for 8 days, and the pinned one', () =>
    withTimeZone('UTC', async () => {
      const dir = await tempDir();
      await fs.writeFile(path.join(dir, HISTORY_FILE), '');
      const store = new BaselineStore(dir);
      for (let d = 0; d < 12; d++) {
        // Two samples a day: the day's baseline is its first.
        assert.ok((await store.recordSample(encoded(T0 + d * DAY, { '': d * 10 }), d === 0)).ok);
        assert.ok((await store.recordSample(encoded(T0 + d * DAY + 3_600_000, { '': d * 10 + 1 }), false)).ok);
      }
      const now = T0 + 11 * DAY + 7_200_000;
      assert.equal((await store.days()).length, 9); // today and the 8 before
      const get = async (kind: 'lastSample' | 'yesterday' | 'week' | 'pinned') => {
        const r = await store.load(kind, now);
        assert.ok(r.ok);
        return r.value?.baseline.folders.get('')?.bytes;
      };
      assert.equal(await get('lastSample'), 111);
      assert.equal(await get('yesterday'), 100);
      assert.equal(await get('week'), 40);
      assert.equal(await get('pinned'), undefined);
      assert.ok((await store.pin(encoded(now, { '': 7 }))).ok);
      assert.equal(await get('pinned'), 7);
      const names = await fs.readdir(dir);
      assert.ok(names.includes(PINNED_FILE) && names.includes(SAMPLE_FILE) && names.includes(HISTORY_FILE));
      assert.ok(!names.includes(dayFile('2026-03-10')));
      assert.ok(!names.some((n) => n.includes('.tmp-') || n.endsWith('.lock')));
    }));

  it('falls back to the oldest day kept for "7 days ago" in a young history', () =>
    withTimeZone('UTC', async () => {
      const store = new BaselineStore(await tempDir());
      await store.recordSample(encoded(T0, { '': 1 }), true);
      await store.recordSample(encoded(T0 + DAY, { '': 2 }), false);
      const r = await store.load('week', T0 + 2 * DAY);
      assert.ok(r.ok && r.value);
      assert.equal(r.value.baseline.folders.get('')?.bytes, 1);
    }));

  it('leaves the old baseline and no temporary when a write fails, and removes stray ones', () =>
    withTimeZone('UTC', async () => {
      const dir = await tempDir();
      await new BaselineStore(dir).pin(encoded(T0, { '': 1 }));
      const stray = path.join(dir, `${PINNED_FILE}.tmp-999-abc`);
      await fs.writeFile(stray, 'half');
      const full = new BaselineStore(dir, {
        fs: faultyFs({ fail: (step, file) => step === 'write' && file.includes('.tmp-') && !file.includes('999') }),
      });
      const r = await full.pin(encoded(T0, { '': 2 }));
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', /ENOSPC/);
      const names = await fs.readdir(dir);
      assert.deepEqual(names.sort(), [PINNED_FILE]);
      const loaded = await new BaselineStore(dir).load('pinned', T0);
      assert.ok(loaded.ok && loaded.value?.baseline.folders.get('')?.bytes === 1);
    }));

  it('reports a damaged file as an error value', () =>
    withTimeZone('UTC', async () => {
      const dir = await tempDir();
      await fs.writeFile(path.join(dir, PINNED_FILE), 'garbage');
      const r = await new BaselineStore(dir).load('pinned', T0);
      assert.equal(r.ok, false);
    }));
});
