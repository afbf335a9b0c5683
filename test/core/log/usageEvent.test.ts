import { strict as assert } from 'node:assert';
import { compareInstants, parseRfc3339, RFC3339_PATTERN } from '../../../src/core/log/timestamp';
import {
  checkUsageEvent,
  isUuid,
  parseEventLine,
  usageEventSchema,
  UUID_PATTERN,
} from '../../../src/core/log/usageEvent';
import { event, line, rng, snapshot } from './helpers';

function reasonOf(text: string): string {
  const result = parseEventLine(text);
  assert.equal(result.ok, false, `expected ${text} to be rejected`);
  return (result as { reason: string }).reason;
}

function withField(field: string, value: unknown): string {
  const e = event();
  if (value === undefined) delete e[field];
  else e[field] = value;
  return JSON.stringify(e);
}

function withRecordField(field: string, value: unknown): string {
  const r: Record<string, unknown> = { ...snapshot('decision', 'alpha', 4) };
  if (value === undefined) delete r[field];
  else r[field] = value;
  return JSON.stringify({ ...event(), records: [snapshot('knowledge', 'k', 1), r] });
}

describe('usage event schema', () => {
  it('accepts a well-formed event, keeps extra fields, and allows an empty records array', () => {
    const ok = parseEventLine(JSON.stringify({ ...event(), extra: { nested: [1] } }));
    assert.ok(ok.ok);
    assert.equal((ok.event as unknown as Record<string, unknown>).extra !== undefined, true);
    assert.ok(parseEventLine(line({ records: [] })).ok);
    assert.ok(parseEventLine(JSON.stringify({ ...event(), records: [{ ...snapshot('a', 'b', 1), more: true }] })).ok);
  });

  it('rejects text that is not JSON with the parser message', () => {
    assert.match(reasonOf('{"id": '), /^not JSON: /);
    assert.match(reasonOf('not json'), /^not JSON: Unexpected token/);
    assert.match(reasonOf('\uFEFF' + line()), /^not JSON: /); // a BOM is not JSON whitespace
  });

  it('rejects JSON that is not an object', () => {
    assert.equal(reasonOf('[]'), 'expected a JSON object, got an array');
    assert.equal(reasonOf('null'), 'expected a JSON object, got null');
    assert.equal(reasonOf('42'), 'expected a JSON object, got a number');
  });

  it('names each missing field', () => {
    for (const field of ['id', 'occurred_at', 'segment_id', 'event', 'source', 'records']) {
      assert.equal(reasonOf(withField(field, undefined)), `${field}: missing`);
    }
    for (const field of ['kind', 'slug', 'file_bytes', 'file_tokens_estimate']) {
      assert.equal(reasonOf(withRecordField(field, undefined)), `records[1].${field}: missing`);
    }
  });

  it('rejects values of the wrong type', () => {
    assert.equal(reasonOf(withField('segment_id', 7)), 'segment_id: must be a string');
    assert.equal(reasonOf(withField('id', 7)), 'id: must be a string');
    assert.equal(reasonOf(withField('records', {})), 'records: must be an array');
    assert.equal(reasonOf(withField('records', [null])), 'records[0]: must be an object');
    assert.equal(reasonOf(withRecordField('kind', 1)), 'records[1].kind: must be a string');
    assert.equal(reasonOf(withRecordField('file_bytes', '4')), 'records[1].file_bytes: must be a non-negative integer');
    assert.equal(
      reasonOf(withRecordField('file_tokens_estimate', null)),
      'records[1].file_tokens_estimate: must be a non-negative integer',
    );
  });

  it('rejects negative, fractional and unsafe byte counts', () => {
    assert.equal(reasonOf(withRecordField('file_bytes', -1)), 'records[1].file_bytes: must be a non-negative integer');
    assert.equal(reasonOf(withRecordField('file_bytes', 1.5)), 'records[1].file_bytes: must be a non-negative integer');
    assert.equal(
      reasonOf(withRecordField('file_tokens_estimate', -0.5)),
      'records[1].file_tokens_estimate: must be a non-negative integer',
    );
    assert.match(
      reasonOf(withRecordField('file_bytes', 2 ** 53)),
      /^records\[1\]\.file_bytes: must be a non-negative integer/,
    );
    assert.ok(parseEventLine(withRecordField('file_bytes', 2 ** 53 - 1)).ok);
    assert.ok(parseEventLine(withRecordField('file_bytes', 0)).ok);
  });

  it('rejects an id that is not a UUID, and accepts any version in either case', () => {
    for (const bad of [
      '',
      'not-a-uuid',
      '0190a5b21c2d7e3f8a4b000000000001',
      '{0190a5b2-1c2d-7e3f-8a4b-000000000001}',
      '0190a5b2-1c2d-7e3f-8a4b-00000000000g',
      '0190a5b2-1c2d-7e3f-8a4b-0000000000012',
    ]) {
      assert.equal(reasonOf(withField('id', bad)), 'id: must be a UUID (8-4-4-4-12 hex digits)', bad);
    }
    for (const good of [
      '00000000-0000-0000-0000-000000000000',
      'ABCDEF01-2345-6789-ABCD-EF0123456789',
      'abcdef01-2345-1789-abcd-ef0123456789',
    ]) {
      assert.ok(parseEventLine(withField('id', good)).ok, good);
    }
  });

  it('rejects an occurred_at that is not an RFC 3339 timestamp with a zone', () => {
    const bad = [
      '2025-03-01',
      '2025-03-01T10:00:00',
      '2025-03-01T10:00Z',
      '2025-13-01T10:00:00Z',
      '2025-02-29T10:00:00Z',
      '2025-03-01T24:00:00Z',
      '2025-03-01T10:00:00+24:00',
      '2025-03-01T10:00:00.Z',
      '2025-03-01T10:00:00+0900',
      'yesterday',
      '1740823200',
    ];
    for (const ts of bad)
      assert.match(reasonOf(withField('occurred_at', ts)), /^occurred_at: must be an RFC 3339 timestamp/, ts);
    const good = [
      '2025-03-01T10:00:00Z',
      '2024-02-29T23:59:59.123456789+09:00',
      '2025-03-01t10:00:00z',
      '2025-03-01 10:00:00-05:30',
      '2016-12-31T23:59:60Z',
      '0001-01-01T00:00:00.1234567891Z',
    ];
    for (const ts of good) assert.ok(parseEventLine(withField('occurred_at', ts)).ok, ts);
  });

  it('rejects an unknown event or source value (exact spelling)', () => {
    for (const e of ['Use', 'resident-exposure', 'USE', ''])
      assert.equal(reasonOf(withField('event', e)), 'event: expected "use" or "resident_exposure"');
    for (const s of ['memoryRead', 'MemoryQuery', 'Resident Injection'])
      assert.match(
        reasonOf(withField('source', s)),
        /^source: expected "MemoryRead", "KnowledgeRef", "WorkflowInvoke" or "ResidentInjection"$/,
      );
  });

  it('rejects strings holding lone surrogates (invalid Unicode, as the source parser does)', () => {
    assert.match(reasonOf(withRecordField('slug', '\ud800x')), /^records\[1\]\.slug: contains a lone surrogate/);
    assert.match(reasonOf(withField('segment_id', 'a\udc00')), /^segment_id: contains a lone surrogate/);
    assert.ok(parseEventLine(withRecordField('slug', '\ud83d\ude00')).ok);
  });
});

