// What a person sees when a folder has more entries than watch.maxEntries (still live: the editor's
// watcher serves it), and when a setting is invalid: the user is told once which setting is wrong,
// the numbers stay right (Refresh rescans).
import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('Large folders and invalid settings', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async () => {
    fx = createFixture(
      'periodic',
      {
        // Fewer entries than the fixture has: the folder is rescanned, not watched.
        'workspaceUsage.watch.maxEntries': 3,
        'workspaceUsage.largestEntries': 'lots',
        'workspaceUsage.areas': [{ name: 'work', pattern: 'work', quota: '100 kB' }],
      },
      {
        'work/a.bin': 10 * KB,
        'work/b.bin': 5 * KB,
        'work/deep/c.bin': 1 * KB,
      },
    );
    wb = await Workbench.open(fx.root);
  });
  after(async () => {
    if (wb) await wb.screenshot('periodic-final');
    await wb?.close();
  });

  it("stays live past watch.maxEntries: the editor's own watcher has no crawl of ours to bound", async () => {
    await wb.showView('Usage');
    await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 'work' && x.description === `${formatSize(16 * KB)} · 16%`),
    );
    fx.append('work/b.bin', 4 * KB);
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description === `${formatSize(20 * KB)} · 20%`),
      5000,
    );
    assert.ok(!rows.some((x) => x.label.startsWith('Rescanned every')), 'no "rescanned instead of watched" note');
    await wb.screenshot('live-past-max-entries');
  });

  it('tells once which setting is invalid, and keeps working with its default', async () => {
    const texts = await wb.notifications();
    const about = texts.filter((t) => t.includes('workspaceUsage.largestEntries'));
    assert.equal(about.length, 1, `notifications: ${JSON.stringify(texts)}`);
    await wb.expandRow('Usage', /^work$/);
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'a.bin'));
    assert.equal(rows.find((x) => x.label === 'a.bin')?.description, formatSize(10 * KB));
  });

  it('shows a change after Refresh', async () => {
    fx.append('work/a.bin', 20 * KB);
    await wb.runCommand('Workspace Usage: Refresh');
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description === `${formatSize(40 * KB)} · 40%`),
      10_000,
    );
    assert.ok(rows.length > 0);
  });
});
