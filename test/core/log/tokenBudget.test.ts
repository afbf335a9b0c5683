import { strict as assert } from 'node:assert';
import { LineSplitter } from '../../../src/core/log/lineSplitter';
import { RecordReportBuilder, residentTotal } from '../../../src/core/log/recordReport';
import {
  budgetLevel,
  dayText,
  formatShare,
  formatTokens,
  residentLine,
  residentSummary,
  type ResidentRecord,
} from '../../../src/core/log/tokenBudget';
import { line, snapshot } from './helpers';

function rec(kind: string, slug: string, exposures: number, tokens: number): ResidentRecord {
  return { kind, slug, resident_exposure_count: exposures, estimated_tokens_per_injection: tokens };
}

describe('token budget', () => {
  const records = [
    rec('decision', 'a', 3, 240),
    rec('knowledge', 'b', 1, 1000),
    rec('summary', 'never', 0, 0),
    rec('summary', 'c', 2, 240),
  ];

  it('sums the tokens per injection of resident records; never-injected records count zero', () => {
    const s = residentSummary(records, 1000, 200_000);
    assert.equal(s.tokens, 1480);
    assert.equal(s.level, 'over');
    assert.equal(s.contextShare, 1480 / 200_000);
    assert.deepEqual(
      s.records.map((r) => [`${r.kind}/${r.slug}`, r.tokens]),
      [
        ['knowledge/b', 1000],
        ['decision/a', 240],
        ['summary/c', 240],
      ],
      'largest first, then kind and slug; never-injected left out',
    );
    assert.equal(s.records.reduce((n, r) => n + r.share, 0).toFixed(12), '1.000000000000');
    assert.equal(s.records[0].share, 1000 / 1480);
  });

  it('is off at budget 0, ok at or under the budget, over past it', () => {
    assert.equal(budgetLevel(1480, 0), 'off');
    assert.equal(budgetLevel(1480, 1480), 'ok');
    assert.equal(budgetLevel(1481, 1480), 'over');
    assert.equal(residentSummary([], 100, 200_000).level, 'ok');
    assert.equal(
      residentSummary([rec('k', 's', 0, 500)], 100, 200_000).tokens,
      0,
      'a stale token figure without exposures is not counted',
    );
  });

  it('words the line of the Records view', () => {
    assert.equal(
      residentLine({ tokens: 1240, budget: 1000, contextWindow: 200_000, contextShare: 1240 / 200_000 }),
      'Resident: 1,240 tokens of 1,000 budget · 0.6% of 200k context',
    );
    assert.equal(
      residentLine({ tokens: 50_000, budget: 0, contextWindow: 128_000, contextShare: 50_000 / 128_000 }),
      'Resident: 50,000 tokens · 39% of 128k context',
    );
    assert.deepEqual(
      [formatTokens(1500, true), formatTokens(999, true), formatShare(0.0004), formatShare(0), formatShare(0.125)],
      ['1.5k', '999', '<0.1%', '0%', '13%'],
    );
  });
});

describe('resident tokens per day', () => {
  function builderOf(lines: string[]): RecordReportBuilder {
    const b = new RecordReportBuilder();
    const s = new LineSplitter(b);
    s.push(Buffer.from(lines.join('\n') + '\n'));
    s.end();
    return b;
  }

  it('sums the tokens of resident exposures per UTC day, oldest first, uses left out', () => {
    const b = builderOf([
      line({
        event: 'resident_exposure',
        source: 'ResidentInjection',
        occurred_at: '2025-03-02T23:30:00-02:00',
        records: [snapshot('knowledge', 'p', 400), snapshot('decision', 'a', 40)],
      }),
      line({
        event: 'resident_exposure',
        source: 'ResidentInjection',
        occurred_at: '2025-03-01T10:00:00Z',
        records: [snapshot('knowledge', 'p', 400)],
      }),
      line({
        event: 'use',
        source: 'MemoryRead',
        occurred_at: '2025-03-01T11:00:00Z',
        records: [snapshot('knowledge', 'p', 4000)],
      }),
      line({
        event: 'resident_exposure',
        source: 'ResidentInjection',
        occurred_at: '2025-03-01T23:59:59.999Z',
        records: [snapshot('knowledge', 'p', 8)],
      }),
    ]);
    assert.deepEqual(b.residentByDay(), [
      { day: '2025-03-01', tokens: 102, exposures: 2 },
      { day: '2025-03-03', tokens: 110, exposures: 2 },
    ]);
    assert.deepEqual(b.residentByDay(1), [{ day: '2025-03-03', tokens: 110, exposures: 2 }]);
    b.reset();
    assert.deepEqual(b.residentByDay(), []);
  });

  it('leaves the report itself as it was (no new fields)', () => {
    const report = builderOf([
      line({ event: 'resident_exposure', source: 'ResidentInjection', records: [snapshot('knowledge', 'p', 8)] }),
    ]).snapshot();
    assert.deepEqual(Object.keys(report), ['records', 'malformed', 'events', 'lines']);
    assert.equal(dayText(0), '1970-01-01');
  });
});

describe('resident token totals past 2^53', () => {
  it('are exact below, and saturated and flagged above', () => {
    assert.deepEqual(residentTotal(2 ** 40, 1000), { total: 2 ** 40 * 1000, saturated: false });
    assert.deepEqual(residentTotal(Number.MAX_SAFE_INTEGER, 1), { total: Number.MAX_SAFE_INTEGER, saturated: false });
    assert.deepEqual(residentTotal(2 ** 52, 3), { total: Number.MAX_SAFE_INTEGER, saturated: true });
  });
});
