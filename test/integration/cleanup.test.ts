// Clean-up from the Usage view: Move to Trash below work (never below production), Clean Up Work
// Area older than 7 days (past 100 files only after a modal question), Exclude from Usage and
// Include Again.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { formatSize } from '../../src/core/format/size';
import { createFixture, KB, type Fixture } from './harness/fixtures';
import { restartHost } from './harness/host';
import { Workbench } from './harness/workbench';

const DAY = 24 * 60 * 60 * 1000;
/** 120 files of 1 kB, 8 to 27 days old, in session s-1's work area: past the 100-file modal line. */
const MANY_OLD = Array.from({ length: 120 }, (_, i) => `sessions/s-1/work/old/f-${String(i).padStart(3, '0')}.bin`);
/** 3 files of 2 kB, written now: they stay. */
const SESSION_NEW = ['sessions/s-1/work/new-a.bin', 'sessions/s-1/work/new-b.bin', 'sessions/s-1/work/new-c.bin'];
const SESSION_BYTES = MANY_OLD.length * KB + SESSION_NEW.length * 2 * KB;
const re = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

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
          { name: 'sessions', pattern: 'sessions/*/work', quota: '1 MB' },
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
        // A session's work area with more than 100 old files (see MANY_OLD) and a few new ones.
        ...Object.fromEntries(MANY_OLD.map((rel) => [rel, KB])),
        ...Object.fromEntries(SESSION_NEW.map((rel) => [rel, 2 * KB])),
      },
    );
    const age = (rel: string, days: number) => {
      const at = new Date(Date.now() - days * DAY);
      utimesSync(join(fx.root, rel), at, at);
    };
    age('work/old/a.bin', 10);
    age('work/old/b.bin', 20);
    age('work/scratch.csv', 1);
    MANY_OLD.forEach((rel, i) => age(rel, 8 + (i % 20)));
    wb = await Workbench.open(fx.root);
    await wb.showView('Usage');
    await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 'work' && x.description.startsWith(`${formatSize(52 * KB)} ·`)),
    );
    await wb.waitForRows('Usage', (r) =>
      r.some((x) => x.label === 's-1' && x.description.startsWith(`${formatSize(SESSION_BYTES)} ·`)),
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
    const items = wb.page.locator('.context-view .action-label, .monaco-menu .action-label');
    // A tree refresh at the moment of the right-click re-renders the row and no menu opens
    // (seen once on the first test, with a session area scanned alongside): right-click again.
    for (let attempt = 1; ; attempt++) {
      await wb.page.keyboard.press('Escape');
      await row(label).click({ button: 'right' });
      try {
        await items.first().waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    return (await items.allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
  }

  async function clickMenu(label: string, title: string): Promise<void> {
    const titles = await openMenu(label);
    assert.ok(titles.includes(title), `"${title}" in the menu of ${label}: ${titles.join(', ')}`);
    // The menu closes when its item runs; one still open lost the click (a re-render under it).
    const item = wb.page.locator('.context-view .action-label, .monaco-menu .action-label', { hasText: title }).first();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await item.click({ timeout: 5000 }).catch(() => undefined);
      if (
        await item.waitFor({ state: 'hidden', timeout: 2000 }).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    assert.fail(`the menu of ${label} stayed open after 3 clicks on "${title}"`);
  }

  /** The next confirmation (a modal dialog or a notification): its text, then clicks `button` on it. */
  async function answer(button: RegExp, timeout = 30_000): Promise<string> {
    const dialog = wb.dialog();
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

  /** Clean Up Work Area… on a row, picking "Older than 7 days"; returns the pick's text. */
  async function cleanUpOlderThan7Days(label: string): Promise<string> {
    return wb.choose(() => clickMenu(label, 'Clean Up Work Area…'), 'Older than 7 days');
  }

  const sessionFilesLeft = () => [...MANY_OLD, ...SESSION_NEW].filter((rel) => existsSync(join(fx.root, rel)));

  // Runs before any deletion: in code-server the first deletion learns that the file system has
  // no trash, after which every confirmation is modal; here only the count can make it modal.
  it('asks in a modal dialog naming the count and bytes past 100 files; Cancel keeps every file', async () => {
    const pick = await cleanUpOlderThan7Days('s-1');
    assert.match(pick, re(`120 files, ${formatSize(120 * KB)}`));
    const text = await wb.answerDialog(/^Cancel$/);
    console.log(`      dialog: ${JSON.stringify(text)}`);
    assert.match(text, re(`Move 120 files (${formatSize(120 * KB)}) in sessions/s-1/work older than 7 days`));
    assert.match(text, /…and 110 more/);
    await wb.page.waitForTimeout(1000);
    assert.equal(sessionFilesLeft().length, 123, 'Cancel deletes nothing');
    const rows = await wb.treeRows('Usage');
    assert.ok(
      rows.some((x) => x.label === 's-1' && x.description.startsWith(`${formatSize(SESSION_BYTES)} ·`)),
      JSON.stringify(rows.map((r) => [r.label, r.description])),
    );
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
    const text = await cleanUpOlderThan7Days('work');
    assert.match(text, new RegExp(`2 files, ${formatSize(15 * KB).replace('.', '\\.')}`));
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
    await wb.choose(() => wb.runCommand('Workspace Usage: Include Excluded Folder Again…'), 'cache/**');
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

  // Last: deleting 120 files sends the view a burst of refreshes for a while after the row has
  // dropped, which closed the next test's context menu under its click.
  it('past 100 files, once confirmed, deletes exactly the old files and the session size drops', async () => {
    const pick = await cleanUpOlderThan7Days('s-1');
    assert.match(pick, re(`120 files, ${formatSize(120 * KB)}`));
    // Modal either way: past 100 files, and (in code-server, learned above) with no trash.
    const texts = [await wb.answerDialog(/^(Move to Trash|Delete Permanently)$/)];
    const again = wb.dialog().filter({ hasText: 'no trash. Delete permanently?' });
    if (
      await again.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    )
      texts.push(await wb.answerDialog(/^Delete Permanently$/));
    console.log(`      confirmations: ${texts.map((t) => JSON.stringify(t)).join(' then ')}`);
    assert.match(texts[0], re(`120 files (${formatSize(120 * KB)}) in sessions/s-1/work older than 7 days`));
    await wb
      .notification(re(`120 files (${formatSize(120 * KB)}) from sessions/s-1/work.`))
      .waitFor({ timeout: 60_000 });
    await wb.waitForRows(
      'Usage',
      (r) =>
        r.some((x) => x.label === 's-1' && x.description.startsWith(`${formatSize(SESSION_NEW.length * 2 * KB)} ·`)),
      30_000,
    );
    assert.deepEqual(sessionFilesLeft(), SESSION_NEW, 'exactly the 120 old files went; the new ones stay');
    assert.deepEqual(readdirSync(join(fx.root, 'sessions/s-1/work')).sort(), ['new-a.bin', 'new-b.bin', 'new-c.bin']);
  });
});
