import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { joinRecords } from '../../../src/core/log/joinRecords';
import { RecordReportBuilder } from '../../../src/core/log/recordReport';
import { listRecordsOnDisk } from '../../../src/core/log/recordsOnDisk';
import { isInside, resolveLogPath } from '../../../src/core/log/resolveLogPath';
import { line, removeDir, snapshot, tempDir } from './helpers';

describe('usage log path and records on disk', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('wu-paths-')));
  afterEach(() => removeDir(dir));

  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };

  it('resolves the default log, its fallback, and relative or absolute settings', () => {
    assert.equal(resolveLogPath(dir, ''), path.join(dir, '.yoi/memory/_usage/events.jsonl'));
    put('.yoi/usage.jsonl', '');
    assert.equal(resolveLogPath(dir, ''), path.join(dir, '.yoi/usage.jsonl'));
    assert.equal(resolveLogPath(dir, 'logs/u.jsonl'), path.join(dir, 'logs/u.jsonl'));
    assert.equal(resolveLogPath(dir, '/var/log/u.jsonl'), '/var/log/u.jsonl');
  });

  it('tells whether a path stays inside the folder, symlinks included', () => {
    assert.equal(isInside(dir, path.join(dir, '.yoi/usage.jsonl')), true);
    assert.equal(isInside(dir, dir), true);
    assert.equal(isInside(dir, path.join(dir, '../other/usage.jsonl')), false);
    assert.equal(isInside(dir, '/etc/passwd'), false);
    assert.equal(isInside(dir, path.join(dir, '..foo')), true);
    const outside = tempDir('wu-outside-');
    try {
      symlinkSync(outside, path.join(dir, 'link'));
      assert.equal(isInside(dir, path.join(dir, 'link/usage.jsonl')), false);
    } finally {
      removeDir(outside);
    }
  });

  it('lists the records on disk with sizes and ceil(bytes/4) token estimates', async () => {
    put('.yoi/memory/summary.md', 'x'.repeat(9));
    put('.yoi/memory/decisions/alpha.md', 'abcd');
    put('.yoi/memory/decisions/notes.txt', 'ignored');
    put('.yoi/memory/decisions/sub/deep.md', 'ignored');
    put('.yoi/memory/requests/req.md', 'r');
    put('.yoi/workflow/wf.md', '');
    put('.yoi/knowledge/k.md', 'k'.repeat(13));
    const records = await listRecordsOnDisk(dir);
    const byKey = Object.fromEntries(records.map((r) => [`${r.kind}/${r.slug}`, r]));
    assert.deepEqual(Object.keys(byKey).sort(), [
      'decision/alpha',
      'knowledge/k',
      'request/req',
      'summary/summary',
      'workflow/wf',
    ]);
    for (const r of records) {
      assert.equal(path.isAbsolute(r.path), true);
      assert.equal(r.tokens_estimate, Math.ceil(r.file_bytes / 4));
    }
    assert.equal(byKey['summary/summary'].file_bytes, 9);
    assert.equal(byKey['summary/summary'].tokens_estimate, 3);
    assert.equal(byKey['knowledge/k'].tokens_estimate, 4);
    assert.equal(byKey['workflow/wf'].tokens_estimate, 0);
    assert.deepEqual(await listRecordsOnDisk(path.join(dir, 'nothing-here')), []);
  });

  it('joins the report with the disk: used, unused, missing, sorted byte-wise', async () => {
    put('.yoi/memory/decisions/alpha.md', 'abcd');
    put('.yoi/knowledge/\uFFFF.md', 'x');
    put('.yoi/knowledge/\u{1F600}.md', 'y');
    const b = new RecordReportBuilder();
    b.addLine(line({ records: [snapshot('decision', 'alpha', 4), snapshot('decision', 'gone', 8)] }), 1);
    b.addLine(line({ event: 'resident_exposure', records: [snapshot('knowledge', '\u{1F600}', 1)] }), 2);
    const rows = joinRecords(b.snapshot(), await listRecordsOnDisk(dir));
    assert.deepEqual(
      rows.map((r) => [r.kind, r.slug, r.status, r.file_bytes]),
      [
        ['decision', 'alpha', 'used', 4],
        ['decision', 'gone', 'missing', null],
        ['knowledge', '\uFFFF', 'unused', 1],
        ['knowledge', '\u{1F600}', 'used', 1],
      ],
    );
    assert.equal(rows[1].path, null);
    assert.equal(rows[2].use_count, 0);
    assert.equal(rows[3].resident_exposure_count, 1);
  });
});
