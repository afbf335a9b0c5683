// What a person sees when a folder is too large to watch, and when a setting is invalid: the view
// says so, the numbers stay right (Refresh rescans), the user is told once which setting is wrong.
import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('Large folders and invalid settings', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async () => {
    fx = createFixture('periodic', {
      // Fewer entries than the fixture has: the folder is rescanned, not watched.
      'workspaceUsage.watch.maxEntries': 3,
      'workspaceUsage.largestEntries': 'lots',
      'workspaceUsage.areas': [{ name: 'work', pattern: 'work', quota: '100 kB' }],
    }, {
      'work/a.bin': 10 * KB,
      'work/b.bin': 5 * KB,
      'work/deep/c.bin': 1 * KB,
    });
    wb = await Workbench.open(fx.root);
  });
  after(async () => {
    if (wb) await wb.screenshot('periodic-final');
    await wb?.close();
  });

  it('says in the Usage view that the folder is rescanned instead of watched', async () => {
    await wb.showView('Usage');
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label.startsWith('Rescanned every')));
    const note = rows.find((x) => x.label.startsWith('Rescanned every'))!;
    assert.match(note.label, /Rescanned every 5 min: \d+ entries exceed workspaceUsage\.watch\.maxEntries \(3\)/);
    const work = rows.find((x) => x.label === 'work');
    assert.equal(work?.description, `${formatSize(16 * KB)} · 16%`);
    await wb.screenshot('periodic-note');
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
    const rows = await wb.waitForRows('Usage', (r) => r.some((x) => x.label === 'work' && x.description === `${formatSize(36 * KB)} · 36%`), 10_000);
    assert.ok(rows.length > 0);
  });
});
