// Issue 15, parts 4 and 5 as a person sees them: each warning step of an area raises its own
// notification (and reaches the alert webhook), and a budget of 100 tokens turns the status bar
// to warning with the sample log (whose resident records take a few hundred tokens).
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with `npm start`
import { createSampleWorkspace } from '../../scripts/lib/sampleWorkspace.mjs';
import { createFixture, KB, residentTokensOfLog, type Fixture } from './harness/fixtures';
import { Workbench } from './harness/workbench';

describe('alerts: warning steps and the resident token budget', function () {
  describe('warning steps', () => {
    let fx: Fixture;
    let wb: Workbench;
    let server: Server;
    const posts: Array<Record<string, unknown>> = [];

    before(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          posts.push(JSON.parse(body) as Record<string, unknown>);
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      fx = createFixture(
        'alerts',
        {
          'workspaceUsage.areas': [{ name: 'work', pattern: 'work', quota: '100 kB', warningAt: [0.8, 0.9] }],
          'workspaceUsage.folderQuota': '10 MB',
          'workspaceUsage.alertWebhook': `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
        },
        { 'work/scratch.csv': 50 * KB },
      );
      wb = await Workbench.open(fx.root);
    });
    after(async () => {
      await wb?.close();
      server?.close();
    });

    it('raises one notification at 80% and a second one past 90%, each POSTed to the webhook', async () => {
      await wb.waitForStatus((s) => s.text.includes('/') && s.kind === 'normal', 60_000);
      fx.append('work/scratch.csv', 35 * KB); // 85 kB of 100 kB: the 80% step
      await wb.notification(/^work is at 85% of its 100 kB quota \(past the 80% step\)/).waitFor({ timeout: 15_000 });
      fx.append('work/scratch.csv', 7 * KB); // 92 kB: the 90% step
      await wb.notification(/^work is at 92% of its 100 kB quota \(past the 90% step\)/).waitFor({ timeout: 15_000 });
      const texts = (await wb.notifications()).filter((t) => /quota/.test(t));
      assert.equal(texts.length, 2, JSON.stringify(texts));
      const deadline = Date.now() + 10_000;
      while (posts.length < 2 && Date.now() < deadline) await wb.page.waitForTimeout(100);
      assert.deepEqual(
        posts.map((p) => [p.area, p.level, p.step, p.bytes, p.quota]),
        [
          ['work', 'warning', 0.8, 85 * KB, 100 * KB],
          ['work', 'warning', 0.9, 92 * KB, 100 * KB],
        ],
      );
      assert.equal(posts[1].message, 'work is at 92% of its 100 kB quota (past the 90% step).');
      await wb.screenshot('alerts-steps');
    });
  });

  describe('resident token budget with the sample log', () => {
    let wb: Workbench;
    let root: string;
    const settings = (budget: number) =>
      JSON.stringify(
        {
          // Quotas well above the sample's sizes: the budget is the only thing to warn about.
          'workspaceUsage.areas': [
            { name: 'production', pattern: 'production', quota: '10 GB' },
            { name: 'work', pattern: 'work', quota: '10 GB' },
            { name: 'sessions', pattern: 'sessions/*/work', quota: '10 GB' },
          ],
          'workspaceUsage.residentTokenBudget': budget,
        },
        null,
        2,
      );

    let resident: number;

    before(async () => {
      root = createSampleWorkspace(join(mkdtempSync(join(tmpdir(), 'wu-budget-')), 'sample-workspace'));
      // The sample's quota excess is not what this test is about.
      rmSync(join(root, 'sessions', 'ghi-789'), { recursive: true, force: true });
      // What the sample's log puts into each injection, read from the log itself (491 today).
      resident = residentTokensOfLog(root);
      assert.ok(resident > 100 && resident < 1000, `the sample's resident tokens per injection: ${resident}`);
      // At the budget is within it: the boundary itself stays normal.
      writeFileSync(join(root, '.vscode', 'settings.json'), settings(resident));
      wb = await Workbench.open(root);
    });
    after(async () => wb?.close());

    it('stays normal at the budget, and a budget of 100 tokens turns the status bar to warning', async () => {
      const within = await wb.waitForStatus((s) => s.text.includes('/'), 60_000);
      assert.equal(
        within.kind,
        'normal',
        `${resident} resident tokens are within a budget of ${resident}: ${within.text}`,
      );
      writeFileSync(join(root, '.vscode', 'settings.json'), settings(100));
      const over = await wb.waitForStatus((s) => s.kind === 'warning', 30_000);
      // Under 1,000 tokens the figures show as they are (no "k", no thousands separator).
      assert.equal(over.text, `Resident ${resident} / 100 tokens`);
      assert.match(
        (await wb.statusBar()).ariaLabel,
        new RegExp(`resident memory is over its token budget, ${resident} of 100 tokens`),
      );
      await wb.screenshot('alerts-budget');
      // Back at the budget (the log surely read by now): normal again, the boundary is within.
      writeFileSync(join(root, '.vscode', 'settings.json'), settings(resident));
      const back = await wb.waitForStatus((s) => s.kind === 'normal', 30_000);
      assert.doesNotMatch(back.text, /Resident/);
    });
  });
});
