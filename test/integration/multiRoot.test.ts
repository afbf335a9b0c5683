// A multi-root workspace: each folder with its own areas, and a combined total.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { restartHost } from './harness/host';
import { Workbench } from './harness/workbench';

describe('Multi-root workspace', function () {
  let alpha: Fixture;
  let beta: Fixture;
  let wb: Workbench;

  before(async function () {
    // code-server keeps server-side state across the windows of a run: a .code-workspace window
    // opened after the history suite's windows came up with no folders in its extension host in
    // 3 of 4 runs (the title named the workspace; workspaceFolders was [] and never changed).
    // A fresh code-server for this suite; alone it passed every time.
    this.timeout(120_000);
    await restartHost();
    alpha = createFixture(
      'alpha',
      { 'workspaceUsage.folderQuota': '1 MB' },
      { 'work/a.bin': 40 * KB, 'production/p.bin': 10 * KB },
    );
    beta = createFixture('beta', { 'workspaceUsage.folderQuota': '2 MB' }, { 'work/b.bin': 25 * KB + 3 });
    const file = join(dirname(alpha.root), 'two-folders.code-workspace');
    writeFileSync(file, JSON.stringify({ folders: [{ path: alpha.root }, { path: beta.root }] }, null, 2));
    wb = await Workbench.open(file);
  });
  after(async () => {
    if (wb) await wb.screenshot('multi-root');
    await wb?.close();
  });

  it('lists each folder with its own total and quota, and the combined total', async () => {
    await wb.showView('Usage');
    // Scanned: each folder's row shows its quota, not its scan progress.
    const scanned = (r: Array<{ label: string; description: string }>, label: string) =>
      r.some((x) => x.label === label && / of \d/.test(x.description));
    const rows = await wb
      .waitForRows(
        'Usage',
        (r) => scanned(r, 'alpha') && scanned(r, 'beta') && r.some((x) => x.label === 'All folders'),
      )
      .catch((error) => {
        console.log(`--- editor logs ---\n${wb.logs().split('\n').slice(-80).join('\n')}`);
        throw error;
      });
    const alphaBytes = 50 * KB + alpha.size('.vscode/settings.json');
    const betaBytes = 25 * KB + 3 + beta.size('.vscode/settings.json');
    const byLabel = new Map(rows.map((r) => [r.label, r]));
    assert.match(byLabel.get('alpha')!.description, new RegExp(`^${escape(formatSize(alphaBytes))} · .* of 1 MB$`));
    assert.match(byLabel.get('beta')!.description, new RegExp(`^${escape(formatSize(betaBytes))} · .* of 2 MB$`));
    assert.equal(byLabel.get('All folders')!.description, `${formatSize(alphaBytes + betaBytes)} · 5 files`); // three data files and two settings.json
    const status = await wb.waitForStatus((s) => s.text.includes('/'));
    assert.equal(status.text, `${formatSize(alphaBytes + betaBytes)} / 3 MB`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
