import { strict as assert } from 'node:assert';
import type { AreaUsage } from '../../../src/core/disk/areas';
import { areaRows, otherEntries, worstLevel } from '../../../src/core/disk/usageRows';
import type { LargestEntry } from '../../../src/core/monitor/folderSnapshot';

function area(
  name: string,
  path: string,
  bytes: number,
  level: AreaUsage['level'],
  session?: string,
  pattern = path,
): AreaUsage {
  return {
    name,
    path,
    pattern,
    bytes,
    areaName: name.split('/')[0],
    allocatedBytes: bytes,
    files: 1,
    quotaBytes: 100,
    warningFraction: 0.8,
    percent: bytes,
    level,
    ...(session ? { sessionId: session } : {}),
  };
}

function entry(relPath: string, bytes: number, isDirectory = true): LargestEntry {
  return { name: relPath, relPath, isDirectory, bytes, allocatedBytes: bytes, files: 1 };
}

describe('usage rows', () => {
  it('groups the matches of a * pattern under their configured area, where the first match is', () => {
    const areas = [
      area('production', 'production', 10, 'ok'),
      area('sessions/a', 'sessions/a/work', 50, 'ok', 'a', 'sessions/*/work'),
      area('work', 'work', 20, 'warning'),
      area('sessions/b', 'sessions/b/work', 120, 'exceeded', 'b', 'sessions/*/work'),
    ];
    const rows = areaRows({ areas });
    assert.deepEqual(
      rows.map((r) => (r.kind === 'area' ? r.area.name : `${r.name}:${r.sessions.map((s) => s.sessionId).join(',')}`)),
      ['production', 'sessions:a,b', 'work'],
    );
    const group = rows[1];
    assert.ok(group.kind === 'sessions');
    assert.equal(group.bytes, 170);
    assert.equal(group.level, 'exceeded');
  });

  it('takes the bytes of areas off the entries outside them', () => {
    const areas = [area('work', 'work', 30, 'ok'), area('s', 'data/s/work', 40, 'ok')];
    const rows = otherEntries(
      areas,
      [entry('work', 30), entry('data', 100), entry('README.md', 5, false), entry('empty', 0), entry('src', 60)],
      10,
    );
    assert.deepEqual(
      rows.map((r) => [r.entry.relPath, r.bytes]),
      [
        ['data', 60],
        ['src', 60],
        ['README.md', 5],
      ],
    );
    assert.deepEqual(
      otherEntries(areas, [entry('data', 100), entry('src', 60)], 1).map((r) => r.entry.relPath),
      ['data'],
    );
  });

  it('the worst level of none is ok', () => {
    assert.equal(worstLevel([]), 'ok');
    assert.equal(worstLevel(['ok', 'warning', 'ok']), 'warning');
  });
});
