import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { manualClock, type ManualClock } from '../../../src/core/history/clock';
import { historyDirName, HistoryRecorder, type Scheduler } from '../../../src/core/history/historyRecorder';
import { HISTORY_FILE, type SampleInput } from '../../../src/core/history/historyStore';
import { DAY, HOUR, MB, tempDir, withTimeZone } from './helpers';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

/** A scheduler whose timers run when the test says so. */
function manualScheduler(): Scheduler & {
  timers: Array<{ fn: () => void; ms: number; cancelled: boolean }>;
  runDue(): void;
} {
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const scheduler = ((fn: () => void, ms: number) => {
    const t = { fn, ms, cancelled: false };
    timers.push(t);
    return {
      cancel: () => {
        t.cancelled = true;
      },
    };
  }) as Scheduler & { timers: typeof timers; runDue(): void };
  scheduler.timers = timers;
  scheduler.runDue = () => {
    const live = timers.filter((t) => !t.cancelled);
    timers.length = 0;
    for (const t of live) t.fn();
  };
  return scheduler;
}

function usage(work: number): SampleInput {
  return {
    total_bytes: work + 10 * MB,
    files: 100,
    folder_quota_bytes: 100 * 1024 * MB,
    areas: [
      { name: 'production', bytes: 10 * MB, files: 40, quota_bytes: 1024 * MB },
      { name: 'work', bytes: work, files: 60, quota_bytes: 500 * MB },
    ],
  };
}

