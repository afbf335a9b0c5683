import { strict as assert } from 'node:assert';
import type { Level } from '../../../src/core/disk/areas';
import type { FolderSnapshot } from '../../../src/core/monitor/folderSnapshot';
import {
  mostCritical,
  NotificationPolicy,
  overQuotaBadge,
  quotaItems,
  quotaKey,
  summaryNotice,
  type QuotaItem,
} from '../../../src/core/notify/attention';

const MB = 1024 * 1024;

function item(label: string, mb: number, quotaMb: number, level: Level): QuotaItem {
  return {
    key: quotaKey('/ws', label),
    label,
    folder: '/ws',
    bytes: mb * MB,
    quota: quotaMb * MB,
    percent: (mb / quotaMb) * 100,
    level,
  };
}

const startup = [
  item('ws', 1000, 102400, 'ok'),
  item('production', 850, 1024, 'warning'),
  item('work', 120, 500, 'ok'),
  item('session def-456', 85, 100, 'warning'),
  item('session ghi-789', 104, 100, 'exceeded'),
];

describe('notification policy', () => {
  it('says nothing until every folder has its first numbers, then one summary, worst first', () => {
    const policy = new NotificationPolicy('all', new Set());
    assert.deepEqual(policy.update(startup.slice(0, 3), false), []);
    const notices = policy.update(startup, true);
    assert.equal(notices.length, 1);
    assert.equal(notices[0].level, 'exceeded');
    assert.equal(
      notices[0].message,
      '3 areas need attention: session ghi-789 exceeds its 100 MB quota (104 MB, 104%); session def-456 is at 85% of its 100 MB quota; production is at 83% of its 1 GB quota.',
    );
    assert.deepEqual(
      notices[0].items.map((i) => i.label),
      ['session ghi-789', 'session def-456', 'production'],
    );
    assert.deepEqual(policy.update(startup, true), [], 'the same levels again: nothing new');
  });

  it('then tells each later crossing once, upwards only', () => {
    const policy = new NotificationPolicy('all', new Set());
    policy.update(startup, true);
    const later = startup.map((i) =>
      i.label === 'work'
        ? item('work', 450, 500, 'warning')
        : i.label === 'production'
          ? item('production', 1100, 1024, 'exceeded')
          : i,
    );
    const notices = policy.update(later, true);
    assert.deepEqual(
      notices.map((n) => n.message),
      ['production exceeds its 1 GB quota (1.1 GB, 107%).', 'work is at 90% of its 500 MB quota.'],
    );
    const down = later.map((i) => (i.label === 'work' ? item('work', 10, 500, 'ok') : i));
    assert.deepEqual(policy.update(down, true), [], 'falling back is not notified');
    assert.equal(policy.update(later, true).length, 1, 'rising again is');
  });

  it('leaves out muted items, and warnings in "errors" mode, and everything in "off" mode', () => {
    const muted = new Set([quotaKey('/ws', 'session ghi-789')]);
    assert.equal(
      new NotificationPolicy('all', muted)
        .update(startup, true)[0]
        .message.startsWith('2 areas need attention: session def-456'),
      true,
    );
    const errors = new NotificationPolicy('errors', new Set()).update(startup, true);
    assert.deepEqual(
      errors.map((n) => n.message),
      ['session ghi-789 exceeds its 100 MB quota (104 MB, 104%).'],
    );
    assert.deepEqual(new NotificationPolicy('off', new Set()).update(startup, true), []);
    assert.deepEqual(new NotificationPolicy('errors', muted).update(startup, true), []);
  });

  it('brings back lifted mutes as one summary of what is beyond its level now', () => {
    const key = quotaKey('/ws', 'session ghi-789');
    const policy = new NotificationPolicy('all', new Set([key]));
    policy.update(startup, true);
    policy.setMuted(new Set());
    assert.equal(
      policy.unmuted(startup, new Set([key]))?.message,
      'session ghi-789 exceeds its 100 MB quota (104 MB, 104%).',
    );
    assert.equal(policy.unmuted(startup, new Set([quotaKey('/ws', 'work')])), undefined, 'work is ok: nothing to say');
  });

  it('names the first five in a long summary and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => item(`session s-${i}`, 90 + i, 100, 'warning'));
    const notice = summaryNotice(many)!;
    assert.match(notice.message, /^8 areas need attention: session s-7 is at 97%/);
    assert.match(notice.message, /; and 3 more\.$/);
    assert.equal(notice.items.length, 8);
  });
});

