// What a developer sees of the memory records and the Usage Report page.
import { strict as assert } from 'node:assert';
import { createFixture, useEvent, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('Records view and Usage Report', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async () => {
    fx = createFixture(
      'records',
      {},
      {
        '.yoi/memory/summary.md': '# Summary\n',
        '.yoi/memory/decisions/use-parquet.md': '# Use Parquet\n'.repeat(10),
        '.yoi/memory/decisions/never-read.md': '# Never read\n',
        '.yoi/workflow/release.md': '# Release\n',
        'work/data.bin': 2048,
      },
    );
    fx.appendEvents([
      useEvent('decision', 'use-parquet'),
      useEvent('decision', 'use-parquet', 'KnowledgeRef'),
      useEvent('workflow', 'release', 'WorkflowInvoke'),
      useEvent('decision', HOSTILE),
    ]);
    wb = await Workbench.open(fx.root);
  });
  after(async () => wb?.close());

  it('lists records by kind with use counts, and marks unused and missing ones', async () => {
    await wb.showView('Records');
    // Every row read below: the kinds' children come in separately, and a CI run saw use-parquet
    // (under decision) before release (under workflow).
    const wanted = ['use-parquet', 'release', 'never-read', HOSTILE];
    const rows = await wb.waitForRows('Records', (r) => wanted.every((label) => r.some((x) => x.label === label)));
    const get = (label: string) => rows.find((r) => r.label === label);
    assert.match(get('use-parquet')!.description, /^2 uses · /);
    assert.match(get('release')!.description, /^1 use · /);
    assert.match(get('never-read')!.description, /^unused/);
    assert.match(get(HOSTILE)!.description, /missing on disk/);
    assert.deepEqual(
      rows.filter((r) => r.level === 1).map((r) => r.label),
      ['summary', 'decision', 'workflow'],
    );
    await wb.screenshot('records-view');
  });

  it('raises the counts when events are appended to the usage log', async () => {
    fx.appendEvents([
      useEvent('decision', 'use-parquet'),
      useEvent('decision', 'use-parquet'),
      useEvent('decision', 'never-read'),
    ]);
    const rows = await wb.waitForRows(
      'Records',
      (r) => r.some((x) => x.label === 'use-parquet' && x.description.startsWith('4 uses')),
      5000,
    );
    assert.match(rows.find((r) => r.label === 'never-read')!.description, /^1 use/);
  });

  it('shows malformed log lines in their own node', async () => {
    fx.appendEvents([{ id: 'not-a-uuid', event: 'use' }]);
    const rows = await wb.waitForRows('Records', (r) => r.some((x) => /malformed log line/.test(x.label)), 5000);
    assert.equal(rows.find((r) => /malformed/.test(r.label))!.label, '1 malformed log line');
  });

  it('opens the Usage Report from the command palette with its tables, hostile slugs as text', async () => {
    await wb.runCommand('Workspace Usage: Show Usage Report');
    const frame = wb.webview();
    await frame.locator('table.records').waitFor({ timeout: 30_000 });
    await frame.locator('table.areas').waitFor();
    const slugs = await frame.locator('table.records tbody th').allTextContents();
    assert.ok(slugs.includes(HOSTILE), `slugs: ${JSON.stringify(slugs)}`);
    assert.equal(await frame.locator('img').count(), 0, 'the hostile slug must not become an <img>');
    const areaNames = await frame.locator('table.areas tbody th').allTextContents();
    assert.deepEqual(areaNames, ['production', 'work', 'other']);
    await wb.screenshot('report');
  });

  it('sorts the records table by a column when its header is clicked', async () => {
    const frame = wb.webview();
    await frame.locator('table.records thead button', { hasText: 'Slug' }).click();
    const asc = await frame.locator('table.records tbody th').allTextContents();
    const expected = [...asc].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(asc, expected);
    await frame.locator('table.records thead button', { hasText: 'Slug' }).click();
    assert.deepEqual(await frame.locator('table.records tbody th').allTextContents(), [...expected].reverse());
  });
});
