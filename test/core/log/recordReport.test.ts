import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../../../src/core/log/lineSplitter';
import { readLogOnce } from '../../../src/core/log/readLogOnce';
import { MAX_MALFORMED_SAMPLES, RecordReportBuilder } from '../../../src/core/log/recordReport';
import { parseEventLine, type UsageEvent } from '../../../src/core/log/usageEvent';
import { compareUtf8, firstInvalidUtf8 } from '../../../src/core/log/utf8';
import { line, referenceReport, removeDir, rng, snapshot, tempDir } from './helpers';

function reportOf(text: string | Buffer) {
  const b = new RecordReportBuilder();
  const s = new LineSplitter(b);
  s.push(typeof text === 'string' ? Buffer.from(text) : text);
  s.end();
  return b.snapshot();
}

function find(report: { records: Array<{ kind: string; slug: string }> }, kind: string, slug: string) {
  const r = report.records.find((x) => x.kind === kind && x.slug === slug);
  assert.ok(r, `${kind}/${slug} in the report`);
  return r as never as import('../../../src/core/log/recordReport').RecordStats;
}

describe('record report (the source document tests)', () => {
  // The source appends: a MemoryRead use of decision/alpha ("abcd"), two KnowledgeRef uses of
  // knowledge/policy ("abcdefgh") in two segments, one resident exposure of knowledge/policy.
  it('aggregates_use_and_resident_exposure_separately', () => {
    const alpha = snapshot('decision', 'alpha', 'abcd'.length);
    const policy = snapshot('knowledge', 'policy', 'abcdefgh'.length);
    const log =
      [
        line({ segment_id: 'session-a', source: 'MemoryRead', records: [alpha], occurred_at: '2025-03-01T10:00:00Z' }),
        line({
          segment_id: 'session-a',
          source: 'KnowledgeRef',
          records: [policy],
          occurred_at: '2025-03-01T10:00:01Z',
        }),
        line({
          segment_id: 'session-b',
          source: 'KnowledgeRef',
          records: [policy],
          occurred_at: '2025-03-01T10:00:02Z',
        }),
        line({
          segment_id: 'session-b',
          event: 'resident_exposure',
          source: 'ResidentInjection',
          records: [policy],
          occurred_at: '2025-03-01T10:00:03Z',
        }),
      ].join('\n') + '\n';
    const report = reportOf(log);
    const decision = find(report, 'decision', 'alpha');
    assert.equal(decision.use_count, 1);
    assert.equal(decision.source_breakdown.MemoryRead, 1);
    assert.equal(decision.resident_exposure_count, 0);
    assert.equal(decision.last_used_at, '2025-03-01T10:00:00Z');
    const knowledge = find(report, 'knowledge', 'policy');
    assert.equal(knowledge.use_count, 2);
    assert.deepEqual(knowledge.source_breakdown, { KnowledgeRef: 2 });
    assert.equal(knowledge.last_used_at, '2025-03-01T10:00:02Z');
    assert.equal(knowledge.resident_exposure_count, 1);
    assert.equal(knowledge.estimated_tokens_per_injection, Math.ceil('abcdefgh'.length / 4));
    assert.equal(knowledge.estimated_total_resident_exposure_tokens, Math.ceil('abcdefgh'.length / 4));
    assert.deepEqual(
      report.records.map((r) => `${r.kind}/${r.slug}`),
      ['decision/alpha', 'knowledge/policy'],
    );
  });

  it('resident_only_record_does_not_increment_use_count', () => {
    const report = reportOf(
      line({ event: 'resident_exposure', source: 'ResidentInjection', records: [snapshot('knowledge', 'policy', 8)] }) +
        '\n',
    );
    assert.equal(report.records.length, 1);
    const record = report.records[0];
    assert.equal(record.use_count, 0);
    assert.equal(record.last_used_at, null);
    assert.deepEqual(record.source_breakdown, {});
    assert.equal(record.resident_exposure_count, 1);
  });

  it('multiplies the last exposure (in log order) by the count, whatever the source', () => {
    const log = [
      line({
        event: 'resident_exposure',
        source: 'ResidentInjection',
        records: [snapshot('knowledge', 'p', 400)],
        occurred_at: '2025-03-02T00:00:00Z',
      }),
      line({
        event: 'resident_exposure',
        source: 'MemoryRead',
        records: [snapshot('knowledge', 'p', 40)],
        occurred_at: '2025-03-01T00:00:00Z',
      }),
      line({
        event: 'resident_exposure',
        source: 'KnowledgeRef',
        records: [snapshot('knowledge', 'p', 8), snapshot('knowledge', 'p', 12)],
        occurred_at: '2025-01-01T00:00:00Z',
      }),
    ].join('\n');
    const r = reportOf(log).records[0];
    assert.equal(r.resident_exposure_count, 4);
    assert.equal(r.estimated_tokens_per_injection, 3);
    assert.equal(r.estimated_total_resident_exposure_tokens, 12);
    assert.equal(r.use_count, 0);
  });

  it('takes the latest instant as last_used_at, keeping its original text, and counts uses of any source', () => {
    const rec = [snapshot('decision', 'd', 1)];
    const log = [
      line({ occurred_at: '2025-03-01T12:00:00+09:00', source: 'WorkflowInvoke', records: rec }), // 03:00Z
      line({ occurred_at: '2025-03-01T04:00:00.5Z', source: 'MemoryRead', records: rec }), // 04:00:00.5Z
      line({ occurred_at: '2025-02-28T23:30:00-05:00', source: 'ResidentInjection', records: rec }), // 2025-03-01T04:30Z: the latest
      line({ occurred_at: '2025-03-01T04:00:00Z', source: 'MemoryRead', records: rec }),
    ].join('\n');
    const r = reportOf(log).records[0];
    assert.equal(r.use_count, 4);
    assert.equal(r.last_used_at, '2025-02-28T23:30:00-05:00');
    assert.deepEqual(Object.keys(r.source_breakdown), ['MemoryRead', 'ResidentInjection', 'WorkflowInvoke']);
    assert.deepEqual(r.source_breakdown, { MemoryRead: 2, ResidentInjection: 1, WorkflowInvoke: 1 });
  });

  it('on equal instants, the later line wins (as Rust max does)', () => {
    const rec = [snapshot('decision', 'd', 1)];
    const r = reportOf(
      [
        line({ occurred_at: '2025-03-01T09:00:00+09:00', records: rec }),
        line({ occurred_at: '2025-03-01T00:00:00.000Z', records: rec }),
      ].join('\n'),
    ).records[0];
    assert.equal(r.last_used_at, '2025-03-01T00:00:00.000Z');
  });

  it('does not de-duplicate repeated event ids', () => {
    const same = line({ id: '0190a5b2-1c2d-7e3f-8a4b-000000000abc' });
    assert.equal(reportOf(`${same}\n${same}\n`).records[0].use_count, 2);
  });

  it('sorts by kind then slug byte-wise as UTF-8, not by UTF-16 code units', () => {
    const slugs = ['\uFFFF', '\u{1F600}', 'b', 'B', 'é', 'a\u0000', 'a', '\uE000', '\u{10000}', 'ｚ'];
    const kinds = ['\u{1F600}k', '\uFFFDk', 'k'];
    const rand = rng(3);
    const lines: string[] = [];
    for (const kind of kinds)
      for (const slug of slugs) lines.push(line({ records: [snapshot(kind, slug, Math.floor(rand() * 100))] }));
    lines.sort(() => rand() - 0.5);
    const report = reportOf(lines.join('\n'));
    const expected = kinds.flatMap((kind) => slugs.map((slug) => ({ kind, slug })));
    expected.sort(
      (a, b) =>
        Buffer.compare(Buffer.from(a.kind), Buffer.from(b.kind)) ||
        Buffer.compare(Buffer.from(a.slug), Buffer.from(b.slug)),
    );
    assert.deepEqual(
      report.records.map(({ kind, slug }) => ({ kind, slug })),
      expected,
    );
    // The case that differs from JavaScript's default order:
    const uf = report.records.filter((r) => r.kind === 'k').map((r) => r.slug);
    assert.ok(uf.indexOf('\uFFFF') < uf.indexOf('\u{1F600}'));
    assert.ok(['\uFFFF', '\u{1F600}'].sort()[0] === '\u{1F600}', 'JS sort puts the astral char first');
  });

  it('compareUtf8 agrees with Buffer.compare on random strings', () => {
    const rand = rng(11);
    const pool = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff];
    const randomString = () =>
      Array.from({ length: Math.floor(rand() * 4) }, () =>
        String.fromCodePoint(pool[Math.floor(rand() * pool.length)]),
      ).join('');
    for (let i = 0; i < 5000; i++) {
      const a = randomString();
      const b = randomString();
      assert.equal(
        Math.sign(compareUtf8(a, b)),
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
        JSON.stringify([a, b]),
      );
    }
  });

  it('skips blank lines (Rust whitespace), counts every line', () => {
    const log = ['', line(), '   ', '\t\r', '\u00a0\u2028\u0085\u3000', line(), ''].join('\n');
    const report = reportOf(log);
    assert.equal(report.malformed.count, 0);
    assert.equal(report.events, 2);
    assert.equal(report.records[0].use_count, 2);
    assert.equal(report.lines, 6);
    // U+FEFF is JavaScript whitespace but not Rust's: a line of it is malformed.
    assert.equal(reportOf('\uFEFF\n').malformed.count, 1);
  });

  it('reads CRLF line endings', () => {
    const log = `${line()}\r\n${line()}\r\n\r\n${line()}\r\n`;
    const report = reportOf(log);
    assert.equal(report.events, 3);
    assert.equal(report.malformed.count, 0);
  });

  it('counts every class of malformed line, with line numbers, reasons and the start of the text', () => {
    const bad: Array<[string, RegExp]> = [
      ['{not json', /^not JSON: /],
      ['[1,2]', /^expected a JSON object/],
      [line().replace('"segment_id":"segment-a",', ''), /^segment_id: missing$/],
      [line({ segment_id: 5 as never }), /^segment_id: must be a string$/],
      [
        line({ records: [{ ...snapshot('a', 'b', 1), file_bytes: -3 }] }),
        /^records\[0\]\.file_bytes: must be a non-negative integer$/,
      ],
      [
        line({ records: [{ ...snapshot('a', 'b', 1), file_tokens_estimate: 2.5 }] }),
        /^records\[0\]\.file_tokens_estimate: must be a non-negative integer$/,
      ],
      [line({ id: 'abc' }), /^id: must be a UUID/],
      [line({ occurred_at: 'March 1st' }), /^occurred_at: must be an RFC 3339 timestamp/],
      [line({ event: 'used' }), /^event: expected "use" or "resident_exposure"$/],
      [line({ source: 'MemoryQuery' }), /^source: expected /],
    ];
    const lines = bad.flatMap(([text]) => [line(), text]);
    const report = reportOf(lines.join('\n') + '\n');
    assert.equal(report.malformed.count, bad.length);
    assert.equal(report.events, bad.length);
    report.malformed.samples.forEach((s, i) => {
      assert.equal(s.line, 2 * i + 2);
      assert.match(s.reason, bad[i][1]);
      assert.equal(s.text, bad[i][0].slice(0, 200));
    });
  });

  it('treats a line that is not valid UTF-8 as one malformed line and reads the rest', () => {
    const good = Buffer.from(line() + '\n');
    const invalid = Buffer.concat([Buffer.from('{"id": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const truncatedSeq = Buffer.from([0x7b, 0xe2, 0x82, 0x0a]); // '{' + an incomplete 3-byte sequence
    const report = reportOf(Buffer.concat([good, invalid, good, truncatedSeq, good]));
    assert.equal(report.events, 3);
    assert.equal(report.malformed.count, 2);
    assert.deepEqual(
      report.malformed.samples.map((s) => s.line),
      [2, 4],
    );
    assert.match(report.malformed.samples[0].reason, /^not valid UTF-8 \(byte 0xff at byte 9 of the line\)$/);
    assert.match(report.malformed.samples[1].reason, /^not valid UTF-8/);
    assert.equal(firstInvalidUtf8(Buffer.from('é€😀')), -1);
    assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0); // an encoded surrogate
  });

  it('keeps the first 100 malformed samples and counts the rest', () => {
    const report = reportOf(Array.from({ length: 250 }, (_, i) => `bad ${i}`).join('\n'));
    assert.equal(report.malformed.count, 250);
    assert.equal(report.malformed.samples.length, MAX_MALFORMED_SAMPLES);
    assert.equal(report.malformed.samples[99].line, 100);
  });

  it('addEvent and addMalformed feed the same report as addLine', () => {
    const a = new RecordReportBuilder();
    const b = new RecordReportBuilder();
    const texts = [line(), 'oops', line({ event: 'resident_exposure' })];
    texts.forEach((t, i) => {
      a.addLine(t, i + 1);
      const parsed = parseEventLine(t);
      if (parsed.ok) b.addEvent(parsed.event as UsageEvent, i + 1);
      else b.addMalformed(i + 1, parsed.reason, t);
    });
    assert.deepEqual(b.snapshot(), a.snapshot());
    a.reset();
    assert.deepEqual(a.snapshot(), { records: [], malformed: { count: 0, samples: [] }, events: 0, lines: 0 });
  });

  it('matches the reference implementation on random logs split into random chunks', () => {
    const rand = rng(99);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let round = 0; round < 30; round++) {
      const lines: string[] = [];
      for (let i = 0; i < 200; i++) {
        const x = rand();
        if (x < 0.05) lines.push('');
        else if (x < 0.1) lines.push('garbage');
        else if (x < 0.15) lines.push(line({ records: [{ ...snapshot('k', 's', 1), file_bytes: -1 }] }));
        else {
          const n = Math.floor(rand() * 3);
          const records = Array.from({ length: n }, () =>
            snapshot(
              pick(['decision', 'knowledge', 'wörk']),
              pick(['a', 'b', 'ü', '😀', '\uFFFF']),
              Math.floor(rand() * 1000),
            ),
          );
          const ts = `2025-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}T1${Math.floor(rand() * 9)}:00:0${Math.floor(rand() * 9)}${pick(['Z', '+09:00', '-03:30', '.25Z'])}`;
          lines.push(
            line({
              event: pick(['use', 'use', 'resident_exposure']),
              source: pick(['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke', 'ResidentInjection']),
              records,
              occurred_at: ts,
            }) + (rand() < 0.1 ? '\r' : ''),
          );
        }
      }
      const text = lines.join('\n') + (rand() < 0.5 ? '\n' : '');
      const bytes = Buffer.from(text);
      const builder = new RecordReportBuilder();
      const splitter = new LineSplitter(builder);
      for (let at = 0; at < bytes.length;) {
        const n = 1 + Math.floor(rand() * 300);
        splitter.push(bytes.subarray(at, at + n));
        at += n;
      }
      splitter.end();
      const got = builder.snapshot();
      const ref = referenceReport(text);
      assert.deepEqual(got.records, ref.records);
      assert.deepEqual(
        got.malformed.samples.map((s) => s.line),
        ref.malformedLines,
      );
      assert.equal(got.events, ref.events);
    }
  });
});

describe('readLogOnce', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  it('gives an empty report for a log that does not exist', async () => {
    const report = await readLogOnce(path.join(dir, 'nope', 'usage.jsonl'));
    assert.deepEqual(report, { records: [], malformed: { count: 0, samples: [] }, events: 0, lines: 0 });
  });

  it('parses a final line without a newline', async () => {
    const file = path.join(dir, 'usage.jsonl');
    writeFileSync(file, `${line()}\n${line({ event: 'resident_exposure' })}`);
    const report = await readLogOnce(file);
    assert.equal(report.events, 2);
    assert.equal(report.records[0].resident_exposure_count, 1);
  });

  it('reads logs larger than its chunk, with multi-byte characters across chunk ends', async () => {
    const file = path.join(dir, 'usage.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) lines.push(line({ records: [snapshot('knowledge', `ü😀-${i % 37}`, i)] }));
    lines.splice(5000, 0, 'broken');
    const text = lines.join('\n') + '\n';
    assert.ok(Buffer.byteLength(text) > 2 * (1 << 20));
    writeFileSync(file, text);
    const report = await readLogOnce(file);
    const ref = referenceReport(text);
    assert.deepEqual(report.records, ref.records);
    assert.equal(report.events, 12_000);
    assert.deepEqual(
      report.malformed.samples.map((s) => s.line),
      [5001],
    );
  });
});
