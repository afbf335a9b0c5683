// Hostile usage logs: not regular files, over-long lines, a BOM, leap seconds, links out of
// the folder (Restricted Mode), and logs of garbage (zod is consulted only for the samples).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../../../src/core/log/lineSplitter';
import { LogTail } from '../../../src/core/log/logTail';
import { readLog } from '../../../src/core/log/readLogOnce';
import { RecordReportBuilder } from '../../../src/core/log/recordReport';
import { listRecordsOnDisk } from '../../../src/core/log/recordsOnDisk';
import { compareInstants, parseRfc3339, timestampToMs } from '../../../src/core/log/timestamp';
import { usageEventSchema } from '../../../src/core/log/usageEvent';
import { checkInside } from '../../../src/core/paths/inside';
import { line, referenceReport, removeDir, rng, snapshot, tempDir } from './helpers';

const MiB = 1 << 20;

describe('hostile usage logs', () => {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = tempDir('wu-hostile-');
    outside = tempDir('wu-hostile-out-');
    mkdirSync(path.join(dir, '.yoi'));
  });
  afterEach(() => {
    removeDir(dir);
    removeDir(outside);
  });

  describe('only a regular file is read', () => {
    it('a FIFO is refused at once by the one-shot read and the tail (no hang)', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(dir, '.yoi', 'usage.jsonl');
      execFileSync('mkfifo', [fifo]);
      const r = await readLog(fifo, { folder: dir });
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.cause === 'not-regular');
      assert.match(!r.ok ? r.reason : '', /usage\.jsonl is not a regular file \(FIFO\)$/);
      const tail = new LogTail(fifo, undefined, { folder: dir });
      const u = await tail.poll();
      assert.deepEqual(
        { ...u, error: undefined },
        { bytesRead: 0, newEvents: 0, reset: false, exists: true, error: undefined },
      );
      assert.match(u.error ?? '', /not a regular file \(FIFO\)/);
      tail.dispose();
    });

    for (const device of ['/dev/zero', '/dev/urandom']) {
      it(`a link to ${device} is refused (it would never end), even when outside is allowed`, async () => {
        const link = path.join(dir, '.yoi', 'usage.jsonl');
        symlinkSync(device, link);
        const r = await readLog(link, { folder: dir, allowOutside: true });
        assert.ok(!r.ok);
        assert.equal(r.cause, 'not-regular');
        assert.match(r.reason, new RegExp(`is not a regular file \\(character device, at ${device}\\)`));
        const tail = new LogTail(link);
        const u = await tail.poll();
        assert.equal(u.bytesRead, 0);
        assert.match(u.error ?? '', /character device/);
        tail.dispose();
      });
    }

    it('the tail drops what it had when a regular log is replaced by a device, and reads again after', async () => {
      const file = path.join(dir, 'usage.jsonl');
      writeFileSync(file, line() + '\n');
      const tail = new LogTail(file);
      assert.equal((await tail.poll()).newEvents, 1);
      removeDir(file);
      symlinkSync('/dev/zero', file);
      const u = await tail.poll();
      assert.equal(u.reset, true);
      assert.equal(u.reason, 'rejected');
      assert.equal(tail.builder.snapshot().events, 0);
      removeDir(file);
      writeFileSync(file, line() + '\n' + line() + '\n');
      const again = await tail.poll();
      assert.equal(again.newEvents, 2);
      assert.equal(again.error, undefined);
      tail.dispose();
    });
  });

  describe('reads are bounded by the size seen at open', () => {
    /** A builder that appends to the log while the first line is being read (a log growing under the reader). */
    class GrowingBuilder extends RecordReportBuilder {
      grown = false;
      constructor(private readonly file: string) {
        super();
      }
      override addText(text: string, lineNo: number): void {
        if (!this.grown) {
          this.grown = true;
          appendFileSync(this.file, Array.from({ length: 1000 }, () => line()).join('\n') + '\n');
        }
        super.addText(text, lineNo);
      }
    }

    it('the one-shot read stops at the size the file had when opened', async () => {
      const file = path.join(dir, 'usage.jsonl');
      const start = [line(), line()].join('\n') + '\n';
      writeFileSync(file, start);
      const r = await readLog(file, {}, new GrowingBuilder(file));
      assert.ok(r.ok);
      assert.equal(r.bytesRead, Buffer.byteLength(start));
      assert.equal(r.report.events, 2);
    });

    it('the tail reads up to that size, and the rest on the next poll', async () => {
      const file = path.join(dir, 'usage.jsonl');
      const start = line() + '\n';
      writeFileSync(file, start);
      const tail = new LogTail(file, new GrowingBuilder(file));
      const first = await tail.poll();
      assert.deepEqual([first.bytesRead, first.newEvents], [Buffer.byteLength(start), 1]);
      const second = await tail.poll();
      assert.equal(second.newEvents, 1000);
      assert.equal(second.reset, false);
      tail.dispose();
    });
  });

  describe('over-long lines', () => {
    it('a 600 MiB line (sparse) is one malformed line; every line before and after counts, in both readers', async function () {
      this.timeout(120_000);
      const file = path.join(dir, 'usage.jsonl');
      const before = line({ records: [snapshot('decision', 'before', 4)] }) + '\n';
      writeFileSync(file, before);
      const fd = openSync(file, 'r+');
      ftruncateSync(fd, Buffer.byteLength(before) + 600 * MiB); // 600 MiB of NUL bytes, no '\n'
      closeSync(fd);
      const after = [
        line({ records: [snapshot('decision', 'after', 4)] }),
        line({ records: [snapshot('knowledge', 'k', 8)] }),
      ];
      appendFileSync(file, '\n' + after.join('\n') + '\n');
      const r = await readLog(file);
      assert.ok(r.ok);
      assert.equal(r.report.events, 3);
      assert.equal(r.report.malformed.count, 1);
      assert.deepEqual(
        r.report.malformed.samples.map((s) => [s.line, s.reason]),
        [[2, `line longer than 1 MiB (${600 * MiB} bytes)`]],
      );
      assert.equal(r.report.lines, 4);
      const tail = new LogTail(file);
      const u = await tail.poll();
      assert.equal(u.newEvents, 3);
      assert.deepEqual(tail.builder.snapshot(), r.report);
      tail.dispose();
    });

    it('holds only an excerpt of a line over the cap, however it is chunked', () => {
      const b = new RecordReportBuilder();
      const s = new LineSplitter(b, { maxLineBytes: 1000 });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let maxHeld = 0;
      for (let i = 0; i < 100; i++) {
        s.push(chunk);
        maxHeld = Math.max(maxHeld, s.heldBytes);
      }
      assert.ok(maxHeld <= 1000, `held ${maxHeld} bytes`);
      s.push(Buffer.from(`\n${line()}\n`));
      const report = b.snapshot();
      assert.equal(report.events, 1);
      assert.deepEqual(
        report.malformed.samples.map((x) => [x.line, x.reason, x.text.length]),
        [[1, `line longer than 1000 bytes (${100 * 64 * 1024} bytes)`, 200]],
      );
    });

    it('agrees with the reference (over-long lines made malformed) on random logs and random chunks', () => {
      const rand = rng(1207);
      const cap = 300;
      for (let round = 0; round < 40; round++) {
        const lines: string[] = [];
        const n = 1 + Math.floor(rand() * 30);
        for (let i = 0; i < n; i++) {
          const pick = rand();
          if (pick < 0.2)
            lines.push('x'.repeat(cap - 50 + Math.floor(rand() * 100))); // around the cap
          else if (pick < 0.3)
            lines.push(line({ segment_id: 's'.repeat(cap) })); // valid JSON, too long
          else if (pick < 0.35) lines.push('');
          else lines.push(line({ records: [snapshot('decision', `d${Math.floor(rand() * 5)}`, 4)] }));
        }
        const text = lines.join('\n') + (rand() < 0.5 ? '\n' : '');
        // The reference sees an over-long line as an unparsable one.
        const expected = referenceReport(
          text
            .split('\n')
            .map((l) => (Buffer.byteLength(l) > cap ? '{' : l))
            .join('\n'),
        );
        const b = new RecordReportBuilder();
        const s = new LineSplitter(b, { maxLineBytes: cap });
        const bytes = Buffer.from(text);
        for (let at = 0; at < bytes.length;) {
          const size = rand() < 0.3 ? 1 + Math.floor(rand() * 2000) : 1 + Math.floor(rand() * 40);
          s.push(bytes.subarray(at, at + size));
          at += size;
        }
        s.end();
        const report = b.snapshot();
        assert.deepEqual(report.records, expected.records, `round ${round}`);
        assert.equal(report.events, expected.events);
        assert.deepEqual(
          report.malformed.samples.map((m) => m.line),
          expected.malformedLines,
          `round ${round}`,
        );
        for (const m of report.malformed.samples) {
          if (m.reason.startsWith('line longer')) assert.match(m.reason, /^line longer than 300 bytes \(\d+ bytes\)$/);
        }
      }
    });
  });

  describe('byte order mark', () => {
    const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

    it('is skipped at the very start of the log (one-shot, and a tail reading it byte by byte)', async () => {
      const file = path.join(dir, 'usage.jsonl');
      const body = Buffer.from(`${line()}\n${line()}\n`);
      writeFileSync(file, Buffer.concat([BOM, body]));
      const r = await readLog(file);
      assert.ok(r.ok);
      assert.equal(r.report.events, 2);
      assert.equal(r.report.malformed.count, 0);
      writeFileSync(file, '');
      const tail = new LogTail(file);
      await tail.poll();
      for (const byte of Buffer.concat([BOM, body])) {
        appendFileSync(file, Buffer.from([byte]));
        await tail.poll();
      }
      assert.deepEqual(tail.builder.snapshot(), r.report);
      tail.dispose();
    });

    it('is data anywhere else, and a partial BOM at the start is given back', async () => {
      const file = path.join(dir, 'usage.jsonl');
      writeFileSync(file, Buffer.concat([Buffer.from(`${line()}\n`), BOM, Buffer.from(`${line()}\n`)]));
      let r = await readLog(file);
      assert.ok(r.ok);
      assert.deepEqual(
        r.report.malformed.samples.map((s) => s.line),
        [2],
      );
      writeFileSync(file, Buffer.concat([BOM.subarray(0, 2), Buffer.from(`${line()}\n`)]));
      r = await readLog(file);
      assert.ok(r.ok);
      assert.match(r.report.malformed.samples[0]?.reason ?? '', /not valid UTF-8/);
    });
  });

  describe('leap seconds', () => {
    it(':60 validates and is displayed as the next second', () => {
      assert.equal(timestampToMs('2016-12-31T23:59:60Z'), Date.UTC(2017, 0, 1));
      assert.equal(timestampToMs('2016-12-31T23:59:60.5Z'), Date.UTC(2017, 0, 1) + 500);
      assert.equal(timestampToMs('2016-12-31 23:59:60+01:00'), Date.UTC(2016, 11, 31, 23) + 0);
      const year50 = new Date(0);
      year50.setUTCFullYear(50, 0, 1);
      assert.equal(timestampToMs('0050-01-01T00:00:00Z'), year50.getTime());
      assert.equal(timestampToMs('not a time'), undefined);
      // Ordering keeps the leap second between :59 and the next :00 (as chrono does).
      const leap = parseRfc3339('2016-12-31T23:59:60.5Z')!;
      assert.ok(compareInstants(parseRfc3339('2016-12-31T23:59:59.9Z')!, leap) < 0);
      assert.ok(compareInstants(leap, parseRfc3339('2017-01-01T00:00:00Z')!) < 0);
    });
  });

  describe('zod words only the kept samples', () => {
    it('explains the first 100 schema-invalid lines and only counts the rest', () => {
      const original = usageEventSchema.safeParse;
      let calls = 0;
      usageEventSchema.safeParse = ((value: unknown) => {
        calls++;
        return original.call(usageEventSchema, value);
      }) as typeof original;
      try {
        const b = new RecordReportBuilder();
        const s = new LineSplitter(b);
        const bad = JSON.stringify({ ...JSON.parse(line()), event: 'nope' });
        s.push(Buffer.from(Array.from({ length: 500 }, () => bad).join('\n') + '\n'));
        const report = b.snapshot();
        assert.equal(report.malformed.count, 500);
        assert.equal(report.malformed.samples.length, 100);
        assert.match(report.malformed.samples[99].reason, /^event: expected "use" or "resident_exposure"$/);
        assert.equal(calls, 100);
      } finally {
        usageEventSchema.safeParse = original;
      }
    });
  });

  describe('Restricted Mode: the real path must stay inside the folder', () => {
    it('checkInside resolves links, and names the path and why', () => {
      writeFileSync(path.join(outside, 'secret'), 'x');
      writeFileSync(path.join(dir, 'inside.txt'), 'x');
      symlinkSync(path.join(outside, 'secret'), path.join(dir, 'out-link'));
      symlinkSync(path.join(dir, 'inside.txt'), path.join(dir, 'in-link'));
      assert.equal(checkInside(dir, 'in-link').inside, true);
      assert.equal(checkInside(dir, path.join(outside, '..', path.basename(dir), 'inside.txt')).inside, true);
      const out = checkInside(dir, 'out-link');
      assert.ok(!out.inside && !out.missing);
      assert.match(out.reason, /out-link resolves to .*secret, outside the folder /);
      const gone = checkInside(dir, 'nothing');
      assert.ok(!gone.inside && gone.missing);
    });

    it('the default log linked out of the folder (to /etc/passwd) is not read; allowOutside reads it', async () => {
      const secret = path.join(outside, 'passwd');
      writeFileSync(secret, `${line()}\n`);
      const log = path.join(dir, '.yoi', 'usage.jsonl');
      symlinkSync(secret, log);
      const r = await readLog(log, { folder: dir });
      assert.ok(!r.ok);
      assert.equal(r.cause, 'outside');
      assert.match(r.reason, /usage\.jsonl resolves to .*passwd, outside the folder/);
      const tail = new LogTail(log, undefined, { folder: dir });
      const u = await tail.poll();
      assert.equal(u.bytesRead, 0);
      assert.match(u.error ?? '', /outside the folder/);
      tail.dispose();
      const allowed = await readLog(log, { folder: dir, allowOutside: true });
      assert.ok(allowed.ok && allowed.report.events === 1);
      // A link that stays inside is fine.
      writeFileSync(path.join(dir, 'real.jsonl'), `${line()}\n${line()}\n`);
      const inner = path.join(dir, 'inner.jsonl');
      symlinkSync(path.join(dir, 'real.jsonl'), inner);
      const ok = await readLog(inner, { folder: dir });
      assert.ok(ok.ok && ok.report.events === 2);
    });

    it('summary.md and record files linked out of the folder are not sized, unless allowed', async () => {
      mkdirSync(path.join(dir, '.yoi', 'memory', 'decisions'), { recursive: true });
      writeFileSync(path.join(outside, 'secret.md'), 'x'.repeat(100));
      symlinkSync(path.join(outside, 'secret.md'), path.join(dir, '.yoi', 'memory', 'summary.md'));
      symlinkSync(path.join(outside, 'secret.md'), path.join(dir, '.yoi', 'memory', 'decisions', 'leak.md'));
      writeFileSync(path.join(dir, '.yoi', 'memory', 'decisions', 'ok.md'), 'abcd');
      const skipped: string[] = [];
      const restricted = await listRecordsOnDisk(dir, { onSkip: (file) => skipped.push(path.basename(file)) });
      assert.deepEqual(
        restricted.map((r) => r.slug),
        ['ok'],
      );
      assert.deepEqual(skipped.sort(), ['leak.md', 'summary.md']);
      const trusted = await listRecordsOnDisk(dir, { allowOutside: true });
      assert.deepEqual(trusted.map((r) => `${r.slug}:${r.file_bytes}`).sort(), ['leak:100', 'ok:4', 'summary:100']);
    });
  });
});
