import { strict as assert } from 'node:assert';
import {
  DEFAULT_AREAS,
  defaultSettings,
  parseJsonc,
  settingIn,
  settingsFromJson,
} from '../../../src/core/config/settings';

describe('settings', () => {
  it('defaults reproduce the source documents', () => {
    const s = defaultSettings();
    assert.deepEqual(s.areas, DEFAULT_AREAS);
    assert.equal(s.folderQuota, 100 * 1024 ** 3);
    assert.equal(s.warningFraction, 0.8);
    assert.deepEqual(s.exclude, []);
  });

  it('reads flat and nested keys with human sizes', () => {
    const flat = settingsFromJson({
      'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: '2 MB', warningAt: 0.5 }],
      'workspaceUsage.folderQuota': '1 GB',
    });
    assert.deepEqual(flat.errors, []);
    assert.equal(flat.settings.areas[0].quota, 2 * 1024 ** 2);
    assert.equal(flat.settings.folderQuota, 1024 ** 3);
    const nested = settingsFromJson({ workspaceUsage: { watch: { maxEntries: 5 } } });
    assert.equal(nested.settings.watchMaxEntries, 5);
  });

  it("finds a dotted key in one level's section object, and nothing that level does not set", () => {
    const level = { watch: { maxEntries: 5 }, areas: [{ name: 'w', pattern: 'work' }], exclude: null };
    assert.equal(settingIn(level, 'watch.maxEntries'), 5);
    assert.deepEqual(settingIn(level, 'areas'), [{ name: 'w', pattern: 'work' }]);
    assert.equal(settingIn(level, 'exclude'), null, 'a null someone wrote is theirs (parseSettings skips it)');
    assert.equal(settingIn(level, 'folderQuota'), undefined);
    assert.equal(settingIn(level, 'watch.other'), undefined);
    assert.equal(settingIn(level, 'areas.length'), undefined, 'no stepping into arrays');
    assert.equal(settingIn({ watch: 3 }, 'watch.maxEntries'), undefined);
    assert.equal(settingIn(undefined, 'watch.maxEntries'), undefined, 'a level with nothing set');
    assert.equal(settingIn({}, 'constructor'), undefined, 'nothing inherited');
    assert.equal(settingIn({ watch: {} }, 'watch.toString'), undefined);
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
    assert.equal(
      settingsFromJson({ 'workspaceUsage.areas': [{ name: 'x', pattern: '../x', quota: 1 }] }).errors.length,
      1,
    );
    assert.equal(
      settingsFromJson({
        'workspaceUsage.areas': [
          { name: 'x', pattern: 'a', quota: 1 },
          { name: 'x', pattern: 'b', quota: 1 },
        ],
      }).errors.length,
      1,
    );
  });

  it('normalises area patterns and exclude globs once: ./work and work/ are work', () => {
    const { settings, errors } = settingsFromJson({
      'workspaceUsage.areas': [
        { name: 'a', pattern: './work', quota: 1 },
        { name: 'b', pattern: 'production/', quota: 1 },
        { name: 'c', pattern: './/sessions//*/./work/', quota: 1 },
      ],
      'workspaceUsage.exclude': ['./node_modules/', 'build//out'],
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      settings.areas.map((a) => a.pattern),
      ['work', 'production', 'sessions/*/work'],
    );
    assert.deepEqual(settings.exclude, ['node_modules', 'build/out']);
  });

  it('reports by name each pattern that can never match, for the CLI and the editor alike', () => {
    const cases: Array<[string, RegExp]> = [
      ['/srv/work', /absolute/],
      ['work/../..', /"\.\."/],
      ['./', /empty/],
      ['wo\0rk', /NUL/],
    ];
    for (const [pattern, why] of cases) {
      const area = settingsFromJson({
        'workspaceUsage.areas': [
          { name: 'w', pattern: 'work', quota: 1 },
          { name: 'x', pattern, quota: 1 },
        ],
      });
      assert.equal(area.errors.length, 1, pattern);
      assert.equal(area.errors[0].setting, 'workspaceUsage.areas');
      assert.ok(
        area.errors[0].problem.startsWith(
          `workspaceUsage.areas[1].pattern: ${JSON.stringify(pattern)} can never match: `,
        ),
        area.errors[0].problem,
      );
      assert.match(area.errors[0].problem, why);
      assert.deepEqual(area.settings.areas, DEFAULT_AREAS);
      const exclude = settingsFromJson({ 'workspaceUsage.exclude': ['node_modules', pattern] });
      assert.equal(exclude.errors.length, 1, pattern);
      assert.ok(
        exclude.errors[0].problem.startsWith(`workspaceUsage.exclude[1]: ${JSON.stringify(pattern)} can never match: `),
        exclude.errors[0].problem,
      );
      assert.deepEqual(exclude.settings.exclude, []);
    }
  });

  it('parses settings.json with comments and trailing commas, and reports syntax errors with a line', () => {
    assert.deepEqual(parseJsonc('{\n // c\n "a": "x,}", /* b */ "b": [1,],\n}'), { a: 'x,}', b: [1] });
    assert.throws(() => parseJsonc('{\n"a": \n}'), /line 3/);
  });

  it('accepts several warning steps, and refuses an empty or out-of-range list by name', () => {
    const ok = settingsFromJson({
      'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: 1, warningAt: [0.8, 0.9, 0.95] }],
    });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.settings.areas[0].warningAt, [0.8, 0.9, 0.95]);
    const empty = settingsFromJson({
      'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: 1, warningAt: [] }],
    });
    assert.match(empty.errors[0].problem, /^workspaceUsage\.areas\[0\]\.warningAt: /);
    const high = settingsFromJson({
      'workspaceUsage.areas': [{ name: 'w', pattern: 'work', quota: 1, warningAt: [0.8, 1.2] }],
    });
    assert.match(high.errors[0].problem, /^workspaceUsage\.areas\[0\]\.warningAt\[1\]: must be at most 1/);
  });

  it('validates the webhook URL and the token budget settings, defaults off', () => {
    const d = defaultSettings();
    assert.deepEqual([d.alertWebhook, d.residentTokenBudget, d.contextWindowTokens], ['', 0, 200_000]);
    const good = settingsFromJson({
      'workspaceUsage.alertWebhook': 'https://hooks.example/x',
      'workspaceUsage.residentTokenBudget': 100,
      'workspaceUsage.contextWindowTokens': 128_000,
    });
    assert.deepEqual(good.errors, []);
    assert.deepEqual(
      [good.settings.alertWebhook, good.settings.residentTokenBudget, good.settings.contextWindowTokens],
      ['https://hooks.example/x', 100, 128_000],
    );
    const bad = settingsFromJson({
      'workspaceUsage.alertWebhook': 'file:///etc/passwd',
      'workspaceUsage.residentTokenBudget': -1,
      'workspaceUsage.contextWindowTokens': 0,
    });
    assert.deepEqual(
      bad.errors.map((e) => e.setting),
      ['workspaceUsage.alertWebhook', 'workspaceUsage.residentTokenBudget', 'workspaceUsage.contextWindowTokens'],
    );
    assert.match(bad.errors[0].message, /must be an http:\/\/ or https:\/\/ URL/);
    assert.deepEqual(
      [bad.settings.alertWebhook, bad.settings.residentTokenBudget, bad.settings.contextWindowTokens],
      ['', 0, 200_000],
    );
  });
});
