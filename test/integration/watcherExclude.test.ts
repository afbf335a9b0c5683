// An area under files.watcherExclude is live too: VS Code's own watcher reports nothing there, so
// the extension watches that area itself (areaWatchSource.ts). Before, a write into work/ showed
// only at the next periodic reconcile (5 minutes).
import { strict as assert } from 'node:assert';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('an area under files.watcherExclude', function () {
  let fx: Fixture;
  let wb: Workbench;
  before(async function () {
    this.timeout(180_000);
    fx = createFixture(
      'wxarea',
      { 'workspaceUsage.folderQuota': '10 MB', 'files.watcherExclude': { '**/work/**': true } },
      { 'work/notes/grow.bin': 10 * KB, 'production/out.bin': 4 * KB },
    );
    wb = await Workbench.open(fx.root);
  });
  after(async () => wb?.close());

  it('shows a write into work/ in the status bar and the Usage view within a few seconds', async () => {
    const before = 14 * KB + fx.size('.vscode/settings.json');
    await wb.waitForStatus((s) => s.text === `${formatSize(before)} / 10 MB`, 60_000);
    // Our watcher on work/ crawls it after the first scan: give it a moment, as live.test.ts does.
    await wb.page.waitForTimeout(3000);
    fx.write('work/notes/new.bin', 60 * KB);
    const started = Date.now();
    const status = await wb.waitForStatus((s) => s.text === `${formatSize(before + 60 * KB)} / 10 MB`, 10_000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed <= 5000, `the status bar showed "${status.text}" after ${elapsed} ms`);
    await wb.showView('Usage');
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description.startsWith(formatSize(70 * KB))),
      10_000,
    );
  });
});
