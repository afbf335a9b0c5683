import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manualClock } from '../../../src/core/history/clock';
import { HISTORY_FILE, HistoryStore } from '../../../src/core/history/historyStore';
import { HOUR, tempDir } from './helpers';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function runWriter(dir: string, count: number, first: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'fixtures', 'historyWriter.ts'), [dir, String(count), String(first)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let message: { done?: number; error?: string } | undefined;
    child.on('message', (m) => {
      message = m as typeof message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && message?.done !== undefined) resolve();
      else reject(new Error(`writer ${first} exited with ${code}: ${message?.error ?? ''} ${stderr}`));
    });
  });
}

describe('HistoryStore shared by two writers', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('loses no sample when two stores append and compact the same file', async () => {
    // Retention 20 compacts after 4 * 20 + 64 lines; the activity flushes get there quickly, in
    // each store several times over.
    const clock = manualClock(T0);
    const a = await HistoryStore.open(dir, { retention: 20, clock });
    const b = await HistoryStore.open(dir, { retention: 20, clock });
    let lines = 0;
    let most = 0;
    const write = async (store: HistoryStore, first: number): Promise<void> => {
      for (let i = 0; i < 10; i++) {
        await store.addSample({ total_bytes: first + i, files: 1, areas: [] });
        for (let k = 0; k < 30; k++) {
          store.recordActivity('add', 1, { total_bytes: first + i, files: 1 });
          await store.flush();
          const now = (await fs.readFile(path.join(dir, HISTORY_FILE), 'utf8')).split('\n').length;
          if (now < lines) most++;
          lines = now;
        }
      }
    };
    // The two run interleaved: every write of one yields to the other.
    await Promise.all([write(a, 100), write(b, 200)]);
    await a.close();
    await b.close();
    assert.ok(most >= 2, `the file was compacted ${most} times`);
    const merged = await HistoryStore.open(dir, { retention: 20, clock });
    const totals = merged
      .samples()
      .map((s) => s.total_bytes)
      .sort((x, y) => x - y);
    assert.deepEqual(totals, [
      ...Array.from({ length: 10 }, (_, i) => 100 + i),
      ...Array.from({ length: 10 }, (_, i) => 200 + i),
    ]);
    await merged.close();
  });

  it("merges the other store's samples into memory on its next write", async () => {
    const clock = manualClock(T0);
    const a = await HistoryStore.open(dir, { clock });
    const b = await HistoryStore.open(dir, { clock });
    await a.addSample({ total_bytes: 1, files: 1, areas: [] });
    clock.advance(HOUR);
    await b.addSample({ total_bytes: 2, files: 1, areas: [] });
    assert.deepEqual(
      b.samples().map((s) => s.total_bytes),
      [1, 2],
    );
    await b.compact();
    clock.advance(HOUR);
    await a.addSample({ total_bytes: 3, files: 1, areas: [] });
    assert.deepEqual(
      a.samples().map((s) => s.total_bytes),
      [1, 2, 3],
    );
    await a.close();
    await b.close();
  });

  it('keeps a sample whose write found the file locked too long, and writes it with the next', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { clock, lock: { timeoutMs: 50, retryMs: 5 } });
    await store.addSample({ total_bytes: 1, files: 1, areas: [] });
    // Another live window holds the lock (a fresh one: not stale, its process runs).
    const lock = path.join(dir, `${HISTORY_FILE}.lock`);
    await fs.writeFile(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now(), token: 'other' }));
    clock.advance(HOUR);
    await assert.rejects(store.addSample({ total_bytes: 2, files: 1, areas: [] }), /locked by another window/);
    assert.deepEqual(
      store.samples().map((s) => s.total_bytes),
      [1, 2],
    );
    await fs.unlink(lock);
    clock.advance(HOUR);
    await store.addSample({ total_bytes: 3, files: 1, areas: [] });
    await store.close();
    const again = await HistoryStore.open(dir, { clock });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [1, 2, 3],
    );
    await again.close();
  });

  it('loses no sample when two processes append and compact the same file', async function () {
    this.timeout(60_000);
    await Promise.all([runWriter(dir, 40, 1000), runWriter(dir, 40, 2000)]);
    const merged = await HistoryStore.open(dir, { retention: 1000 });
    const totals = merged
      .samples()
      .map((s) => s.total_bytes)
      .sort((x, y) => x - y);
    assert.deepEqual(totals, [
      ...Array.from({ length: 40 }, (_, i) => 1000 + i),
      ...Array.from({ length: 40 }, (_, i) => 2000 + i),
    ]);
    assert.deepEqual(merged.warnings(), []);
    assert.deepEqual((await fs.readdir(dir)).sort(), [HISTORY_FILE]);
    await merged.close();
  });
});
