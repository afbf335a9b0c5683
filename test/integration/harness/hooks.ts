// Mocha root hooks: one editor host (code-server, or desktop VS Code through
// @vscode/test-electron when WORKSPACE_USAGE_TARGET=electron) for the whole integration run.
import { startHost, stopHost } from './host';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000); // a first run installs code-server
    await startHost();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHost();
  },
};
