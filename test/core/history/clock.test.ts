import { strict as assert } from 'node:assert';
import { addLocalDays, isDayKey, localDayKey, manualClock, startOfLocalDay } from '../../../src/core/history/clock';
import { withTimeZone } from './helpers';

describe('history clock', () => {
  it('keys days by local calendar day, not UTC', () => {
    withTimeZone('America/New_York', () => {
      // 2026-01-15 23:30 in New York is already the 16th in UTC.
      assert.equal(localDayKey(Date.UTC(2026, 0, 16, 4, 30)), '2026-01-15');
      assert.equal(localDayKey(Date.UTC(2026, 0, 16, 5, 0)), '2026-01-16');
    });
    withTimeZone('UTC', () => {
      assert.equal(localDayKey(Date.UTC(2026, 0, 16, 4, 30)), '2026-01-16');
    });
  });

  it('rolls over at local midnight on a 23-hour DST day (Europe/Berlin 2026-03-29)', () => {
    withTimeZone('Europe/Berlin', () => {
      // 2026-03-29 starts at 00:00 CET = 23:00Z the day before and ends at 00:00 CEST = 22:00Z.
      assert.equal(localDayKey(Date.UTC(2026, 2, 28, 22, 59, 59)), '2026-03-28');
      assert.equal(localDayKey(Date.UTC(2026, 2, 28, 23, 0, 0)), '2026-03-29');
      assert.equal(localDayKey(Date.UTC(2026, 2, 29, 21, 59, 59)), '2026-03-29');
      assert.equal(localDayKey(Date.UTC(2026, 2, 29, 22, 0, 0)), '2026-03-30');
      assert.equal(startOfLocalDay('2026-03-30') - startOfLocalDay('2026-03-29'), 23 * 3_600_000);
      assert.equal(addLocalDays('2026-03-28', 1), '2026-03-29');
      assert.equal(addLocalDays('2026-03-29', 1), '2026-03-30');
      assert.equal(addLocalDays('2026-03-30', -2), '2026-03-28');
      // The 25-hour day in autumn.
      assert.equal(localDayKey(Date.UTC(2026, 9, 25, 22, 59, 59)), '2026-10-25');
      assert.equal(localDayKey(Date.UTC(2026, 9, 25, 23, 0, 0)), '2026-10-26');
    });
  });

  it('adds days across month and year ends', () => {
    assert.equal(addLocalDays('2025-12-31', 1), '2026-01-01');
    assert.equal(addLocalDays('2024-03-01', -1), '2024-02-29');
    assert.equal(addLocalDays('2026-01-10', -89), '2025-10-13');
    assert.ok(isDayKey('2026-03-29'));
    assert.ok(!isDayKey('2026-13-01'));
  });

  it('manual clock moves only when told', () => {
    const c = manualClock(1000);
    assert.equal(c.now(), 1000);
    c.advance(500);
    assert.equal(c.now(), 1500);
    c.set(42);
    assert.equal(c.now(), 42);
  });
});
