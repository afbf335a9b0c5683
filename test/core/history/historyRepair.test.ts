import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { manualClock } from '../../../src/core/history/clock';
import { parseHistoryText } from '../../../src/core/history/historyFormat';
import { HISTORY_FILE, HistoryStore, type SampleInput } from '../../../src/core/history/historyStore';
import { faultyFs } from '../fs/faultyFs';
import { DAY, HOUR, tempDir } from './helpers';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const HEADER = JSON.stringify({ type: 'header', format: 'workspace-usage-history', version: 1 });

function input(total: number): SampleInput {
  return { total_bytes: total, files: 1, areas: [{ name: 'work', bytes: total, files: 1, quota_bytes: 0 }] };
}

function sampleText(i: number): string {
  return JSON.stringify({ type: 'sample', at: T0 + i * HOUR, total_bytes: 100 + i, files: 1, areas: {} });
}

describe('HistoryStore repair', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, HISTORY_FILE);
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const asides = async (): Promise<string[]> => (await fs.readdir(dir)).filter((n) => n.includes('.corrupt-')).sort();
  const onDisk = async () => {
    const parsed = parseHistoryText(await fs.readFile(file, 'utf8'));
    assert.equal(parsed.kind, 'ok');
    return parsed as Extract<typeof parsed, { kind: 'ok' }>;
  };

  it('keeps the 19 good samples of 20 around one corrupt record, reports its line, repairs the file once', async () => {
    const lines = [HEADER, ...Array.from({ length: 20 }, (_, i) => sampleText(i))];
    lines[8] = '{"type":"sample","at":"yesterday","tot\u00ff\u0001'; // line 9: sample i=7
    const damaged = `${lines.join('\n')}\n`;
    await fs.writeFile(file, damaged);
    const warnings: string[] = [];
    const clock = manualClock(T0 + DAY);
    const store = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
    const kept = store.samples().map((s) => s.total_bytes);
    assert.equal(kept.length, 19);
    assert.ok(!kept.includes(107));
    assert.deepEqual(
      kept.filter((t) => t !== 107),
      Array.from({ length: 20 }, (_, i) => 100 + i).filter((t) => t !== 107),
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /line 9/);
    assert.ok(warnings[0].includes(file), warnings[0]);
    const values = store.warnings();
    assert.equal(values.length, 1);
    assert.equal(values[0].kind, 'skipped-records');
    if (values[0].kind === 'skipped-records')
      assert.deepEqual(
        values[0].lines.map((l) => l.line),
        [9],
      );
    // The original is kept once, byte for byte; the file is rewritten without the bad record.
    assert.deepEqual(await asides(), [`${HISTORY_FILE}.corrupt-20260111T120000Z`]);
    assert.equal(await fs.readFile(path.join(dir, (await asides())[0]), 'utf8'), damaged);
    const repaired = await onDisk();
    assert.deepEqual(repaired.skipped, []);
    assert.equal(repaired.needsRepair, false);
    assert.equal(repaired.samples.length, 19);
    await store.close();
    // Opened again: nothing to report, nothing set aside again.
    const again = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
    assert.equal(again.samples().length, 19);
    assert.equal(warnings.length, 1);
    assert.equal((await asides()).length, 1);
    await again.close();
  });

  it('sets the same damage aside only once, even when it comes back', async () => {
    const damaged = `${HEADER}\n${sampleText(0)}\nnot json\n${sampleText(1)}\n`;
    const clock = manualClock(T0);
    const warnings: string[] = [];
    for (let i = 0; i < 2; i++) {
      await fs.writeFile(file, damaged);
      const store = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
      assert.deepEqual(
        store.samples().map((s) => s.total_bytes),
        [100, 101],
      );
      await store.close();
      clock.advance(HOUR);
    }
    assert.equal(warnings.length, 1);
    assert.equal((await asides()).length, 1);
  });

  it('repairs zero bytes after the last record on disk, so the next open needs no set-aside', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { clock });
    for (let i = 0; i < 3; i++) await store.addSample(input(i));
    await store.close();
    await fs.appendFile(file, Buffer.alloc(4096));
    const warnings: string[] = [];
    const again = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [0, 1, 2],
    );
    const text = await fs.readFile(file, 'utf8');
    assert.ok(!text.includes('\0'), 'zero bytes are still on disk');
    assert.equal((await onDisk()).needsRepair, false);
    await again.addSample(input(3));
    await again.close();
    const third = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      third.samples().map((s) => s.total_bytes),
      [0, 1, 2, 3],
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(await asides(), []);
    await third.close();
  });

  it('recovers records appended after a zero-filled region (a file an older version wrote)', async () => {
    await fs.writeFile(file, `${HEADER}\n${sampleText(0)}\n${'\0'.repeat(100)}${sampleText(1)}\n${sampleText(2)}\n`);
    const warnings: string[] = [];
    const store = await HistoryStore.open(dir, { clock: manualClock(T0), onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      store.samples().map((s) => s.total_bytes),
      [100, 101, 102],
    );
    assert.deepEqual(warnings, []);
    assert.ok(!(await fs.readFile(file, 'utf8')).includes('\0'));
    await store.close();
  });

  it('repairs a torn last line on disk at open, without a warning', async () => {
    await fs.writeFile(file, `${HEADER}\n${sampleText(0)}\n${sampleText(1).slice(0, 30)}`);
    const warnings: string[] = [];
    const store = await HistoryStore.open(dir, { clock: manualClock(T0), onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      store.samples().map((s) => s.total_bytes),
      [100],
    );
    assert.equal(await fs.readFile(file, 'utf8'), `${HEADER}\n${sampleText(0)}\n`);
    assert.deepEqual(warnings, []);
    assert.deepEqual(await asides(), []);
    await store.close();
  });

  it('keeps the records under a damaged header', async () => {
    await fs.writeFile(file, `{"type":"hea\u0000\u0007\n${sampleText(0)}\n${sampleText(1)}\n`);
    const warnings: string[] = [];
    const store = await HistoryStore.open(dir, { clock: manualClock(T0), onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      store.samples().map((s) => s.total_bytes),
      [100, 101],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /line 1/);
    assert.equal((await fs.readFile(file, 'utf8')).split('\n')[0], HEADER);
    await store.close();
  });

  it('reports a complete but invalid last record instead of taking it for a torn one', async () => {
    await fs.writeFile(file, `${HEADER}\n${sampleText(0)}\n{"type":"sample","at":-1}\n`);
    const warnings: string[] = [];
    const store = await HistoryStore.open(dir, { clock: manualClock(T0), onWarning: (m) => warnings.push(m) });
    assert.equal(store.samples().length, 1);
    assert.match(warnings.join(), /line 3/);
    assert.equal((await asides()).length, 1);
    await store.close();
  });

  it('leaves no temporary when a rewrite hits a full disk, and loses no sample', async () => {
    const clock = manualClock(T0);
    let full = false;
    const disk = faultyFs({
      fail: (step, f) => full && step === 'write' && path.basename(f).startsWith(`${HISTORY_FILE}.tmp-`),
    });
    const store = await HistoryStore.open(dir, { clock, retention: 2, fs: disk });
    await store.addSample(input(1));
    clock.advance(HOUR);
    await store.addSample(input(2));
    clock.advance(HOUR);
    full = true;
    // Retention 2 makes the file compact soon: 4 * 2 + 64 lines; activity lines fill it.
    let failed = 0;
    for (let i = 0; i < 80; i++) {
      store.recordActivity('add', 1, { total_bytes: i, files: i });
      try {
        await store.flush();
      } catch (err) {
        assert.match(String(err), /ENOSPC/);
        failed++;
      }
    }
    assert.ok(failed > 0, 'no rewrite was attempted');
    assert.deepEqual((await fs.readdir(dir)).sort(), [HISTORY_FILE]);
    await assert.rejects(store.addSample(input(3)), /ENOSPC/);
    assert.deepEqual((await fs.readdir(dir)).sort(), [HISTORY_FILE]);
    full = false;
    await store.close();
    const again = await HistoryStore.open(dir, { clock, retention: 2 });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [2, 3],
    );
    assert.equal(again.activity()[0].files_added, 80);
    await again.close();
  });

  it('cuts off a half-written append on a full disk and writes the sample later', async () => {
    const clock = manualClock(T0);
    let full = false;
    const disk = faultyFs({ fail: (step, f) => full && step === 'write' && path.basename(f) === HISTORY_FILE });
    const store = await HistoryStore.open(dir, { clock, fs: disk });
    await store.addSample(input(1));
    const before = await fs.readFile(file, 'utf8');
    full = true;
    clock.advance(HOUR);
    await assert.rejects(store.addSample(input(2)), /ENOSPC/);
    assert.equal(await fs.readFile(file, 'utf8'), before);
    full = false;
    clock.advance(HOUR);
    await store.addSample(input(3));
    await store.close();
    const warnings: string[] = [];
    const again = await HistoryStore.open(dir, { clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [1, 2, 3],
    );
    assert.deepEqual(warnings, []);
    await again.close();
  });
});
