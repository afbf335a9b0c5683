// Numbers at once (issue 13, part 2): a folder's sizes are stored when a window closes, and the
// next window shows them immediately, marked "as of <time>, verifying…", until its first scan
// has counted the folder again. WORKSPACE_USAGE_TEST_SCAN_DELAY (set by the harness) holds the
// first scan of folders named wu-slowscan-* for 5 s: the stored numbers are on screen meanwhile.
import { strict as assert } from 'node:assert';
import { createFixture, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('Stored sizes after a window reload', function () {
  let fx: Fixture;
  let wb: Workbench | undefined;
  before(async () => {
    fx = createFixture('slowscan-snap', {}, { 'work/a.txt': 'x'.repeat(1000) });
    wb = await Workbench.open(fx.root);
  });
  after(async () => wb?.close());

  it('shows the stored numbers marked "verifying" until the scan completes', async () => {
    const w = wb!;
    await w.showView('Usage');
    const first = await w.waitForRows(
      'Usage',
      (r) =>
        r.some((x) => x.label === 'slowscan-snap' && x.description !== '') &&
        r.some((x) => x.label === 'work' && x.description.startsWith('1000 bytes')),
      30_000,
    );
    const folderBefore = first.find((r) => r.label === 'slowscan-snap')!.description;
    assert.doesNotMatch(folderBefore, /verifying/);

    await w.reload();
    await w.showView('Usage');
    // While the first scan is held (5 s from activation; the view may take a few seconds to
    // come back after a reload, so the wait is longer): the stored numbers, marked.
    const stale = await w.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'slowscan-snap' && /verifying/.test(x.description)),
      20_000,
    );
    const staleFolder = stale.find((r) => r.label === 'slowscan-snap')!.description;
    assert.match(staleFolder, /^.+ · as of \d\d:\d\d, verifying…$/);
    assert.equal(staleFolder.replace(/ · as of .*$/, ''), folderBefore);
    assert.ok(
      stale.some((x) => x.label === 'work' && x.description.startsWith('1000 bytes')),
      'the areas come from the stored tree too',
    );

    // Then the scan's own numbers, without the mark, anywhere in the view (a sticky copy of the
    // folder's row drawn at the top can lag a frame behind the row itself).
    const folderRows = (r: Array<{ label: string; description: string }>) =>
      r.filter((x) => x.label === 'slowscan-snap');
    const fresh = await w.waitForRows(
      'Usage',
      (r) =>
        folderRows(r).length > 0 &&
        folderRows(r).every((x) => x.description !== '' && !/verifying/.test(x.description)),
      30_000,
    );
    assert.equal(fresh.find((r) => r.label === 'slowscan-snap')!.description, folderBefore);
  });
});
