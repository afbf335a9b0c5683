// A page object over VS Code's workbench DOM: what a person sees and does, in one place, so the
// tests read as user stories and a workbench DOM change is fixed here only.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { extensionLogFiles, openEditorPage, resultsDir } from './host';

/** Windows open now, so a failed test can say what was on their screens (hooks.ts). */
const openWorkbenches = new Set<Workbench>();

export const STATUS_ITEM_ID = 'workspace-usage.workspace-usage.workspaceUsage.status';

export interface TreeRow {
  label: string;
  description: string;
  level: number;
  expanded: boolean | undefined;
  ariaLabel: string;
  tooltip: string;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly closer: () => Promise<void>,
    readonly logs: () => string,
  ) {}

  static async open(folder: string, options: { sameProfile?: boolean } = {}): Promise<Workbench> {
    const { page, close, logs } = await openEditorPage(folder, options);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // The status bar is the last part to come up; after it the extension host is running.
    await page.locator('.statusbar').waitFor({ timeout: 90_000 });
    const wb = new Workbench(page, close, logs);
    openWorkbenches.add(wb);
    return wb;
  }

  async close(): Promise<void> {
    openWorkbenches.delete(this);
    await this.closer();
  }

  /**
   * What a person would see on this window now, for a failed test's output: CI keeps only the
   * console, and a flaky step is fixed from what its failure printed.
   */
  async describe(): Promise<string> {
    const texts = async (selector: string) =>
      (
        await this.page
          .locator(selector)
          .filter({ visible: true })
          .allInnerTexts()
          .catch(() => [] as string[])
      ).map((t) => t.replace(/\s+/g, ' ').trim());
    const lines = [
      `status bar: ${(await texts(`[id="${STATUS_ITEM_ID}"]`)).join(' | ')}`,
      `quick input: ${(await texts('.quick-input-widget')).join(' | ')}`,
      `menus: ${(await texts('.context-view .monaco-menu, .monaco-menu-container')).join(' | ')}`,
      `dialogs: ${(await texts('.monaco-dialog-box')).join(' | ')}`,
      `notifications: ${(await texts('.notification-toast')).join(' | ')}`,
    ];
    for (const title of ['Usage', 'Records'] as const) {
      if (!(await this.viewVisible(title))) continue;
      const rows = await this.treeRows(title).catch(() => [] as TreeRow[]);
      lines.push(
        `${title} view: ${rows.map((r) => `${'  '.repeat(r.level)}${r.label} = ${r.description}`).join('; ')}`,
      );
    }
    lines.push(`extension log (last 40 lines):\n${extensionLogTail(40)}`);
    return lines.join('\n');
  }

  /**
   * Reloads the window with Developer: Reload Window, as a person does: the workbench shuts down
   * properly (its state and the extensions' storage are written) before the page loads again.
   */
  async reload(): Promise<void> {
    const loaded = this.page.waitForEvent('load', { timeout: 90_000 });
    await this.runCommand('Developer: Reload Window');
    await loaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: 90_000 });
  }

  /** Whether a view pane of the Workspace Usage container is on screen. */
  async viewVisible(title: 'Usage' | 'Records'): Promise<boolean> {
    return this.viewPane(title)
      .isVisible()
      .catch(() => false);
  }

  /** The number on the Workspace Usage icon in the activity bar ('' without a badge) and the icon's hover text. */
  async containerBadge(): Promise<{ text: string; label: string }> {
    const item = this.page
      .locator('.activitybar li.action-item', { has: this.page.locator('a[aria-label^="Workspace Usage"]') })
      .first();
    await item.waitFor({ timeout: 30_000 });
    return item.evaluate((el) => ({
      text: (el.querySelector('.badge .badge-content')?.textContent ?? '').trim(),
      label: el.querySelector('a')?.getAttribute('aria-label') ?? '',
    }));
  }

  /** The visible notification toast whose message matches, or undefined. */
  notification(message: string | RegExp): Locator {
    return this.page
      .locator('.notification-toast', {
        has: this.page.locator('.notification-list-item-message', { hasText: message }),
      })
      .first();
  }

  /** Clicks a button (e.g. "Cancel", "Show Report") on the notification toast whose message matches. */
  async clickNotificationButton(message: string | RegExp, button: string | RegExp): Promise<void> {
    const toast = this.notification(message);
    await toast.waitFor({ timeout: 30_000 });
    await toast.hover();
    await toast.locator('.monaco-button', { hasText: button }).first().click();
  }

  /** Clicks an inline action (by its title, e.g. "Rescan") on a tree row. */
  async clickRowAction(title: string, label: string | RegExp, action: string): Promise<void> {
    const row = this.viewPane(title)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    await row.hover();
    await row.locator(`.actions a.action-label[aria-label^="${action}"]`).first().click();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const path = join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Runs a command from the command palette by its title, as a person types it. */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('Escape');
      await this.page
        .locator('.monaco-workbench')
        .click({ position: { x: 700, y: 5 } })
        .catch(() => undefined);
      await this.page.keyboard.press('F1');
      if (await input.isVisible({ timeout: 3000 }).catch(() => false)) break;
      await this.page.keyboard.press('Control+Shift+P');
      if (await input.isVisible({ timeout: 3000 }).catch(() => false)) break;
    }
    await input.fill(`>${title}`);
    await this.pickRow(title).waitFor({ timeout: 15_000 });
    await this.pickRow(title).click();
  }

  /** The open quick pick's row holding `text` (a closed pick's rows stay in the page, hidden). */
  private pickRow(text: string): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).filter({ visible: true }).first();
  }

  /**
   * Opens a quick pick with `open` (a command, a row's menu item) and clicks its row holding
   * `text`; returns that row's text. Up to 3 tries: on a loaded machine a view refresh can close
   * a menu under the click, and a pick was seen to close as it was clicked.
   */
  async choose(open: () => Promise<void>, text: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      await open();
      const row = this.pickRow(text);
      try {
        await row.waitFor({ timeout: 15_000 });
        const shown = (await row.innerText()).replace(/\s+/g, ' ');
        await row.click({ timeout: 5000 });
        return shown;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The view pane with this title (e.g. "Usage"), opening the Workspace Usage container first. */
  async showView(title: 'Usage' | 'Records'): Promise<Locator> {
    const item = this.page
      .locator('.activitybar li.action-item', { has: this.page.locator('a[aria-label^="Workspace Usage"]') })
      .first();
    const pane = this.viewPane(title);
    // Clicking the container's icon while it is already the open one closes the side bar: a
    // window restoring the container, its pane not drawn yet, lost its view to that click. Click
    // only while another container is open, and look again until the pane shows.
    const deadline = Date.now() + 30_000;
    while (!(await pane.isVisible().catch(() => false))) {
      if (Date.now() > deadline) break;
      const open = await item.evaluate((el) => el.classList.contains('checked')).catch(() => false);
      if (!open) await item.click().catch(() => undefined);
      await pane.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await pane.waitFor({ timeout: 1000 });
    const header = pane.locator('> .pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  viewPane(title: string): Locator {
    return this.page.locator(`.pane:has(> .pane-header h3.title:text-is("${title}"))`);
  }

  /**
   * Visible rows of a tree view, top to bottom. VS Code's sticky scroll draws copies of the
   * parents of the top row (also `.monaco-list-row`s) over the list; a copy is left out when the
   * list draws the row itself. A stale copy beside an updated row failed a CI run: the same
   * folder read "verifying…" and not in one look.
   */
  async treeRows(title: string): Promise<TreeRow[]> {
    const rows = this.viewPane(title).locator('.monaco-list-row');
    const all = await rows.evaluateAll((elements) =>
      elements.map((row) => ({
        label: row.querySelector('.label-name')?.textContent?.trim() ?? row.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        level: Number(row.getAttribute('aria-level') ?? '0'),
        expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
        ariaLabel: row.getAttribute('aria-label') ?? '',
        tooltip: row.querySelector('.monaco-icon-label')?.getAttribute('title') ?? '',
        sticky: row.classList.contains('monaco-tree-sticky-row'),
      })),
    );
    const key = (r: { level: number; label: string }) => `${r.level}\0${r.label}`;
    const listed = new Set(all.filter((r) => !r.sticky).map(key));
    return all.filter((r) => !r.sticky || !listed.has(key(r))).map(({ sticky: _, ...row }) => row);
  }

  /** Waits until `predicate` holds for the rows of a tree view; returns those rows. */
  async waitForRows(title: string, predicate: (rows: TreeRow[]) => boolean, timeout = 30_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeout;
    let rows: TreeRow[] = [];
    while (Date.now() < deadline) {
      rows = await this.treeRows(title);
      if (predicate(rows)) return rows;
      await this.page.waitForTimeout(100);
    }
    throw new Error(
      `Timed out after ${timeout} ms waiting for the ${title} view; it shows:\n${rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label} | ${r.description}`).join('\n')}`,
    );
  }

  /**
   * The Explorer's decoration of a top-level entry as drawn: the badge text (a CSS ::after
   * content, as VS Code renders file decorations) and the label's colour. Opens the Explorer.
   */
  async explorerDecoration(name: string, timeout = 10_000): Promise<{ badge: string; color: string; title: string }> {
    const explorer = this.page.locator('.explorer-folders-view');
    if (!(await explorer.isVisible().catch(() => false)))
      await this.page.locator('.activitybar a[aria-label^="Explorer"]').first().click();
    const row = explorer
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
      .first();
    await row.waitFor({ timeout });
    const deadline = Date.now() + timeout;
    let seen = { badge: '', color: '', title: '' };
    while (Date.now() < deadline) {
      seen = await row.evaluate((el) => {
        // Runs in the page; the project's TypeScript has no DOM library, so reach it untyped.
        const getComputedStyle = (
          globalThis as unknown as { getComputedStyle(e: unknown, pseudo?: string): { content: string; color: string } }
        ).getComputedStyle;
        let badge = '';
        for (const node of [el, ...el.querySelectorAll('*')]) {
          const content = getComputedStyle(node, '::after').content;
          if (content && content !== 'none' && content !== 'normal' && content !== '""')
            badge ||= content.replace(/^"|"$/g, '');
        }
        const label = el.querySelector('.label-name');
        return {
          badge,
          color: label ? getComputedStyle(label).color : '',
          title: el.querySelector('.monaco-icon-label')?.getAttribute('title') ?? '',
        };
      });
      if (seen.badge) return seen;
      await this.page.waitForTimeout(200);
    }
    return seen;
  }

  /** Clicks the row with this label (expanding or collapsing it, or running its command). */
  async clickRow(title: string, label: string | RegExp): Promise<void> {
    await this.viewPane(title)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first()
      .click();
  }

  async expandRow(title: string, label: string | RegExp): Promise<void> {
    const row = this.viewPane(title)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    // A tree refresh at the moment of the click (numbers coming in) re-renders the row and the
    // click is lost (seen once in CI): click again until the row says it is expanded.
    for (const deadline = Date.now() + 20_000; ;) {
      const expanded = await row.getAttribute('aria-expanded');
      if (expanded !== 'false') return;
      if (Date.now() > deadline) throw new Error(`the row ${String(label)} of ${title} did not expand`);
      await row.click();
      await this.page.waitForTimeout(300);
    }
  }

  /** Hovers a tree row and returns the text of the tooltip that appears. */
  async rowTooltip(title: string, label: string | RegExp): Promise<string> {
    const row = this.viewPane(title)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    // A tree refresh under the pointer can swallow the hover: callers retry.
    await this.page.mouse.move(700, 450);
    await this.page.keyboard.press('Escape');
    await row.hover();
    const hover = this.page
      .locator('.workbench-hover, .monaco-hover')
      .filter({ visible: true, hasText: label })
      .first();
    await hover.waitFor({ timeout: 4000 });
    return (await hover.innerText()).trim();
  }

  statusItem(): Locator {
    return this.page.locator(`[id="${STATUS_ITEM_ID}"]`);
  }

  /** The status bar item's text and its state ('warning', 'error' or 'normal') from its background. */
  async statusBar(): Promise<{ text: string; kind: 'warning' | 'error' | 'normal'; ariaLabel: string }> {
    const item = this.statusItem();
    await item.waitFor({ timeout: 30_000 });
    return item.evaluate((el) => ({
      text: (el.textContent ?? '').trim(),
      kind: el.classList.contains('error-kind')
        ? 'error'
        : el.classList.contains('warning-kind')
          ? 'warning'
          : 'normal',
      ariaLabel: el.querySelector('a')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
    }));
  }

  async waitForStatus(
    predicate: (s: { text: string; kind: string }) => boolean,
    timeout = 30_000,
  ): Promise<{ text: string; kind: string }> {
    const deadline = Date.now() + timeout;
    let last = { text: '', kind: '' };
    while (Date.now() < deadline) {
      last = await this.statusBar();
      if (predicate(last)) return last;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`Timed out waiting for the status bar; it shows "${last.text}" (${last.kind})`);
  }

  /** The content frame of the active webview (the Usage Report page). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /** The modal dialog (showWarningMessage with `modal: true`), drawn in the workbench DOM. */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box').first();
  }

  /**
   * Waits for a modal dialog, returns its whole text (message and detail, whitespace collapsed)
   * and clicks its button matching `button` (e.g. /^Cancel$/). A notification does not count.
   */
  async answerDialog(button: string | RegExp, timeout = 30_000): Promise<string> {
    const dialog = this.dialog();
    await dialog.waitFor({ timeout });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    return text;
  }

  /** Texts of visible notification toasts (progress notifications included). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allTextContents();
  }
}

/** describe() of every open window (for the root hooks). */
export async function describeOpenWorkbenches(): Promise<string> {
  const parts: string[] = [];
  for (const wb of openWorkbenches)
    parts.push(await wb.describe().catch((e: unknown) => `(not described: ${String(e)})`));
  return parts.join('\n---\n');
}

/** The newest "Workspace Usage" output log's last lines. */
function extensionLogTail(lines: number): string {
  const newest = extensionLogFiles().at(-1);
  return newest ? readFileSync(newest, 'utf8').split('\n').slice(-lines).join('\n') : '(no Workspace Usage log)';
}
