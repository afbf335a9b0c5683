// What grew (issue 15): against a pinned baseline a folder that grows shows "(+10 kB)" after its
// size; before any baseline there is no suffix; Group by Type lists an area's file types.
import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('What grew, and by type', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async () => {
    fx = createFixture(
      'grew',
      {
        'workspaceUsage.areas': [{ name: 'work', pattern: 'work', quota: '100 kB' }],
      },
      {
        'work/data/a.bin': 20 * KB,
        'work/data/b.bin': 10 * KB,
        'work/notes.md': '# notes\n',
      },
    );
    wb = await Workbench.open(fx.root);
  });
  after(async () => {
    if (wb) await wb.screenshot('grew-final');
    await wb?.close();
  });

  const workBytes = 30 * KB + '# notes\n'.length;

  it('shows no change before a baseline, then "(+10 kB)" against a pinned one', async () => {
    await wb.showView('Usage');
    const first = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'work' && x.description !== ''));
    assert.equal(
      first.find((x) => x.label === 'work')?.description,
      `${formatSize(workBytes)} · ${Math.round((workBytes / (100 * KB)) * 100)}%`,
    );
    await wb.runCommand('Workspace Usage: Pin Baseline');
    // Pinning takes the sizes in steps; the change after it must not be in the baseline.
    await wb.page.locator('.statusbar', { hasText: 'baseline pinned' }).waitFor({ timeout: 15_000 });
    fx.append('work/data/a.bin', 10 * KB);
    const grown = workBytes + 10 * KB;
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description.endsWith('(+10 kB)')),
      15_000,
    );
    assert.equal(
      rows.find((x) => x.label === 'work')?.description,
      `${formatSize(grown)} · ${Math.round((grown / (100 * KB)) * 100)}% (+10 kB)`,
    );
    // Sort by Growth lists the folder that grew under its area, with its change.
    await wb.runCommand('Workspace Usage: Sort by Growth');
    await wb.expandRow('Usage', /^work$/);
    const sorted = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'data' && x.description.endsWith('(+10 kB)')),
      15_000,
    );
    assert.ok(!sorted.some((x) => x.label === 'notes.md'), 'only changed folders are listed when sorting by growth');
    await wb.runCommand('Workspace Usage: Sort by Size');
  });

  it('groups an area by file type', async () => {
    await wb.runCommand('Workspace Usage: Group by Type');
    await wb.expandRow('Usage', /^work$/);
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === '.bin') && r.some((x) => x.label === '.md'),
      15_000,
    );
    assert.equal(rows.find((x) => x.label === '.bin')?.description, `${formatSize(40 * KB)} · 2 files`);
    assert.equal(rows.find((x) => x.label === '.md')?.description, `${formatSize('# notes\n'.length)} · 1 file`);
  });
});
