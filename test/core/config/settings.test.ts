import { strict as assert } from 'node:assert';
import { DEFAULT_AREAS, defaultSettings, parseJsonc, settingsFromJson } from '../../../src/core/config/settings';

describe('settings', () => {
  it('defaults reproduce the source documents', () => {
    const s = defaultSettings();
    assert.deepEqual(s.areas, DEFAULT_AREAS);
    assert.equal(s.folderQuota, 100 * 1024 ** 3);
    assert.equal(s.warningFraction, 0.8);
    assert.deepEqual(s.exclude, []);
  });

  it('reads flat and nested keys with human sizes', () => {
    const flat = settingsFromJson({ 'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: '2 MB', warningAt: 0.5 }], 'workspaceUsage.folderQuota': '1 GB' });
    assert.deepEqual(flat.errors, []);
    assert.equal(flat.settings.areas[0].quota, 2 * 1024 ** 2);
    assert.equal(flat.settings.folderQuota, 1024 ** 3);
    const nested = settingsFromJson({ workspaceUsage: { watch: { maxEntries: 5 } } });
    assert.equal(nested.settings.watchMaxEntries, 5);
  });

  it('names each invalid setting and keeps the default for it only', () => {
    const { settings, errors } = settingsFromJson({
      'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: 'lots' }],
      'workspaceUsage.warningFraction': 1.5,
      'workspaceUsage.largestEntries': 3,
    });
    assert.equal(errors.length, 2);
    assert.match(errors[0].message, /^workspaceUsage\.areas\[0\]\.quota: expected a size/);
    assert.match(errors[1].message, /^workspaceUsage\.warningFraction: /);
    assert.deepEqual(settings.areas, DEFAULT_AREAS);
    assert.equal(settings.warningFraction, 0.8);
    assert.equal(settings.largestEntries, 3);
  });

  it('refuses area patterns that leave the folder and duplicate names', () => {
    assert.equal(settingsFromJson({ 'workspaceUsage.areas': [{ name: 'x', pattern: '../x', quota: 1 }] }).errors.length, 1);
    assert.equal(settingsFromJson({ 'workspaceUsage.areas': [{ name: 'x', pattern: 'a', quota: 1 }, { name: 'x', pattern: 'b', quota: 1 }] }).errors.length, 1);
  });

  it('parses settings.json with comments and trailing commas, and reports syntax errors with a line', () => {
    assert.deepEqual(parseJsonc('{\n // c\n "a": "x,}", /* b */ "b": [1,],\n}'), { a: 'x,}', b: [1] });
    assert.throws(() => parseJsonc('{\n"a": \n}'), /line 3/);
  });
});
