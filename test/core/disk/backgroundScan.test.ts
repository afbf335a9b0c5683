// A scan in an editor's background runs its worker threads at a lower CPU priority (nice 10), so
// the editor, its extension host and the browser get the cores first; the CLI's scan does not.
// Linux only (nice per thread, read from /proc/self/task/<tid>/stat).
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { scanInWorker } from '../../../src/core/disk/scanInWorker';
import { scanWorkerPath } from '../../support/scanWorker';

/** The nice values of this process's threads now (field 19 of each task's stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start at the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(fields[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

describe('background scans', function () {
  this.timeout(60_000);
  let root: string;
  before(function () {
    if (!existsSync('/proc/self/task')) this.skip();
    root = mkdtempSync(path.join(tmpdir(), 'wu-nice-'));
    for (let d = 0; d < 24; d++) {
      mkdirSync(path.join(root, `d${d}`));
      for (let f = 0; f < 500; f++) writeFileSync(path.join(root, `d${d}`, `f${f}`), '');
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const workers of [1, 2]) {
    it(`lowers the priority of its ${workers === 1 ? 'worker' : 'workers'} only, not the caller's thread`, async () => {
      const seen: number[][] = [];
      await scanInWorker(root, {
        workerPath: scanWorkerPath(),
        workers,
        background: true,
        // Progress comes every 5,000 files, while the workers run.
        onProgress: () => seen.push(threadNices()),
      });
      assert.ok(seen.length > 0, 'progress while the scan ran');
      assert.ok(
        seen.some((nices) => nices.includes(10)),
        `a thread at nice 10: ${JSON.stringify(seen)}`,
      );
      assert.ok(
        seen.every((nices) => nices.includes(0)),
        'the caller (and its other threads) keep their priority',
      );
    });
  }

  it("leaves a foreground (the CLI's) scan at normal priority", async () => {
    const seen: number[][] = [];
    await scanInWorker(root, { workerPath: scanWorkerPath(), workers: 2, onProgress: () => seen.push(threadNices()) });
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((nices) => !nices.includes(10)),
      JSON.stringify(seen),
    );
  });
});
