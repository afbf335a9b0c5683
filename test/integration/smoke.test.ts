import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../../scripts/lib/sampleWorkspace.mjs';
import { Workbench } from './harness/workbench';

describe('smoke', () => {
  let wb: Workbench;
  before(async () => {
    const folder = createSampleWorkspace(join(mkdtempSync(join(tmpdir(), 'wu-smoke-')), 'sample'));
    wb = await Workbench.open(folder);
  });
  after(async () => wb?.close());

  it('shows the status bar item and the Usage view', async () => {
    const status = await wb.statusBar();
    assert.match(status.text, /stub/);
    await wb.showView('Usage');
    const rows = await wb.waitForRows('Usage', (r) => r.length >= 2);
    assert.deepEqual(rows.map((r) => r.label), ['production', 'work']);
    await wb.screenshot('smoke');
  });
});
