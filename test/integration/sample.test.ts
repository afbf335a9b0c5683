// The sample workspace `npm start` opens: the Usage view shows its areas and sessions, and the
// view opens by itself (workspaceUsage.revealOnStartup in the sample's settings).
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../../scripts/lib/sampleWorkspace.mjs';
import { Workbench } from './harness/workbench';

describe('sample workspace (npm start)', () => {
  let wb: Workbench;
  before(async () => {
    const folder = createSampleWorkspace(join(mkdtempSync(join(tmpdir(), 'wu-sample-')), 'sample-workspace'));
    wb = await Workbench.open(folder);
  });
  after(async () => wb?.close());

  it('opens the Usage view by itself and shows the areas and sessions', async () => {
    const rows = await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'production' && x.description !== ''),
      60_000,
    );
    const byLabel = new Map(rows.map((r) => [r.label, r.description]));
    assert.equal(byLabel.get('production'), '850 MB · 83%');
    assert.equal(byLabel.get('work'), `120 MB · ${Math.round((120 / 500) * 100)}%`);
    assert.equal(byLabel.get('abc-123'), '45 MB · 45%');
    assert.match(byLabel.get('ghi-789') ?? '', /^104 MB · 104%$/);
    assert.ok(byLabel.has('other'));
    const status = await wb.statusBar();
    assert.equal(status.kind, 'error', 'session ghi-789 is over its quota');
    assert.match(status.text, /ghi-789 104 MB \/ 100 MB/);
    await wb.screenshot('sample-workspace');
  });

  it('raises one notification for its three areas beyond their levels (the README screenshot)', async () => {
    const summary =
      /^3 areas need attention: session ghi-789 exceeds its 100 MB quota \(104 MB, 104%\); session def-456 is at 85% of its 100 MB quota; production is at 83% of its 1 GB quota\./;
    await wb.notification(summary).waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(2000);
    const texts = (await wb.notifications()).filter((t) => /quota/.test(t));
    assert.equal(texts.length, 1, JSON.stringify(texts));
    // media/screenshot.png in the README is this picture.
    await wb.screenshot('readme-screenshot');
  });
});
