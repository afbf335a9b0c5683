// The Markdown and CSV exports with hostile slugs, names and warnings.
import { strict as assert } from 'node:assert';
import { exportReport } from '../../../src/core/report/exportReport';
import { recordRow as row, reportDataOf as data } from '../../support/reportData';

describe('exportReport', () => {
  it('Markdown: a lone CR, LF, U+2028 or leading # in a slug cannot start a heading or a row', () => {
    const out = exportReport(
      data(
        '#folder\r# Owned',
        [row('decision', 'a\r# Injected heading'), row('knowledge', 'b\n| x | y |'), row('k', '#top\u2028## two')],
        ['warn\r\n# w'],
      ),
      'markdown',
    );
    const lines = out.split(/\r\n|\r|\n|\u2028|\u2029/);
    const headings = lines.filter((l) => /^ {0,3}#/.test(l));
    assert.deepEqual(headings, [
      '# Workspace Usage report',
      '## \\#folder # Owned',
      '### Warnings',
      '### Memory records',
    ]);
    assert.ok(lines.includes('| decision | a # Injected heading | used | 1 | 2025-01-01T00:00:00Z | 0 | 0 |'), out);
    assert.ok(lines.includes('| knowledge | b \\| x \\| y \\| | used | 1 | 2025-01-01T00:00:00Z | 0 | 0 |'), out);
    assert.ok(lines.includes('| k | \\#top ## two | used | 1 | 2025-01-01T00:00:00Z | 0 | 0 |'), out);
    assert.ok(lines.includes('- warn # w'), out);
  });

  it('Markdown: other control characters are written as visible escapes', () => {
    const out = exportReport(data('f', [row('decision', 'x\u001b]0;title\u0007')]), 'markdown');
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f]/);
    assert.ok(out.includes('| x\\e\\]0;title\\x07 |'), out);
  });

  it('CSV: slugs that look like formulas are prefixed with a quote', () => {
    const out = exportReport(
      data('=folder', [
        row('decision', '=HYPERLINK("http://x")'),
        row('decision', ' @SUM(1)'),
        row('decision', 'plain'),
      ]),
      'csv-records',
    );
    const lines = out.split('\r\n');
    assert.equal(
      lines[1],
      `'=folder,decision,"'=HYPERLINK(""http://x"")",used,1,2025-01-01T00:00:00Z,0,0,0,4,MemoryRead=1`,
    );
    assert.equal(lines[2], `'=folder,decision,' @SUM(1),used,1,2025-01-01T00:00:00Z,0,0,0,4,MemoryRead=1`);
    assert.equal(lines[3], `'=folder,decision,plain,used,1,2025-01-01T00:00:00Z,0,0,0,4,MemoryRead=1`);
  });
});
