import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { manualClock } from '../../../src/core/history/clock';
import { HISTORY_FILE, HistoryStore, parseHistoryText, type SampleInput } from '../../../src/core/history/historyStore';
import { DAY, HOUR, MB, tempDir, withTimeZone } from './helpers';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function input(total: number, work = total / 2): SampleInput {
  return {
    total_bytes: total,
    files: Math.round(total / 1000),
    areas: [
      { name: 'work', bytes: work, files: 3, quota_bytes: 500 * MB },
      { name: 'production', bytes: total - work, files: 4, quota_bytes: 1024 * MB },
    ],
  };
}

async function fileLines(dir: string): Promise<string[]> {
  return (await fs.readFile(path.join(dir, HISTORY_FILE), 'utf8')).split('\n').filter((l) => l !== '');
}

describe('HistoryStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps exactly the configured number of samples, the newest ones', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 7, clock });
    for (let i = 0; i < 12; i++) {
      await store.addSample(input(1000 + i));
      clock.advance(DAY);
    }
    const kept = store.samples();
    assert.equal(kept.length, 7);
    assert.deepEqual(
      kept.map((s) => s.total_bytes),
      [1005, 1006, 1007, 1008, 1009, 1010, 1011],
    );
    assert.equal(kept[0].at, T0 + 5 * DAY);
    await store.close();
    const again = await HistoryStore.open(dir, { retention: 7, clock });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [1005, 1006, 1007, 1008, 1009, 1010, 1011],
    );
    await again.close();
    // A smaller retention applies on open (and is written back).
    const smaller = await HistoryStore.open(dir, { retention: 3, clock });
    assert.deepEqual(
      smaller.samples().map((s) => s.total_bytes),
      [1009, 1010, 1011],
    );
    await smaller.close();
    const reread = await HistoryStore.open(dir, { retention: 100, clock });
    assert.equal(reread.samples().length, 3);
  });

  it('bounds the file by compacting, and keeps the data across many writes', () =>
    withTimeZone('UTC', async () => {
      const clock = manualClock(T0);
      const store = await HistoryStore.open(dir, { retention: 3, clock });
      for (let i = 0; i < 60; i++) {
        await store.addSample(input(i));
        store.recordActivity('add', 10, { total_bytes: i, files: i });
        await store.flush();
        clock.advance(HOUR);
      }
      const lines = await fileLines(dir);
      assert.ok(lines.length <= 4 * 3 + 64 + 1, `file has ${lines.length} lines`);
      await store.close();
      const again = await HistoryStore.open(dir, { retention: 3, clock });
      assert.deepEqual(
        again.samples().map((s) => s.total_bytes),
        [57, 58, 59],
      );
      // Now is 2026-01-13 00:00: the 3 days kept are the 11th (24 events), the 12th (24) and today.
      assert.deepEqual(
        again.activity().map((d) => [d.day, d.files_added]),
        [
          ['2026-01-11', 24],
          ['2026-01-12', 24],
        ],
      );
    }));

  it('persists samples and activity across reopen', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock });
    const s = await store.addSample(input(300 * MB, 120 * MB));
    assert.equal(s.at, T0);
    assert.deepEqual(s.areas.work, { bytes: 120 * MB, files: 3, quota_bytes: 500 * MB });
    store.recordActivity('add', 2048, { total_bytes: 300 * MB + 2048, files: 10 });
    await store.close();
    const again = await HistoryStore.open(dir, { retention: 90, clock });
    assert.deepEqual(again.samples(), [s]);
    assert.equal(again.activity().length, 1);
    assert.equal(again.activity()[0].bytes_added, 2048);
    assert.equal(again.activity()[0].end_total_bytes, 300 * MB + 2048);
  });

  it('says when to sample: none yet, or the last one at least the interval old', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock });
    assert.equal(store.shouldSample(24), true);
    await store.addSample(input(1));
    assert.equal(store.shouldSample(24), false);
    clock.advance(23 * HOUR + 59 * 60_000);
    assert.equal(store.shouldSample(24), false);
    assert.equal(store.nextSampleAt(24), T0 + DAY);
    clock.advance(60_000);
    assert.equal(store.shouldSample(24), true);
    assert.equal(store.shouldSample(48), false);
    await store.close();
    // At start-up (a reopen) the persisted last sample decides.
    const again = await HistoryStore.open(dir, { retention: 90, clock });
    assert.equal(again.shouldSample(24), true);
    assert.equal(again.shouldSample(25), false);
  });

  it('counts activity from a scripted sequence of watcher events', async () => {
    await withTimeZone('UTC', async () => {
      const clock = manualClock(T0);
      const store = await HistoryStore.open(dir, { retention: 90, clock });
      store.recordActivity('add', 100, { total_bytes: 1100, files: 11 });
      store.recordActivity('add', 50, { total_bytes: 1150, files: 12 });
      store.recordActivity('change', 30, { total_bytes: 1180, files: 12 });
      store.recordActivity('change', -20, { total_bytes: 1160, files: 12 });
      store.recordActivity('unlink', -50, { total_bytes: 1110, files: 11 });
      store.recordActivity('change', 0, { total_bytes: 1110, files: 11 });
      clock.advance(DAY);
      store.recordActivity('unlink', -1110, { total_bytes: 0, files: 0 });
      store.recordActivity('add', 0, { total_bytes: 0, files: 1 });
      assert.deepEqual(store.activity(), [
        {
          day: '2026-01-10',
          files_added: 2,
          files_deleted: 1,
          bytes_added: 180,
          bytes_removed: 70,
          end_total_bytes: 1110,
          end_files: 11,
        },
        {
          day: '2026-01-11',
          files_added: 1,
          files_deleted: 1,
          bytes_added: 0,
          bytes_removed: 1110,
          end_total_bytes: 0,
          end_files: 1,
        },
      ]);
      await store.close();
    });
  });

  it('starts a new day at local midnight, also on a DST day', async () => {
    await withTimeZone('Europe/Berlin', async () => {
      const clock = manualClock(Date.UTC(2026, 2, 27, 22, 59, 59)); // 2026-03-27 23:59:59 CET
      const store = await HistoryStore.open(dir, { retention: 90, clock });
      const totals = { total_bytes: 1, files: 1 };
      store.recordActivity('add', 1, totals);
      clock.set(Date.UTC(2026, 2, 27, 23, 0, 0)); // 2026-03-28 00:00:00 CET
      store.recordActivity('add', 2, totals);
      clock.set(Date.UTC(2026, 2, 29, 21, 59, 59)); // 2026-03-29 23:59:59 CEST (a 23-hour day)
      store.recordActivity('add', 4, totals);
      clock.set(Date.UTC(2026, 2, 29, 22, 0, 0)); // 2026-03-30 00:00:00 CEST
      store.recordActivity('add', 8, totals);
      assert.deepEqual(
        store.activity().map((d) => [d.day, d.bytes_added]),
        [
          ['2026-03-27', 1],
          ['2026-03-28', 2],
          ['2026-03-29', 4],
          ['2026-03-30', 8],
        ],
      );
      await store.close();
    });
  });

  it('keeps activity for the retention in days', async () => {
    await withTimeZone('UTC', async () => {
      const clock = manualClock(T0);
      const store = await HistoryStore.open(dir, { retention: 3, clock });
      for (let i = 0; i < 5; i++) {
        store.recordActivity('add', 1, { total_bytes: i, files: i });
        clock.advance(DAY);
      }
      clock.advance(-DAY);
      assert.deepEqual(
        store.activity().map((d) => d.day),
        ['2026-01-12', '2026-01-13', '2026-01-14'],
      );
      await store.close();
      const again = await HistoryStore.open(dir, { retention: 3, clock });
      assert.deepEqual(
        again.activity().map((d) => d.day),
        ['2026-01-12', '2026-01-13', '2026-01-14'],
      );
    });
  });

  it('writes activity debounced, not on every event', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock, flushDelayMs: 30 });
    for (let i = 0; i < 50; i++) store.recordActivity('add', 1, { total_bytes: i, files: i });
    assert.equal((await fileLines(dir)).filter((l) => l.includes('"activity"')).length, 0);
    await new Promise((r) => setTimeout(r, 120));
    const lines = (await fileLines(dir)).filter((l) => l.includes('"activity"'));
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]).files_added, 50);
    await store.close();
  });

  it('moves a corrupt store aside with one warning and starts fresh', async () => {
    const clock = manualClock(T0);
    const file = path.join(dir, HISTORY_FILE);
    await fs.writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0x7b, 0x22]));
    const warnings: string[] = [];
    const store = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(file), warnings[0]);
    const names = await fs.readdir(dir);
    const aside = names.filter((n) => n.startsWith(`${HISTORY_FILE}.corrupt-`));
    assert.deepEqual(aside, [`${HISTORY_FILE}.corrupt-20260110T120000Z`]);
    assert.ok(warnings[0].includes(aside[0]));
    assert.deepEqual(store.samples(), []);
    await store.addSample(input(5));
    await store.close();
    const again = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
    assert.equal(warnings.length, 1);
    assert.equal(again.samples().length, 1);
  });

  it('skips a bad line before the last (issue 12: good samples are kept), reports it, and sets the damaged file aside once', async () => {
    const clock = manualClock(T0);
    const file = path.join(dir, HISTORY_FILE);
    const header = JSON.stringify({ type: 'header', format: 'workspace-usage-history', version: 1 });
    const sample = JSON.stringify({ type: 'sample', at: T0, total_bytes: 1, files: 1, areas: {} });
    const damaged = `${header}\n{"type":"sample","at":"yesterday"}\n${sample}\n`;
    const warnings: string[] = [];
    for (let i = 0; i < 2; i++) {
      await fs.writeFile(file, damaged);
      const store = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
      assert.deepEqual(
        store.samples().map((s) => s.total_bytes),
        [1],
      );
      await store.close();
      assert.doesNotMatch(await fs.readFile(file, 'utf8'), /yesterday/, 'repaired on disk');
    }
    assert.ok(warnings.length >= 1);
    assert.match(warnings[0], /line 2/);
    const asides = (await fs.readdir(dir)).filter((n) => n.includes('.corrupt-'));
    assert.equal(asides.length, 1, 'the same damage is set aside once, never over an earlier copy');
    assert.equal(await fs.readFile(path.join(dir, asides[0]), 'utf8'), damaged);
  });

  it('keeps earlier history when the last record was torn mid-write, and repairs the file', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock });
    for (let i = 0; i < 3; i++) {
      await store.addSample(input(100 + i));
      clock.advance(DAY);
    }
    await store.close();
    const file = path.join(dir, HISTORY_FILE);
    // A crash during the next append: half a record, no newline.
    const full = JSON.stringify({ type: 'sample', at: clock.now(), total_bytes: 103, files: 0, areas: {} });
    await fs.appendFile(file, full.slice(0, full.length / 2));
    const warnings: string[] = [];
    const again = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [100, 101, 102],
    );
    assert.equal(warnings.length, 0, warnings.join('; '));
    // The next write must not be glued onto the torn line.
    await again.addSample(input(104));
    await again.close();
    const third = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      third.samples().map((s) => s.total_bytes),
      [100, 101, 102, 104],
    );
    assert.equal(warnings.length, 0, warnings.join('; '));
  });

  it('keeps earlier history when the file is cut inside its last record', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock });
    for (let i = 0; i < 4; i++) {
      await store.addSample(input(200 + i));
      clock.advance(DAY);
    }
    await store.close();
    const file = path.join(dir, HISTORY_FILE);
    const text = await fs.readFile(file, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    await fs.truncate(file, lastStart + 20);
    const again = await HistoryStore.open(dir, { retention: 90, clock });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [200, 201, 202],
    );
    // And zero bytes after the last record (a crash on some file systems) are ignored too.
    await again.close();
    await fs.appendFile(file, Buffer.alloc(64));
    const third = await HistoryStore.open(dir, { retention: 90, clock });
    assert.deepEqual(
      third.samples().map((s) => s.total_bytes),
      [200, 201, 202],
    );
  });

  it('ignores and removes a stray temporary file from an interrupted rewrite', async () => {
    const clock = manualClock(T0);
    const store = await HistoryStore.open(dir, { retention: 90, clock });
    await store.addSample(input(1));
    await store.addSample(input(2));
    await store.close();
    const stray = path.join(dir, `${HISTORY_FILE}.tmp-999-abcdef`);
    await fs.writeFile(stray, '{"type":"header","format":"workspace-usage-history","vers');
    const warnings: string[] = [];
    const again = await HistoryStore.open(dir, { retention: 90, clock, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(
      again.samples().map((s) => s.total_bytes),
      [1, 2],
    );
    assert.equal(warnings.length, 0, warnings.join('; '));
    assert.deepEqual((await fs.readdir(dir)).sort(), [HISTORY_FILE]);
  });

  it('exports JSON and CSV', async () => {
    await withTimeZone('UTC', async () => {
      const clock = manualClock(T0);
      const store = await HistoryStore.open(dir, { retention: 90, clock });
      await store.addSample({
        total_bytes: 10,
        files: 2,
        areas: [
          { name: 'a,"b"', bytes: 4, files: 1, quota_bytes: 100 },
          { name: '=cmd', bytes: 5, files: 1, quota_bytes: 50 },
        ],
      });
      clock.advance(DAY);
      await store.addSample({
        total_bytes: 12,
        files: 3,
        areas: [{ name: '=cmd', bytes: 6, files: 2, quota_bytes: 50 }],
      });
      store.recordActivity('add', 2, { total_bytes: 12, files: 3 });
      const json = JSON.parse(JSON.stringify(store));
      assert.equal(json.samples.length, 2);
      assert.equal(json.activity[0].day, '2026-01-11');
      assert.equal(json.retention, 90);
      const csv = store.toCSV();
      assert.equal(
        csv.samples,
        [
          'time,total_bytes,files,"a,""b"" bytes","a,""b"" files","a,""b"" quota_bytes",\'=cmd bytes,\'=cmd files,\'=cmd quota_bytes',
          '2026-01-10T12:00:00.000Z,10,2,4,1,100,5,1,50',
          '2026-01-11T12:00:00.000Z,12,3,,,,6,2,50',
          '',
        ].join('\r\n'),
      );
      assert.equal(
        csv.activity,
        'day,files_added,files_deleted,bytes_added,bytes_removed,end_total_bytes,end_files\r\n2026-01-11,1,0,2,0,12,3\r\n',
      );
      await store.close();
    });
  });

  it('parses its own format strictly: wrong header is corruption, empty is fresh', () => {
    assert.equal(parseHistoryText('').kind, 'ok');
    assert.equal(parseHistoryText('{"type":"header","format":"other","version":1}\n').kind, 'corrupt');
    assert.equal(
      parseHistoryText('{"type":"header","format":"workspace-usage-history","version":2}\n').kind,
      'corrupt',
    );
    const ok = parseHistoryText(
      '{"type":"header","format":"workspace-usage-history","version":1}\n{"type":"activity","day":"2026-01-01","files_added":1,"files_deleted":0,"bytes_added":3,"bytes_removed":0,"end_total_bytes":3,"end_files":1}\n{"type":"activity","day":"2026-01-01","files_added":2,"files_deleted":0,"bytes_added":5,"bytes_removed":0,"end_total_bytes":5,"end_files":2}\n',
    );
    assert.equal(ok.kind, 'ok');
    if (ok.kind === 'ok') assert.equal(ok.activity.get('2026-01-01')?.files_added, 2);
  });
});