describe('HistoryRecorder', () => {
  let root: string;
  let clock: ManualClock;
  let scheduler: ReturnType<typeof manualScheduler>;
  let warnings: Array<[string, string]>;
  let recorder: HistoryRecorder;
  const folder = '/ws/project';

  beforeEach(async () => {
    root = await tempDir();
    clock = manualClock(T0);
    scheduler = manualScheduler();
    warnings = [];
    recorder = new HistoryRecorder({
      dirFor: (f) => path.join(root, historyDirName(f)),
      warn: (key, message) => warnings.push([key, message]),
      clock,
      scheduler,
      flushDelayMs: 5,
    });
  });
  afterEach(async () => {
    await recorder.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("names a folder's history directory by a stable hash of its path", () => {
    assert.equal(historyDirName('/ws/project'), historyDirName('/ws/project/'));
    assert.notEqual(historyDirName('/ws/project'), historyDirName('/ws/other'));
    assert.match(historyDirName('/ws/project'), /^[0-9a-f]{16}$/);
  });

  it('takes a sample when the first scan is ready, then one per interval on a timer', async () => {
    let work = 100 * MB;
    const h = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await h.scanReady(() => usage(work));
    assert.equal(h.toJSON()!.samples.length, 1);
    assert.equal(h.toJSON()!.samples[0].at, T0);
    // The next sample is due in 24 h.
    const timer = scheduler.timers.filter((t) => !t.cancelled).at(-1)!;
    assert.equal(timer.ms, 24 * HOUR);
    for (let day = 1; day <= 3; day++) {
      clock.advance(DAY);
      work += 40 * MB;
      scheduler.runDue();
      await waitFor(() => h.toJSON()!.samples.length === day + 1);
    }
    assert.deepEqual(
      h.toJSON()!.samples.map((s) => s.areas.work.bytes),
      [100, 140, 180, 220].map((m) => m * MB),
    );
    // 280 MB to go at 40 MB a day: about 7 days.
    assert.equal(h.forecastFor('work'), 'work reaches its 500 MB quota in about 7 days');
    assert.equal(h.forecastFor('production'), undefined, 'a flat trend gives no forecast');
    const view = h.view()!;
    assert.equal(view.samples, 4);
    assert.ok(view.forecasts.includes('work reaches its 500 MB quota in about 7 days'));
    assert.match(view.chart_svg, /<svg[^>]*class="history-chart"/);
    assert.match(view.chart_svg, />work \(220 MB\)</);
  });

  it('tells sample listeners of each sample, the first of a fresh history marked first', async () => {
    const seen: Array<[string, number, boolean]> = [];
    const sub = recorder.onSample((f, s) => seen.push([f, s.at, s.first]));
    const h = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await h.scanReady(() => usage(100 * MB));
    clock.advance(DAY);
    scheduler.runDue();
    await waitFor(() => seen.length === 2);
    sub.dispose();
    clock.advance(DAY);
    scheduler.runDue();
    await waitFor(() => h.toJSON()!.samples.length === 3);
    assert.deepEqual(seen, [
      [folder, T0, true],
      [folder, T0 + DAY, false],
    ]);
  });

  it('does not sample at start-up when the last sample is younger than the interval', async () => {
    const first = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await first.scanReady(() => usage(100 * MB));
    await recorder.close();
    clock.advance(5 * HOUR);
    recorder = new HistoryRecorder({
      dirFor: (f) => path.join(root, historyDirName(f)),
      warn: () => undefined,
      clock,
      scheduler,
    });
    const again = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await again.scanReady(() => usage(120 * MB));
    assert.equal(again.toJSON()!.samples.length, 1);
    // The timer waits for the rest of the interval.
    assert.equal(scheduler.timers.filter((t) => !t.cancelled).at(-1)!.ms, 19 * HOUR);
    // Past the interval, a restart samples at once.
    await recorder.close();
    clock.advance(20 * HOUR);
    recorder = new HistoryRecorder({
      dirFor: (f) => path.join(root, historyDirName(f)),
      warn: () => undefined,
      clock,
      scheduler,
    });
    const third = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await third.scanReady(() => usage(130 * MB));
    assert.deepEqual(
      third.toJSON()!.samples.map((s) => s.areas.work.bytes),
      [100 * MB, 130 * MB],
    );
  });

  it('keeps the configured retention, also when the setting changes', async () => {
    const h = recorder.attach(folder, 'project', { sampleIntervalHours: 1, retention: 5 });
    await h.scanReady(() => usage(clock.now() - T0));
    for (let i = 0; i < 8; i++) {
      clock.advance(HOUR);
      await h.maybeSample();
    }
    assert.equal(h.toJSON()!.samples.length, 5);
    recorder.attach(folder, 'project', { sampleIntervalHours: 1, retention: 3 });
    await h.whenOpen();
    assert.equal(h.toJSON()!.samples.length, 3);
    assert.equal(h.toJSON()!.retention, 3);
  });

  it('records batches of activity per local day and writes them', () =>
    withTimeZone('UTC', async () => {
      const h = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
      await h.whenOpen();
      h.recordActivity(
        { files_added: 2, files_deleted: 0, bytes_added: 3000, bytes_removed: 0 },
        { total_bytes: 13_000, files: 12 },
      );
      h.recordActivity(
        { files_added: 0, files_deleted: 0, bytes_added: 0, bytes_removed: 0 },
        { total_bytes: 1, files: 1 },
      );
      h.recordActivity(
        { files_added: 0, files_deleted: 1, bytes_added: 0, bytes_removed: 500 },
        { total_bytes: 12_500, files: 11 },
      );
      clock.advance(DAY);
      h.recordActivity(
        { files_added: 1, files_deleted: 0, bytes_added: 10, bytes_removed: 0 },
        { total_bytes: 12_510, files: 12 },
      );
      assert.deepEqual(h.toJSON()!.activity, [
        {
          day: '2026-03-01',
          files_added: 2,
          files_deleted: 1,
          bytes_added: 3000,
          bytes_removed: 500,
          end_total_bytes: 12_500,
          end_files: 11,
        },
        {
          day: '2026-03-02',
          files_added: 1,
          files_deleted: 0,
          bytes_added: 10,
          bytes_removed: 0,
          end_total_bytes: 12_510,
          end_files: 12,
        },
      ]);
      await recorder.close();
      const text = await fs.readFile(path.join(root, historyDirName(folder), HISTORY_FILE), 'utf8');
      assert.match(text, /"day":"2026-03-02"/);
      assert.equal(
        h.toCSV()!.activity.split('\r\n')[0],
        'day,files_added,files_deleted,bytes_added,bytes_removed,end_total_bytes,end_files',
      );
    }));

  it('sets a corrupt history aside with one warning and starts afresh', async () => {
    const dir = path.join(root, historyDirName(folder));
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, HISTORY_FILE), 'this is not a history\n{}\n');
    const h = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await h.scanReady(() => usage(1 * MB));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0][0], `history:${folder}:corrupt`);
    assert.match(warnings[0][1], /could not be read .* moved to history\.jsonl\.corrupt-/);
    assert.equal(h.toJSON()!.samples.length, 1);
    const names = await fs.readdir(dir);
    assert.ok(
      names.some((n) => n.startsWith(`${HISTORY_FILE}.corrupt-`)),
      names.join(', '),
    );
  });

  it('warns once and keeps no history when the directory cannot be created', async () => {
    const blocker = path.join(root, 'file');
    await fs.writeFile(blocker, 'x');
    recorder = new HistoryRecorder({
      dirFor: () => path.join(blocker, 'sub'),
      warn: (k, m) => warnings.push([k, m]),
      clock,
      scheduler,
    });
    const h = recorder.attach(folder, 'project', { sampleIntervalHours: 24, retention: 90 });
    await h.scanReady(() => usage(1 * MB));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0][0], `history:${folder}:open`);
    assert.equal(h.view(), null);
    assert.equal(h.forecastFor('work'), undefined);
    h.recordActivity(
      { files_added: 1, files_deleted: 0, bytes_added: 1, bytes_removed: 0 },
      { total_bytes: 1, files: 1 },
    );
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
