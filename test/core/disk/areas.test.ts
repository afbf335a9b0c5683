import { strict as assert } from 'node:assert';
import { type AreaSetting, defaultSettings, settingsFromJson, type Settings } from '../../../src/core/config/settings';
import { computeUsage, levelOf } from '../../../src/core/disk/areas';
import { SizeTree } from '../../../src/core/disk/sizeTree';
import { globSteps, resetGlobSteps } from '../../../src/core/paths/glob';

let ino = 1;
/** A tree of regular files: relative path -> bytes. */
function treeOf(files: Record<string, number>): SizeTree {
  const tree = new SizeTree('/folder');
  for (const [rel, size] of Object.entries(files))
    tree.applyAdd(rel, { size, blocks: Math.ceil(size / 512), ino: ino++, dev: 1, nlink: 1 });
  return tree;
}

function settingsWith(areas: AreaSetting[], extra: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), areas, ...extra };
}

describe('levelOf', () => {
  it('is warning from exactly the fraction up to exactly the quota, exceeded one byte over', () => {
    assert.equal(levelOf(799, 1000, 0.8), 'ok');
    assert.equal(levelOf(800, 1000, 0.8), 'warning');
    assert.equal(levelOf(1000, 1000, 0.8), 'warning');
    assert.equal(levelOf(1001, 1000, 0.8), 'exceeded');
    assert.equal(levelOf(0, 1000, 0.8), 'ok');
    assert.equal(levelOf(1000, 1000, 1), 'warning');
    assert.equal(levelOf(999, 1000, 1), 'ok');
  });

  it('keeps a quota of 0 as before: 0 bytes is a warning, one byte is exceeded', () => {
    assert.equal(levelOf(0, 0, 0.8), 'warning');
    assert.equal(levelOf(1, 0, 0.8), 'exceeded');
  });

  it('turns to warning at exactly k% of every quota, never a byte late or early (integer reference)', () => {
    // 25 * 0.28 is 7.000000000000001 in floating point: 7 bytes must still be a warning.
    assert.equal(levelOf(7, 25, 0.28), 'warning');
    for (let quota = 1; quota <= 200; quota++) {
      for (let k = 1; k <= 100; k++) {
        for (let bytes = 0; bytes <= quota + 1; bytes++) {
          const expected = bytes > quota ? 'exceeded' : bytes * 100 >= quota * k ? 'warning' : 'ok';
          if (levelOf(bytes, quota, k / 100) !== expected)
            assert.fail(
              `levelOf(${bytes}, ${quota}, ${k / 100}) is ${levelOf(bytes, quota, k / 100)}, not ${expected}`,
            );
        }
      }
    }
  });
});

