// Loaded before the unit tests (.mocharc.json "require"): the run gets a temporary folder of its
// own, which the tests' temporary folders and files (mkdtemp under os.tmpdir()) and the child
// processes they start (the scan process's parts files) go into, and which is removed when the run
// ends. Tests need not each clean up after themselves, and a failing one leaves nothing behind:
// before, every `npm test` left some 200 folders in /tmp (after a workday of runs here, 6,200).
// Only this run's own folder is removed, never what another run or the editor has in /tmp.
// KEEP_TEST_RUN=1 keeps it (its path is printed), as for the integration tests.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = mkdtempSync(join(tmpdir(), 'wu-unit-run-'));
// As /tmp is: the tests that run the command as an unprivileged user reach their folders in it.
chmodSync(run, 0o1777);
// os.tmpdir() reads TMPDIR at each call; children inherit it.
process.env.TMPDIR = run;

export const mochaHooks = {
  afterAll(): void {
    if (process.env.KEEP_TEST_RUN) {
      console.log(`  temporary files of this run kept in ${run}`);
      return;
    }
    // rm -rf: some tests build trees deeper than PATH_MAX, which fs.rmSync cannot remove (it
    // works with whole paths; GNU rm descends with openat).
    const rm = spawnSync('rm', ['-rf', '--', run], { encoding: 'utf8' });
    let why = rm.error?.message ?? rm.stderr?.trim() ?? '';
    if (existsSync(run)) {
      try {
        rmSync(run, { recursive: true, force: true });
      } catch (error) {
        why = String(error);
      }
    }
    if (existsSync(run)) console.warn(`  temporary files of this run not all removed: ${run} (${why})`);
  },
};
