import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runUsage } from '../../src/cli/usageCommand';
import { captureIO } from '../support/cli';

const MIB = 1_048_576;

function sparse(file: string, bytes: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  truncateSync(file, bytes);
}

describe("workspace-usage usage --json (the endpoint's semantics since issue 11)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wu-json-'));
    sparse(path.join(dir, 'production', 'p'), MIB / 2);
    sparse(path.join(dir, 'work', 'w'), (3 * MIB) / 2);
    sparse(path.join(dir, 'sessions', 'a', 'work', 'x'), MIB / 4);
    sparse(path.join(dir, 'sessions', 'b', 'work', 'y'), 3 * MIB);
    sparse(path.join(dir, 'other.bin'), 10 * MIB);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exact MiB, total = production + work, whole folder in total_bytes, sessions largest first', async () => {
    const io = captureIO(dir);
    assert.equal(await runUsage(['--json'], io), 0);
    const json = JSON.parse(io.out);
    assert.equal(json.production_mb, 0.5);
    assert.equal(json.work_mb, 1.5);
    assert.equal(json.total_mb, 2);
    assert.equal(json.total_bytes, 15.25 * MIB);
    assert.deepEqual(json.sessions, [
      { id: 'b', bytes: 3 * MIB, mb: 3, area: 'sessions' },
      { id: 'a', bytes: MIB / 4, mb: 0.25, area: 'sessions' },
    ]);
    // The fields are kept, in their order.
    assert.deepEqual(Object.keys(json), [
      'folder',
      'total_bytes',
      'allocated_bytes',
      'files',
      'folder_quota_bytes',
      'folder_percent',
      'folder_level',
      'areas',
      'sessions',
      'other',
      'warnings',
      'production_mb',
      'work_mb',
      'total_mb',
    ]);
    assert.deepEqual(Object.keys(json.areas[3]), [
      'name',
      'path',
      'pattern',
      'bytes',
      'allocated_bytes',
      'files',
      'quota_bytes',
      'warning_fraction',
      'percent',
      'level',
      'session_id',
    ]);
  });
});
