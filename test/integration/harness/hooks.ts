// Mocha root hooks: one editor host (code-server, or desktop VS Code through
// @vscode/test-electron when WORKSPACE_USAGE_TARGET=electron) for the whole integration run.
import { startHost, stopHost } from './host';
import { describeOpenWorkbenches } from './workbench';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000); // a first run installs code-server
    // Scans of folders named wu-slowscan-* are held 5 s (the extension host inherits the editor
    // server's environment), so a test can cancel a long scan without a million-file fixture.
    process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY = 'wu-slowscan-=5000';
    // Scans of folders named wu-slowproc-* are held 15 s in the scan process, before its walk
    // (the process inherits the host's environment): the process runs meanwhile.
    process.env.WORKSPACE_USAGE_TEST_PROCESS_DELAY = 'wu-slowproc-=15000';
    await startHost();
  },
  // A failed test prints what its windows showed: the quick pick, menus, dialogs, the views and
  // the extension's log (CI keeps the console only).
  async afterEach(this: Mocha.Context) {
    if (this.currentTest?.state !== 'failed') return;
    this.timeout(30_000);
    const seen = await describeOpenWorkbenches();
    if (seen) console.log(`      --- on screen after the failure ---\n${seen.replace(/^/gm, '      ')}`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHost();
  },
};
