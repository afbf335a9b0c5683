// Clean-up from the Usage view: Move to Trash below work (never below production), Clean Up Work
// Area older than 7 days, Exclude from Usage and Include Again.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { restartHost } from './harness/host';
import { Workbench } from './harness/workbench';

const DAY = 24 * 60 * 60 * 1000;

describe('Clean-up from the Usage view', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async function () {
    // A fresh code-server: after other suites' windows in the same server, the context menu's and
    // the quick pick's steps were lost in 2 of 3 runs (alone, every run passed). The cause was not
    // found in this session; multiRoot.test.ts does the same for a similar server-state effect.
    this.timeout(180_000);
    await restartHost();
    fx = createFixture(
      'cleanup',
      {
        'workspaceUsage.areas': [
          { name: 'production', pattern: 'production', quota: '1 MB' },
          { name: 'work', pattern: 'work', quota: '1 MB' },
        ],
        'workspaceUsage.folderQuota': '10 MB',
      },
      {
        'production/model.bin': 40 * KB,
        'work/scratch.csv': 30 * KB,
        'work/old/a.bin': 10 * KB,
        'work/old/b.bin': 5 * KB,
        'work/new.bin': 7 * KB,
        'cache/blob.bin': 25 * KB,
      },
    );
    const age = (rel: string, days: number) => {
      const at = new Date(Date.now() - days * DAY);
      utimesSync(join(fx.root, rel), at, at);
    };
    age('work/old/a.bin', 10);
    age('work/old/b.bin', 20);
    age('work/scratch.csv', 1);
    wb = await Workbench.open(fx.root);
    await wb.showView('Usage');
    await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 'work' && x.description.startsWith(`${formatSize(52 * KB)} ·`)),
    );
  });
  after(async () => {
    if (wb) await wb.screenshot('cleanup-final');
    await wb?.close();
  });

  function row(label: string): Locator {
    return wb
      .viewPane('Usage')
      .locator('.monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label.replace('.', '\\.')}$`) }) })
      .first();
  }

  /** Right-clicks a row and returns the titles of its context menu (left open). */
  async function openMenu(label: string): Promise<string[]> {
    await wb.page.keyboard.press('Escape');
    await row(label).click({ button: 'right' });
    const items = wb.page.locator('.context-view .action-label, .monaco-menu .action-label');
    await items.first().waitFor({ timeout: 10_000 });
    return (await items.allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
  }

  async function clickMenu(label: string, title: string): Promise<void> {
    const titles = await openMenu(label);
    assert.ok(titles.includes(title), `"${title}" in the menu of ${label}: ${titles.join(', ')}`);
    await wb.page
      .locator('.context-view .action-label, .monaco-menu .action-label', { hasText: title })
      .first()
      .click();
  }

  /** The next confirmation (a modal dialog or a notification): its text, then clicks `button` on it. */
  async function answer(button: RegExp, timeout = 30_000): Promise<string> {
    const dialog = wb.page.locator('.monaco-dialog-box');
    const toast = wb.page
      .locator('.notification-toast', { has: wb.page.locator('.monaco-button', { hasText: button }) })
      .first();
    await dialog.or(toast).first().waitFor({ timeout });
    const target = (await dialog.isVisible()) ? dialog : toast;
    const text = (await target.innerText()).replace(/\s+/g, ' ');
    if (target === toast) await toast.hover();
    await target.locator('.monaco-button', { hasText: button }).first().click();
    return text;
  }

  /**
   * Runs a row's menu command and confirms the deletion it asks about; where the file system has
   * no trash, says so and confirms deleting permanently. The menu is opened again when no
   * confirmation came (on a loaded machine a view refresh can close the menu under the click).
   */
  async function menuThenConfirm(label: string, title: string): Promise<string[]> {
    for (let attempt = 1; ; attempt++) {
      await clickMenu(label, title);
      try {
        return await confirmDeletion(10_000);
      } catch (error) {
        if (attempt === 3) throw error;
        await wb.page.keyboard.press('Escape');
      }
    }
  }

  /** Confirms a deletion; where the file system has no trash, says so and confirms deleting permanently. */
  async function confirmDeletion(timeout = 30_000): Promise<string[]> {
    const texts = [await answer(/^(Move to Trash|Delete Permanently)$/, timeout)];
    // code-server's remote file system has no trash: the product asks again, modally.
    const again = wb.page.locator('.monaco-dialog-box', { hasText: 'no trash. Delete permanently?' });
    if (
      await again.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    )
      texts.push(await answer(/^Delete Permanently$/));
    return texts;
  }

  it('offers no Move to Trash on a file under production', async () => {
    await wb.expandRow('Usage', /^production$/);
    const titles = await openMenu('model.bin');
    assert.ok(titles.includes('Copy Path'), `the menu opened: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Move to Trash'), `no Move to Trash under production: ${titles.join(', ')}`);
    assert.ok(!titles.some((t) => t.startsWith('Clean Up')), 'no Clean Up either');
    await wb.page.keyboard.press('Escape');
    const area = await openMenu('production');
    assert.ok(!area.some((t) => t.startsWith('Clean Up')), `no Clean Up on the production area: ${area.join(', ')}`);
    await wb.page.keyboard.press('Escape');
  });

  it('moves a file under work to the trash after a confirmation, and the work size drops', async () => {
    await wb.expandRow('Usage', /^work$/);
    await row('scratch.csv').waitFor({ timeout: 10_000 });
    const texts = await menuThenConfirm('scratch.csv', 'Move to Trash');
    console.log(`      confirmations: ${texts.map((t) => JSON.stringify(t)).join(' then ')}`);
    assert.match(texts[0], /scratch\.csv/);
    assert.match(texts[0], new RegExp(formatSize(30 * KB).replace('.', '\\.')));
    if (process.env.WORKSPACE_USAGE_TARGET !== 'electron') {
      // code-server's file system has no trash: the product says so and asks again (modal) instead of deleting silently.
      assert.equal(texts.length, 2, 'a second confirmation for permanent deletion');
      assert.match(texts[1], /no trash\. Delete permanently\?/);
      assert.match(texts[1], /scratch\.csv/);
    }
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description.startsWith(`${formatSize(22 * KB)} ·`)),
      15_000,
    );
    assert.equal(existsSync(join(fx.root, 'work/scratch.csv')), false);
  });

  it('cleans up files of work older than 7 days, after a confirmation naming the count', async () => {
    await clickMenu('work', 'Clean Up Work Area…');
    const pick = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Older than 7 days' }).first();
    await pick.waitFor({ timeout: 15_000 });
    assert.match(
      (await pick.innerText()).replace(/\s+/g, ' '),
      new RegExp(`2 files, ${formatSize(15 * KB).replace('.', '\\.')}`),
    );
    await pick.click();
    const texts = await confirmDeletion();
    console.log(`      confirmations: ${texts.map((t) => JSON.stringify(t)).join(' then ')}`);
    assert.match(texts[0], /2 files/);
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'work' && x.description.startsWith(`${formatSize(7 * KB)} ·`)),
      15_000,
    );
    assert.equal(existsSync(join(fx.root, 'work/old/a.bin')), false);
    assert.equal(existsSync(join(fx.root, 'work/old/b.bin')), false);
    assert.equal(existsSync(join(fx.root, 'work/new.bin')), true, 'the newer file stays');
  });

  it('excludes a folder from the totals and includes it again', async () => {
    const settings = () => fx.size('.vscode/settings.json');
    await wb.expandRow('Usage', /^other$/);
    await row('cache').waitFor({ timeout: 10_000 });
    await clickMenu('cache', 'Exclude from Usage');
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'other' && x.description === formatSize(settings())),
      20_000,
    );
    assert.deepEqual(
      JSON.parse(readFileSync(join(fx.root, '.vscode/settings.json'), 'utf8'))['workspaceUsage.exclude'],
      ['cache/**'],
    );
    await wb.runCommand('Workspace Usage: Include Excluded Folder Again…');
    const pick = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'cache/**' }).first();
    await pick.waitFor({ timeout: 15_000 });
    await pick.click();
    await wb.waitForRows(
      'Usage',
      (r) => r.some((x) => x.label === 'other' && x.description === formatSize(settings() + 25 * KB)),
      20_000,
    );
    assert.deepEqual(
      JSON.parse(readFileSync(join(fx.root, '.vscode/settings.json'), 'utf8'))['workspaceUsage.exclude'],
      [],
    );
  });
});
