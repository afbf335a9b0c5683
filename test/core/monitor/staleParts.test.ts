// Parts files a crash left behind are removed: only regular files of the name scanInProcess
// gives them, this user's, older than a scan in flight can be; nothing else in the folder.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partsFileName, removeStaleParts, STALE_PARTS_MS } from '../../../src/core/monitor/staleParts';

describe('stale parts files', () => {
  it('removes parts files a crash left behind: old ones of its own name, nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wu-stale-parts-'));
    const name = (n: number) => `workspace-usage-scan-0000000${n}-1111-2222-3333-444444444444.parts`;
    const now = Date.now();
    const age = (file: string, ms: number) => utimesSync(file, (now - ms) / 1000, (now - ms) / 1000);
    const oldLeftover = join(dir, name(1));
    writeFileSync(oldLeftover, 'left by a crash');
    age(oldLeftover, STALE_PARTS_MS + 60_000);
    // A scan in flight (another window's) wrote its file seconds ago.
    const inFlight = join(dir, name(2));
    writeFileSync(inFlight, 'being read');
    age(inFlight, 5_000);
    // Not ours: another name, a folder and a symlink of our name.
    const other = join(dir, 'workspace-usage-scan-notes.parts');
    writeFileSync(other, 'x');
    age(other, STALE_PARTS_MS * 2);
    mkdirSync(join(dir, name(3)));
    symlinkSync(other, join(dir, name(4)));
    const removed = await removeStaleParts(dir, { now });
    assert.deepEqual(removed, [oldLeftover]);
    assert.deepEqual(readdirSync(dir).sort(), [name(2), name(3), name(4), 'workspace-usage-scan-notes.parts'].sort());
    // A folder that cannot be listed: nothing removed, nothing thrown.
    assert.deepEqual(await removeStaleParts(join(dir, 'not-there')), []);
  });

  it('names a parts file so that the sweep knows it as one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wu-stale-parts-'));
    const file = join(dir, partsFileName('01234567-89ab-cdef-0123-456789abcdef'));
    writeFileSync(file, 'x');
    const hoursAgo = (Date.now() - 2 * STALE_PARTS_MS) / 1000;
    utimesSync(file, hoursAgo, hoursAgo);
    assert.deepEqual(await removeStaleParts(dir), [file]);
  });
});
