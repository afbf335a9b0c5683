// A new user's first minutes: the extension starts in any workspace with an area (no `.yoi/`
// needed) and shows levels without the view being opened; opening a window raises one summary,
// not a toast per area; a muted area stays quiet across reloads until Reset Muted Warnings; the
// badge counts areas over quota; the report page survives a reload; a long scan can be cancelled
// and rescanned.
import { strict as assert } from 'node:assert';
import { createFixture, sparse, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

const MB = 1024 * 1024;

/** Waits `ms` while the page stays open (notifications that would come, come). */
const settle = (wb: Workbench, ms: number) => wb.page.waitForTimeout(ms);

describe('first contact', function () {
  describe('a workspace without .yoi/, with the default areas', () => {
    let fx: Fixture;
    let wb: Workbench;
    before(async () => {
      // Laid out as the usage endpoint describes, default settings: production at 88% of its 1 GB.
      fx = createFixture('plain', {}, { 'README.md': 'no agent memory here\n' });
      sparse(fx.root, 'production/exports/a.parquet', Math.round(0.88 * 1024 * MB));
      sparse(fx.root, 'work/scratch.csv', 10 * MB);
      wb = await Workbench.open(fx.root);
    });
    after(async () => wb?.close());

    it('shows a warning-coloured status bar item without the view ever being opened', async () => {
      const status = await wb.waitForStatus((s) => s.kind === 'warning', 30_000);
      assert.equal(status.text, 'production 901 MB / 1 GB');
      assert.equal(await wb.viewVisible('Usage'), false, 'the Usage view was not opened');
      const texts = await wb.notifications();
      await wb.notification(/production is at 88% of its 1 GB quota/).waitFor({ timeout: 10_000 });
      assert.equal((await wb.notifications()).filter((t) => /quota/.test(t)).length, 1, JSON.stringify(texts));
    });
  });

  describe('a window opening with three areas beyond their levels', () => {
    let fx: Fixture;
    let wb: Workbench;
    const summary =
      /^3 areas need attention: session s-2 exceeds its 100 MB quota \(104 MB, 104%\); session s-1 is at 90% of its 100 MB quota; production is at 88% of its 1 GB quota\./;
    before(async () => {
      fx = createFixture('three', {}, {});
      sparse(fx.root, 'production/a.bin', Math.round(0.88 * 1024 * MB));
      sparse(fx.root, 'sessions/s-1/work/a.bin', 90 * MB);
      sparse(fx.root, 'sessions/s-2/work/a.bin', 104 * MB);
      sparse(fx.root, 'sessions/s-3/work/a.bin', 1 * MB);
      wb = await Workbench.open(fx.root);
    });
    after(async () => wb?.close());

    it('raises exactly one notification, summarising them worst first', async () => {
      await wb.waitForStatus((s) => s.kind === 'error', 30_000);
      await wb.notification(summary).waitFor({ timeout: 10_000 });
      await settle(wb, 3000);
      const texts = (await wb.notifications()).filter((t) => /quota/.test(t));
      assert.equal(texts.length, 1, JSON.stringify(texts));
      assert.match(texts[0], summary);
    });

    it('badges the view container with the count of areas over quota, naming them', async () => {
      const badge = await wb.containerBadge();
      assert.equal(badge.text, '1');
      assert.match(badge.label, /1 area is over quota: session s-2/);
      sparse(fx.root, 'production/b.bin', 200 * MB); // production: 1.08 GB, over its quota too
      const deadline = Date.now() + 10_000;
      let now = badge;
      while (Date.now() < deadline && now.text !== '2') {
        await settle(wb, 200);
        now = await wb.containerBadge();
      }
      assert.equal(now.text, '2');
      assert.match(now.label, /2 areas are over quota: production, session s-2/);
    });
  });

  describe('muting an area', () => {
    let fx: Fixture;
    let wb: Workbench;
    const warning = /^production is at 88% of its 1 GB quota\.$/;
    before(async () => {
      fx = createFixture('muted', {}, {});
      sparse(fx.root, 'production/a.bin', Math.round(0.88 * 1024 * MB));
      wb = await Workbench.open(fx.root);
    });
    after(async () => wb?.close());

    it('"Don\'t Warn Again for production" keeps it quiet after a reload; the status bar still warns', async () => {
      await wb.clickNotificationButton(warning, "Don't Warn Again for production");
      await wb.reload();
      const status = await wb.waitForStatus((s) => s.kind === 'warning', 30_000);
      assert.equal(status.text, 'production 901 MB / 1 GB');
      await settle(wb, 4000);
      assert.deepEqual(
        (await wb.notifications()).filter((t) => /quota/.test(t)),
        [],
      );
    });

    it('comes back after Workspace Usage: Reset Muted Warnings', async () => {
      await wb.runCommand('Workspace Usage: Reset Muted Warnings');
      await wb.notification(warning).waitFor({ timeout: 10_000 });
    });
  });

  describe('the report page', () => {
    let fx: Fixture;
    let wb: Workbench;
    before(async () => {
      fx = createFixture('report', {}, { 'work/a.txt': 'hello\n' });
      wb = await Workbench.open(fx.root);
    });
    after(async () => wb?.close());

    it('is back after a window reload', async () => {
      await wb.waitForStatus((s) => s.text.includes('/'), 30_000);
      await wb.runCommand('Workspace Usage: Show Usage Report');
      await wb.webview().locator('h1', { hasText: 'Workspace Usage — report' }).waitFor({ timeout: 30_000 });
      await wb.reload();
      const heading = wb.webview().locator('h1', { hasText: 'Workspace Usage — report' });
      await heading.waitFor({ timeout: 60_000 });
      assert.equal(await wb.page.locator('.tab', { hasText: 'Usage Report' }).count(), 1, 'one report tab');
      await wb.webview().locator('h2', { hasText: 'Areas' }).waitFor({ timeout: 10_000 });
    });
  });

  describe('a long scan', () => {
    let fx: Fixture;
    let wb: Workbench;
    before(async () => {
      // WORKSPACE_USAGE_TEST_SCAN_DELAY (set by the harness) holds scans of folders named
      // wu-slowscan-* for a few seconds: long enough to see the progress and cancel it.
      fx = createFixture('slowscan', {}, { 'work/a.txt': 'x'.repeat(1000) });
      wb = await Workbench.open(fx.root);
    });
    after(async () => wb?.close());

    it('shows progress with a Cancel button; a cancelled scan says so, and Rescan completes it', async () => {
      await wb.clickNotificationButton(/files counted/, 'Cancel');
      await wb.showView('Usage');
      const rows = await wb.waitForRows('Usage', (r) =>
        r.some((x) => x.label === 'Scan cancelled: no sizes yet. Rescan to count.'),
      );
      assert.equal(rows.find((r) => r.label === 'slowscan')?.description, 'scan cancelled');
      await wb.clickRowAction('Usage', 'Scan cancelled: no sizes yet. Rescan to count.', 'Rescan');
      const done = await wb.waitForRows(
        'Usage',
        (r) => r.some((x) => x.label === 'work' && x.description.startsWith('1000 bytes')),
        30_000,
      );
      assert.ok(!done.some((r) => r.label.startsWith('Scan cancelled')));
    });
  });
});
