// workspaceUsage.useGitIgnore as a person sees it: with `.gitignore` ignoring work/cache/, the work
// area drops by exactly the cache's bytes and one "excluded (.gitignore)" row under it shows them;
// turning the setting off restores the whole total.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('.gitignore exclusions (workspaceUsage.useGitIgnore)', function () {
  let fx: Fixture;
  let wb: Workbench;
  const settings = (on: boolean) =>
    JSON.stringify(
      {
        'workspaceUsage.useGitIgnore': on,
        'workspaceUsage.areas': [{ name: 'work', pattern: 'work', quota: '100 kB' }],
      },
      null,
      2,
    );

  before(async () => {
    fx = createFixture(
      'gitignore',
      {},
      {
        '.gitignore': 'work/cache/\n',
        'work/own.bin': 10 * KB,
        'work/cache/a.bin': 20 * KB,
        'work/cache/deep/b.bin': 10 * KB,
      },
    );
    writeFileSync(join(fx.root, '.vscode', 'settings.json'), settings(true));
    wb = await Workbench.open(fx.root);
  });
  after(async () => {
    if (wb) await wb.screenshot('gitignore-final');
    await wb?.close();
  });

  it('leaves work/cache out of the work area and shows it as one excluded row', async () => {
    await wb.showView('Usage');
    await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 'work' && x.description === `${formatSize(10 * KB)} · 10%`),
    );
    await wb.expandRow('Usage', /^work$/);
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'excluded (.gitignore)'));
    const excluded = rows.filter((x) => x.label === 'excluded (.gitignore)');
    // One under the area, one under the folder: both the cache's 30 kB in 2 files.
    assert.ok(excluded.length >= 1, JSON.stringify(rows));
    assert.equal(excluded[0].description, `${formatSize(30 * KB)} · 2 files`);
    assert.ok(!rows.some((x) => x.label === 'cache'), 'the ignored folder is not listed among the largest');
    // A tree refresh under the pointer can swallow the hover: retry as other callers do.
    let tooltip = '';
    for (let i = 0; i < 3 && !tooltip; i++)
      tooltip = await wb.rowTooltip('Usage', 'excluded (.gitignore)').catch(() => '');
    assert.match(tooltip, /useGitIgnore/);
    await wb.screenshot('gitignore-excluded');
  });

  it('a new file in the ignored folder only grows the excluded row', async () => {
    fx.write('work/cache/c.bin', 5 * KB);
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'excluded (.gitignore)' && x.description === `${formatSize(35 * KB)} · 3 files`),
      10_000,
    );
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'work'));
    assert.equal(rows.find((x) => x.label === 'work')?.description, `${formatSize(10 * KB)} · 10%`);
  });

  it('turning the setting off restores the whole total', async () => {
    writeFileSync(join(fx.root, '.vscode', 'settings.json'), settings(false));
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description === `${formatSize(45 * KB)} · 45%`),
      30_000,
    );
    assert.ok(!rows.some((x) => x.label === 'excluded (.gitignore)'), 'no excluded row with the setting off');
  });
});