describe('RFC 3339 instants', () => {
  it('compare across offsets and fractional digits beyond milliseconds', () => {
    const a = parseRfc3339('2025-03-01T10:00:00.000000001Z')!;
    const b = parseRfc3339('2025-03-01T10:00:00Z')!;
    assert.ok(compareInstants(a, b) > 0);
    assert.equal(compareInstants(parseRfc3339('2025-03-01T19:00:00+09:00')!, b), 0);
    assert.ok(compareInstants(parseRfc3339('2025-03-01T05:00:01-05:00')!, b) > 0);
  });
  it('agree with Date.parse on random instants (millisecond precision)', () => {
    const rand = rng(7);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(rand() * 8e12) - 1e12;
      const offsetMin = Math.floor(rand() * 2 * 1439) - 1439;
      const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
      const sign = offsetMin < 0 ? '-' : '+';
      const abs = Math.abs(offsetMin);
      const ts = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      const instant = parseRfc3339(ts);
      assert.ok(instant, ts);
      assert.equal(instant.seconds * 1000 + instant.nanos / 1e6, Date.parse(ts), ts);
    }
  });
});

describe('RFC 3339 grammar', () => {
  // Reference: the regular expression, then range checks through Date.
  function referenceValid(ts: string): boolean {
    const m = RFC3339_PATTERN.exec(ts);
    if (!m) return false;
    const d = new Date(0);
    d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
    if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return false;
    if (+m[4] > 23 || +m[5] > 59 || +m[6] > 60) return false;
    return m[8] === undefined || (+m[9] <= 23 && +m[10] <= 59);
  }

  it('the hand parser accepts exactly what the pattern and range checks accept (50,000 mutations)', () => {
    const rand = rng(5);
    const seeds = [
      '2025-03-01T10:00:00Z',
      '2024-02-29T23:59:60.123456789+09:30',
      '0000-12-31t00:00:00.5z',
      '2100-02-28 12:34:56-00:00',
    ];
    const pool = '0123456789-:T tZz+.x\u00e9';
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      let ts = seeds[Math.floor(rand() * seeds.length)];
      const edits = Math.floor(rand() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rand() * (ts.length + 1));
        const c = pool[Math.floor(rand() * pool.length)];
        const op = rand();
        ts =
          op < 0.4
            ? ts.slice(0, at) + c + ts.slice(at + 1)
            : op < 0.7
              ? ts.slice(0, at) + ts.slice(at + 1)
              : ts.slice(0, at) + c + ts.slice(at);
      }
      const got = parseRfc3339(ts) !== undefined;
      assert.equal(got, referenceValid(ts), ts);
      if (got) accepted++;
    }
    assert.ok(accepted > 5000 && accepted < 45_000, `${accepted} accepted`);
  });
});