describe('computeUsage', () => {
  it("uses an area's warningAt instead of the default fraction", () => {
    const tree = treeOf({ 'work/f': 500, 'production/f': 500 });
    const usage = computeUsage(
      tree,
      settingsWith(
        [
          { name: 'work', pattern: 'work', quota: 1000, warningAt: 0.5 },
          { name: 'production', pattern: 'production', quota: 1000 },
        ],
        { warningFraction: 0.8 },
      ),
      '/folder',
    );
    const work = usage.areas.find((a) => a.name === 'work')!;
    const production = usage.areas.find((a) => a.name === 'production')!;
    assert.equal(work.warningFraction, 0.5);
    assert.equal(work.level, 'warning');
    assert.equal(production.warningFraction, 0.8);
    assert.equal(production.level, 'ok');
    assert.equal(usage.warnings.length, 1);
    assert.match(usage.warnings[0], /^work is at 50% of its /);
  });

  it('gives the folder its level from the folder quota and the default fraction', () => {
    const tree = treeOf({ 'work/f': 600, 'x/f': 200 });
    const at = (folderQuota: number) =>
      computeUsage(tree, settingsWith([], { folderQuota, warningFraction: 0.8 }), '/folder');
    assert.equal(at(1001).folderLevel, 'ok');
    assert.equal(at(1000).folderLevel, 'warning');
    assert.equal(at(800).folderLevel, 'warning');
    const over = at(799);
    assert.equal(over.folderLevel, 'exceeded');
    assert.ok(
      over.warnings.some((w) => w.startsWith('the folder exceeds its')),
      over.warnings.join('; '),
    );
  });

  it('counts session folders named with a line break or U+2028 in their session, over quota', () => {
    const names = ['a\nb', 'c\u2028d', 'e\rf', 'g\u2029h'];
    const files: Record<string, number> = { 'loose.txt': 10 };
    for (const n of names) files[`sessions/${n}/work/data.bin`] = 150;
    const usage = computeUsage(
      treeOf(files),
      settingsWith([{ name: 'sessions', pattern: 'sessions/*/work', quota: 100 }]),
      '/folder',
    );
    assert.deepEqual(
      usage.areas.filter((a) => a.sessionId !== undefined).map((a) => a.sessionId),
      [...names].sort(),
    );
    for (const n of names) {
      const area = usage.areas.find((a) => a.sessionId === n);
      assert.ok(area, JSON.stringify(n));
      assert.equal(area.bytes, 150);
      assert.equal(area.level, 'exceeded');
    }
    assert.equal(usage.other.bytes, 10);
    assert.equal(usage.warnings.length, names.length);
  });

  it('enforces the quota of an area written ./work or work/ in settings.json', () => {
    const tree = treeOf({ 'work/f': 2000, 'sessions/s1/work/f': 5 });
    for (const pattern of ['./work', 'work/', './/work//']) {
      const { settings, errors } = settingsFromJson({
        'workspaceUsage.areas': [
          { name: 'work', pattern, quota: 1000 },
          { name: 's', pattern: './sessions/*/work/', quota: 1000 },
        ],
      });
      assert.deepEqual(errors, []);
      const usage = computeUsage(tree, settings, '/folder');
      const work = usage.areas.find((a) => a.name === 'work')!;
      assert.equal(work.bytes, 2000, pattern);
      assert.equal(work.level, 'exceeded', pattern);
      assert.equal(usage.areas.find((a) => a.name === 's/s1')?.bytes, 5, pattern);
      assert.equal(usage.other.bytes, 0, pattern);
    }
  });

  it('expands a hostile area pattern next to a 200-character folder name in linear steps', () => {
    const long = 'a'.repeat(200);
    const tree = treeOf({ [`${long}/f`]: 1, [`${long}b/f`]: 2 });
    resetGlobSteps();
    const usage = computeUsage(tree, settingsWith([{ name: 'x', pattern: '*a*a*a*a*a*b', quota: 10 }]), '/folder');
    assert.ok(globSteps() <= 2 * 2 * 202 * 13, `${globSteps()} steps`);
    assert.deepEqual(
      usage.areas.map((a) => [a.path, a.bytes]),
      [[`${long}b`, 2]],
    );
  });

  it('matches `?` against one character of a folder name, line terminators included', () => {
    const tree = treeOf({ 'v1/f': 1, 'v\n/f': 2, 'v12/f': 4 });
    const usage = computeUsage(tree, settingsWith([{ name: 'v', pattern: 'v?', quota: 10 }]), '/folder');
    assert.deepEqual(usage.areas.map((a) => a.path).sort(), ['v1', 'v\n'].sort());
  });
});

describe('warning steps', () => {
  it('keeps warningFraction as the first step and gives the index of the highest step crossed', () => {
    const at = (bytes: number) =>
      computeUsage(
        treeOf({ 'work/f': bytes }),
        settingsWith([{ name: 'work', pattern: 'work', quota: 1000, warningAt: [0.95, 0.8, 0.9] }]),
        '/folder',
      ).areas[0];
    const cases: Array<[number, string, number]> = [
      [799, 'ok', -1],
      [800, 'warning', 0],
      [899, 'warning', 0],
      [900, 'warning', 1],
      [950, 'warning', 2],
      [1000, 'warning', 2],
      [1001, 'exceeded', 2],
    ];
    for (const [bytes, level, step] of cases) {
      const area = at(bytes);
      assert.deepEqual([area.level, area.step], [level, step], `${bytes} bytes`);
      assert.equal(area.warningFraction, 0.8);
      assert.deepEqual(area.warningSteps, [0.8, 0.9, 0.95]);
    }
  });

  it('gives a single fraction one step, as before', () => {
    const area = computeUsage(
      treeOf({ 'work/f': 600 }),
      settingsWith([{ name: 'work', pattern: 'work', quota: 1000, warningAt: 0.5 }]),
      '/folder',
    ).areas[0];
    assert.deepEqual([area.warningSteps, area.step, area.level], [[0.5], 0, 'warning']);
  });
});
