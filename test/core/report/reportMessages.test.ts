// The check the extension runs on every message from the report page before acting on it.
import { strict as assert } from 'node:assert';
import { checkPageMessage, isToPageMessage, REPORT_COMMANDS } from '../../../src/core/report/reportMessages';

function rejected(message: unknown): string {
  const r = checkPageMessage(message);
  assert.equal(r.ok, false, `accepted: ${JSON.stringify(message)}`);
  return r.ok ? '' : r.error;
}

describe('checkPageMessage', () => {
  it('accepts the three shapes the page sends, as a fresh object', () => {
    assert.deepEqual(checkPageMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
    assert.deepEqual(checkPageMessage({ type: 'reveal', folder: '/w', relPath: 'work/a b/c.bin' }), {
      ok: true,
      value: { type: 'reveal', folder: '/w', relPath: 'work/a b/c.bin' },
    });
    for (const command of REPORT_COMMANDS)
      assert.deepEqual(checkPageMessage({ type: 'command', command }), {
        ok: true,
        value: { type: 'command', command },
      });
  });

  it('rejects what is not an object with a known type, inherited names included', () => {
    for (const m of [
      null,
      undefined,
      'ready',
      42,
      ['ready'],
      {},
      { type: 'Ready' },
      { type: 'data', data: {} },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 1 },
    ])
      rejected(m);
  });

  it('rejects fields the shape does not have', () => {
    assert.match(rejected({ type: 'ready', html: '<b>' }), /unexpected field "html"/);
    rejected({ type: 'command', command: 'workspaceUsage.refresh', args: ['x'] });
    rejected({ type: 'reveal', folder: '/w', relPath: 'a', uri: 'file:///etc' });
  });

  it('rejects non-string or empty folder and relPath', () => {
    rejected({ type: 'reveal', folder: 1, relPath: 'a' });
    rejected({ type: 'reveal', folder: '', relPath: 'a' });
    rejected({ type: 'reveal', folder: '/w', relPath: ['a'] });
    rejected({ type: 'reveal', folder: '/w' });
    rejected({ type: 'reveal', folder: '/w', relPath: '' });
  });

  it('rejects a relPath that climbs out or is absolute, with either separator', () => {
    for (const relPath of [
      '..',
      '../x',
      'a/../../b',
      'a/..',
      '..\\x',
      'a\\..\\b',
      '/etc/passwd',
      '\\\\server\\share',
      'C:\\Windows',
      'c:x',
      'a\0b',
    ]) {
      assert.match(rejected({ type: 'reveal', folder: '/w', relPath }), /relPath/, relPath);
    }
    // Dots inside names are names.
    assert.equal(checkPageMessage({ type: 'reveal', folder: '/w', relPath: '..a/b..' }).ok, true);
  });

  it('runs only the allow-listed commands', () => {
    for (const command of [
      'workbench.action.terminal.new',
      'vscode.open',
      'workspaceUsage.openSettings',
      '',
      7,
      null,
    ]) {
      assert.match(rejected({ type: 'command', command }), /command/);
    }
  });
});

describe('isToPageMessage', () => {
  it('is true only for a data message with report data', () => {
    assert.equal(isToPageMessage({ type: 'data', data: { generated_at: 'x', folders: [] } }), true);
    for (const m of [
      null,
      { type: 'data' },
      { type: 'data', data: null },
      { type: 'data', data: { folders: {}, generated_at: 'x' } },
      { type: 'ready' },
      'data',
    ]) {
      assert.equal(isToPageMessage(m), false, JSON.stringify(m));
    }
  });
});
