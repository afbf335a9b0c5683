// Restricted Mode's policy for a folder's settings: paths that leave the folder are ignored and
// the user is told; a trusted folder takes the settings as they are.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { allowedExcludes, restrictedPolicy } from '../../../src/core/monitor/restrictedMode';

describe('restrictedMode', () => {
  const folder = path.resolve('/ws/folder');

  it('drops exclude globs that leave the folder only when untrusted', () => {
    const globs = ['node_modules', '/etc/**', 'a/../../b', 'work/*.tmp'];
    assert.deepEqual(allowedExcludes(globs, true), globs);
    assert.deepEqual(allowedExcludes(globs, false), ['node_modules', 'work/*.tmp']);
  });

  it('ignores a usage log outside the folder when untrusted, with a note for each ignored setting', () => {
    const settings = { usageLog: '/var/log/usage.jsonl', exclude: ['/etc/**'] };
    const trusted = restrictedPolicy(folder, settings, true);
    assert.equal(trusted.logPath, path.resolve('/var/log/usage.jsonl'));
    assert.deepEqual(trusted.notes, []);
    const untrusted = restrictedPolicy(folder, settings, false);
    assert.equal(untrusted.logPath, restrictedPolicy(folder, { usageLog: '', exclude: [] }, false).logPath);
    assert.ok(untrusted.logPath.startsWith(folder + path.sep));
    assert.equal(untrusted.notes.length, 2);
    assert.match(untrusted.notes[0], /usage log setting "\/var\/log\/usage\.jsonl" points outside the folder/);
    assert.match(untrusted.notes[1], /exclude globs that leave the folder are ignored/);
  });

  it('keeps a usage log inside the folder when untrusted', () => {
    const policy = restrictedPolicy(folder, { usageLog: 'logs/usage.jsonl', exclude: [] }, false);
    assert.equal(policy.logPath, path.join(folder, 'logs', 'usage.jsonl'));
    assert.deepEqual(policy.notes, []);
  });
});