describe('fast validation path', () => {
  it('isUuid agrees with UUID_PATTERN (50,000 mutations)', () => {
    const rand = rng(8);
    const pool = '0123456789abcdefABCDEFgG-x ';
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      let id = '0190a5b2-1c2d-7e3f-8a4b-00000000ABcd';
      for (let k = Math.floor(rand() * 3); k > 0; k--) {
        const at = Math.floor(rand() * (id.length + 1));
        const c = pool[Math.floor(rand() * pool.length)];
        const op = rand();
        id =
          op < 0.6
            ? id.slice(0, at) + c + id.slice(at + 1)
            : op < 0.8
              ? id.slice(0, at) + id.slice(at + 1)
              : id.slice(0, at) + c + id.slice(at);
      }
      assert.equal(isUuid(id), UUID_PATTERN.test(id), id);
      if (isUuid(id)) accepted++;
    }
    assert.ok(accepted > 5000 && accepted < 45_000, `${accepted} accepted`);
  });

  // Random mutations of a valid event; the fast check must accept exactly what zod accepts.
  const values: unknown[] = [
    undefined,
    null,
    true,
    0,
    -1,
    1.5,
    2 ** 53,
    2 ** 53 - 1,
    '',
    'x',
    '\ud800',
    [],
    {},
    [1],
    'use',
    'resident_exposure',
    'MemoryRead',
    'ResidentInjection',
    '2025-03-01T10:00:00Z',
    '2025-02-30T10:00:00Z',
    '0190a5b2-1c2d-7e3f-8a4b-000000000001',
    '0190a5b2-1c2d-7e3f-8a4b-00000000000',
  ];
  const fields = ['id', 'occurred_at', 'segment_id', 'event', 'source', 'records', 'extra'];
  const recordFields = ['kind', 'slug', 'file_bytes', 'file_tokens_estimate', 'extra'];

  it('accepts exactly what the zod schema accepts (20,000 random variants)', () => {
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let v: unknown = event({
        event: pick(['use', 'resident_exposure']),
        source: pick(['MemoryRead', 'KnowledgeRef', 'WorkflowInvoke', 'ResidentInjection']),
        records: [snapshot('decision', 'a', 4), snapshot('knowledge', 'b', 9)],
      });
      const o = v as Record<string, unknown>;
      const mutations = Math.floor(rand() * 3);
      for (let k = 0; k < mutations; k++) {
        const where = rand();
        if (where < 0.5) {
          const f = pick(fields);
          const value = pick(values);
          if (value === undefined) delete o[f];
          else o[f] = value;
        } else if (where < 0.9 && Array.isArray(o.records) && o.records.length > 0) {
          const r = o.records[Math.floor(rand() * o.records.length)];
          if (r && typeof r === 'object' && !Array.isArray(r)) {
            const f = pick(recordFields);
            const value = pick(values);
            if (value === undefined) delete (r as Record<string, unknown>)[f];
            else (r as Record<string, unknown>)[f] = value;
          } else {
            o.records = pick(values);
          }
        } else {
          v = pick(values);
        }
      }
      const fast = checkUsageEvent(v) !== undefined;
      const zod = usageEventSchema.safeParse(v).success;
      assert.equal(fast, zod, JSON.stringify(v));
      if (fast) accepted++;
    }
    assert.ok(accepted > 3000 && accepted < 17_000, `both outcomes exercised (${accepted} accepted)`);
  });
});
