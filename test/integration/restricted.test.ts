// Restricted Mode (an untrusted folder): a usage log or a memory record that resolves outside the
// folder through a symlink is not read, whatever setting or default led there; the user is told
// once why. Runs on its own code-server with workspace trust on, so the folder opens untrusted.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFixture, useEvent, type Fixture } from './harness/fixtures';
import { restartHost } from './harness/host';
import { Workbench } from './harness/workbench';

describe('Restricted Mode', function () {
  let fx: Fixture;
  let wb: Workbench;

  before(async function () {
    this.timeout(180_000);
    await restartHost({ workspaceTrust: true });
    const outside = mkdtempSync(join(tmpdir(), 'wu-outside-'));
    // Stand-ins for /etc/passwd: a log with a valid event naming a secret slug, and a summary.
    writeFileSync(join(outside, 'secret.jsonl'), `${JSON.stringify(useEvent('decision', 'leaked-secret'))}\n`);
    writeFileSync(join(outside, 'secret-summary.md'), '# root:x:0:0\n');
    fx = createFixture('restricted', {}, { '.yoi/memory/decisions/inside.md': '# Inside\n', 'work/a.txt': 'x\n' });
    mkdirSync(join(fx.root, '.yoi', 'memory'), { recursive: true });
    symlinkSync(join(outside, 'secret.jsonl'), join(fx.root, '.yoi', 'usage.jsonl'));
    symlinkSync(join(outside, 'secret-summary.md'), join(fx.root, '.yoi', 'memory', 'summary.md'));
    wb = await Workbench.open(fx.root);
  });
  after(async function () {
    this.timeout(180_000);
    if (wb) await wb.screenshot('restricted');
    await wb?.close();
    await restartHost();
  });

  it('does not read the default usage log when it is a symlink out of the folder, and says why once', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await wb.showView('Records');
    const rows = await wb.waitForRows('Records', (r) => r.some((x) => x.label === 'inside'));
    assert.ok(!rows.some((r) => r.label === 'leaked-secret'), `rows: ${rows.map((r) => r.label).join(', ')}`);
    assert.ok(!rows.some((r) => r.label === 'summary'), 'the summary linked from outside is not listed');
    const toast = wb.notification(/the usage log .*usage\.jsonl resolves to .*secret\.jsonl.*outside the folder/);
    await toast.waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(3000);
    assert.equal((await wb.notifications()).filter((t) => /the usage log/.test(t)).length, 1);
  });
});
