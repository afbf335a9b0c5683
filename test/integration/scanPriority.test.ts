// The first scan of a window runs at the normal CPU priority, the one a person waits for, and
// steps back to the background priority as soon as they edit a document: every thread of the scan
// process then runs at nice 10 (read from /proc, as the kernel has it), and the numbers still come.
// The harness holds scans of folders named wu-slowproc-* in the scan process for 15 s, so the
// process is there to be looked at.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { formatSize } from '../../src/core/format/size';
import { threadNices } from '../support/threads';
import { createFixture, type Fixture } from './harness/fixtures';
import { extensionLogFiles, pidsRunning } from './harness/host';
import { Workbench } from './harness/workbench';

/** More entries than the host walks on its own thread (ON_THREAD_ENTRIES): the scan process runs. */
const FILES = 1500;

/** The running scan processes (dist/scanProcess.js), by pid. */
const scanProcessPids = () => pidsRunning('scanProcess.js');

const extensionLog = () =>
  extensionLogFiles()
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

async function until<T>(get: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the first scan and the person at the editor', function () {
  let fx: Fixture;
  let wb: Workbench | undefined;
  before(function () {
    if (!existsSync('/proc/self/task')) this.skip();
    const files: Record<string, number> = {};
    for (let i = 0; i < FILES; i++) files[`data/d${i % 30}/f${i}.txt`] = 10;
    fx = createFixture('slowproc', { 'workspaceUsage.folderQuota': '10 MB' }, files);
  });
  after(async () => wb?.close());

  it('runs at the normal priority, drops to the background one when a document is edited, and still counts', async () => {
    const before = new Set(scanProcessPids());
    wb = await Workbench.open(fx.root);
    const pid = await until(
      () => scanProcessPids().find((p) => !before.has(p)),
      'the scan process of the first scan',
      60_000,
    );
    const threads = threadNices(pid);
    assert.deepEqual(
      threads,
      threads.map(() => 0),
      'the first scan starts at the normal priority',
    );

    await wb.runCommand('File: New Untitled Text File');
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    await wb.page.keyboard.type('a note while the folder is counted');
    await until(
      () =>
        /a document was edited: the first scan goes on at the background priority/.test(extensionLog())
          ? true
          : undefined,
      'the log to say the scan stepped back',
    );
    const after = threadNices(pid);
    assert.deepEqual(
      after,
      after.map(() => 10),
      'every thread of the scan process at nice 10',
    );

    // Still held, then counted: the numbers come as they would have.
    const total = FILES * 10 + fx.size('.vscode/settings.json');
    await wb.waitForStatus((s) => s.text === `${formatSize(total)} / 10 MB`, 60_000);
  });
});
