import { strict as assert } from 'node:assert';
import { computeUsage } from '../../../src/core/disk/areas';
import { scanSync } from '../../../src/core/disk/scanner';
import { defaultSettings } from '../../../src/core/config/settings';
import { arawnAreas } from '../../../src/core/workstreams/layout';
import { workstreamRows } from '../../../src/core/workstreams/workstreamRows';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const MB = 1024 * 1024;

function sparse(root: string, rel: string, bytes: number): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), '');
  truncateSync(join(root, rel), bytes);
}

describe('workstream rows (an arawn data dir in the Usage view)', () => {
  it("one row per workstream with production, work and scratch's sessions, from BASE or BASE/workstreams", () => {
    const base = mkdtempSync(join(tmpdir(), 'wu-arawn-rows-'));
    sparse(base, 'workstreams/blog/production/a', 1100 * MB);
    sparse(base, 'workstreams/blog/work/b', 10 * MB);
    sparse(base, 'workstreams/scratch/sessions/s-1/work/c', 30 * MB);
    sparse(base, 'workstreams/scratch/sessions/s-2/work/d', 130 * MB);
    sparse(base, 'README.md', 10);
    const settings = { ...defaultSettings(), areas: arawnAreas(defaultSettings(), 'workstreams') };
    const usage = computeUsage(scanSync(base).tree, settings, base);
    const rows = workstreamRows(usage.areas, 'workstreams');
    assert.deepEqual(
      rows.map((r) => r.name),
      ['blog', 'scratch'],
    );
    const [blog, scratch] = rows;
    assert.deepEqual(
      blog.areas.map((a) => [a.areaName, a.bytes]),
      [
        ['production', 1100 * MB],
        ['work', 10 * MB],
      ],
    );
    assert.equal(blog.level, 'exceeded');
    assert.equal(blog.bytes, 1110 * MB);
    assert.ok(!scratch.areas.some((a) => a.areaName === 'work'), 'scratch has no work/ of its own');
    assert.deepEqual(
      scratch.sessions.map((a) => a.sessionId),
      ['s-2', 's-1'],
      'largest first',
    );
    assert.equal(scratch.level, 'exceeded');
    assert.deepEqual(workstreamRows(usage.areas, 'elsewhere'), [], 'areas outside the root are left out');
  });
});
