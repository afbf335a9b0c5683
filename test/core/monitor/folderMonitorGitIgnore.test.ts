// FolderMonitor with workspaceUsage.useGitIgnore (issue 13 part 5): what .gitignore leaves out
// is found in slices after a new tree, never inside usage(); meanwhile usage() answers at once
// with the last counted figures, marked as being updated.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { UsageReport } from '../../../src/core/disk/areas';
import type { FolderMonitor } from '../../../src/core/monitor/folderMonitor';
import { monitorOf, monitorSettings } from '../../support/folderMonitor';

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('FolderMonitor with .gitignore rules', () => {
  let root: string;
  let monitor: FolderMonitor | undefined;
  afterEach(async () => {
    monitor?.dispose();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('finds the ignored set in slices after a rescan; usage() meanwhile shows the last counted figures, marked', async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wu-mongi-'));
    await fs.writeFile(path.join(root, '.gitignore'), '*.log\n');
    for (let d = 0; d < 10; d++) {
      const dir = path.join(root, `d${d}`);
      await fs.mkdir(dir);
      for (let i = 0; i < 100; i++) await fs.writeFile(path.join(dir, `f${i}${i % 2 ? '.log' : '.txt'}`), 'x');
    }
    let pauses = 0;
    let duringWalk: { report: UsageReport | undefined; pausesThen: number } | undefined;
    let scanned = false;
    monitor = monitorOf(root, {
      settings: monitorSettings({ useGitIgnore: true }),
      onScanned: () => (scanned = true),
      watchSource: () => ({ start: () => undefined, close: async () => undefined }),
      gitIgnoreSlices: {
        sliceMs: 0,
        onPause: () => {
          pauses++;
          // Between two slices of the walk: usage() answers without running the rest of it.
          if (duringWalk === undefined && scanned) duringWalk = { report: monitor!.usage(), pausesThen: pauses };
        },
      },
    });
    await monitor.start();
    // The first numbers came with what is ignored (the walk, in slices, ran before them).
    assert.ok(pauses >= 2, `${pauses} pauses in the first walk`);
    const first = monitor.usage()!;
    assert.equal(first.excludedPending, undefined);
    assert.deepEqual(first.excluded && { bytes: first.excluded.bytes, files: first.excluded.files }, {
      bytes: 500,
      files: 500,
    });
    assert.equal(first.files, 501); // 500 .txt and the .gitignore
    // A new ignored file, then a whole-folder rescan: a new tree, walked again in slices.
    await fs.writeFile(path.join(root, 'd0', 'big.log'), Buffer.alloc(5000));
    const pausesBefore = pauses;
    await monitor.rescan('');
    await until(
      () => monitor!.usage()?.excludedPending === undefined && pauses > pausesBefore,
      'the walk of the new tree',
    );
    assert.ok(duringWalk, 'usage() was asked between two slices');
    const held = duringWalk.report!;
    assert.match(held.excludedPending ?? '', /Updating/);
    assert.equal(held.excluded?.bytes, 500, 'the last counted figures, not a half-walked set');
    assert.equal(held.files, 501);
    assert.ok(pauses > duringWalk.pausesThen, 'the walk went on in later slices');
    const after = monitor.usage()!;
    assert.equal(after.excluded?.bytes, 5500);
    assert.equal(after.excluded?.files, 501);
    assert.equal(after.files, 501);
  });
});