describe('quota items', () => {
  it('picks the most critical by level, then by percent', () => {
    assert.equal(mostCritical(startup)?.label, 'session ghi-789');
    assert.equal(mostCritical(startup.filter((i) => i.level !== 'exceeded'))?.label, 'session def-456');
    assert.equal(mostCritical([startup[0]]), undefined);
  });

  it('badges the count of items over quota, naming them', () => {
    assert.deepEqual(overQuotaBadge(startup), { value: 1, tooltip: '1 area is over quota: session ghi-789' });
    assert.equal(overQuotaBadge(startup.filter((i) => i.level !== 'exceeded')), undefined);
    const two = [...startup, item('work', 600, 500, 'exceeded')];
    assert.deepEqual(overQuotaBadge(two), { value: 2, tooltip: '2 areas are over quota: work, session ghi-789' });
  });
});

describe('warning steps', () => {
  function stepped(mb: number, step: number, level: Level = 'warning'): QuotaItem {
    return { ...item('work', mb, 500, level), steps: [0.8, 0.9, 0.95], step };
  }
  const others = startup.filter((i) => i.label !== 'work');

  it('tells a rise to a higher warning step as a crossing, naming the step', () => {
    const policy = new NotificationPolicy('all', new Set());
    policy.update([...others, stepped(100, -1, 'ok')], true);
    assert.deepEqual(
      policy.update([...others, stepped(410, 0)], true).map((n) => n.message),
      ['work is at 82% of its 500 MB quota (past the 80% step).'],
    );
    assert.deepEqual(policy.update([...others, stepped(420, 0)], true), [], 'the same step again: nothing');
    assert.deepEqual(
      policy.update([...others, stepped(460, 1)], true).map((n) => n.message),
      ['work is at 92% of its 500 MB quota (past the 90% step).'],
    );
    assert.deepEqual(policy.update([...others, stepped(440, 0)], true), [], 'falling back a step is not told');
    assert.equal(policy.update([...others, stepped(480, 2)], true).length, 1);
    assert.deepEqual(
      policy.update([...others, stepped(510, 2, 'exceeded')], true).map((n) => n.message),
      ['work exceeds its 500 MB quota (510 MB, 102%).'],
    );
  });

  it('tells a jump over several steps once', () => {
    const policy = new NotificationPolicy('all', new Set());
    policy.update([...others, stepped(100, -1, 'ok')], true);
    assert.deepEqual(
      policy.update([...others, stepped(480, 2)], true).map((n) => n.message),
      ['work is at 96% of its 500 MB quota (past the 95% step).'],
    );
  });

  it('reads steps from the areas of a snapshot', () => {
    const snapshot = {
      folder: '/ws',
      name: 'ws',
      usage: {
        totalBytes: 1,
        folderQuotaBytes: 10,
        folderPercent: 10,
        folderLevel: 'ok',
        areas: [
          {
            name: 'work',
            bytes: 460,
            quotaBytes: 500,
            percent: 92,
            level: 'warning',
            warningFraction: 0.8,
            warningSteps: [0.8, 0.9],
            step: 1,
          },
          {
            name: 'production',
            bytes: 460,
            quotaBytes: 500,
            percent: 92,
            level: 'warning',
            warningFraction: 0.8,
            warningSteps: [0.8],
            step: 0,
          },
        ],
      },
    } as unknown as FolderSnapshot;
    const items = quotaItems([snapshot]);
    assert.deepEqual(
      items.map((i) => [i.label, i.step]),
      [
        ['ws', undefined],
        ['work', 1],
        ['production', undefined],
      ],
    );
    assert.equal(
      summaryNotice([items[2]])!.message,
      'production is at 92% of its 500 bytes quota.',
      'one step: the sentence as before',
    );
  });
});
