import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultSettings, settingsFromJson, type Settings } from '../../../src/core/config/settings';
import { computeUsage } from '../../../src/core/disk/areas';
import { GitIgnored } from '../../../src/core/disk/gitIgnored';
import { scanSync } from '../../../src/core/disk/scanner';
import { usageToWire } from '../../../src/core/report/usageWire';

let root: string;

function write(files: Record<string, number | string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, typeof content === 'number' ? Buffer.alloc(content, 0x61) : content);
  }
}

function settings(extra: Partial<Settings> = {}): Settings {
  return {
    ...defaultSettings(),
    areas: [
      { name: 'work', pattern: 'work', quota: 1000 },
      { name: 'sessions', pattern: 'sessions/*/work', quota: 1000 },
    ],
    folderQuota: 100_000,
    ...extra,
  };
}

describe('computeUsage with .gitignore exclusions', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'wu-areas-gi-'));
    write({
      '.gitignore': 'cache/\n*.log\n',
      'work/cache/a': 600,
      'work/cache/b': 300,
      'work/keep': 50,
      'work/run.log': 7,
      'sessions/s1/work/cache/c': 40,
      'sessions/s1/work/x': 5,
      'top.log': 11,
      readme: 3,
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes the ignored bytes off each area and shows them as one excluded figure', () => {
    const tree = scanSync(root).tree;
    const plain = computeUsage(tree, settings(), root);
    const gi = new GitIgnored(root, () => undefined);
    const r = computeUsage(tree, settings(), root, gi.lookup(tree));
    const work = r.areas.find((a) => a.name === 'work')!;
    assert.equal(work.bytes, 50);
    assert.equal(work.files, 1);
    assert.deepEqual({ bytes: work.excluded!.bytes, files: work.excluded!.files }, { bytes: 600 + 300 + 7, files: 3 });
    const s1 = r.areas.find((a) => a.sessionId === 's1')!;
    assert.equal(s1.bytes, 5);
    assert.equal(s1.excluded!.bytes, 40);
    // Totals stay honest: counted + excluded is what was measured, for every area and the folder.
    for (const a of r.areas) {
      const before = plain.areas.find((p) => p.name === a.name)!;
      assert.equal(a.bytes + a.excluded!.bytes, before.bytes);
      assert.equal(a.files + a.excluded!.files, before.files);
      assert.equal(a.allocatedBytes + a.excluded!.allocatedBytes, before.allocatedBytes);
    }
    assert.equal(r.totalBytes + r.excluded!.bytes, plain.totalBytes);
    assert.equal(r.files + r.excluded!.files, plain.files);
    assert.equal(r.allocatedBytes + r.excluded!.allocatedBytes, plain.allocatedBytes);
    assert.equal(r.excluded!.bytes, 600 + 300 + 7 + 40 + 11);
    // "other" loses only what is ignored outside the areas (top.log).
    assert.equal(r.other.bytes, plain.other.bytes - 11);
    assert.equal(r.other.files, plain.other.files - 1);
  });

  it('levels and percents count what is not ignored', () => {
    const tree = scanSync(root).tree;
    const plain = computeUsage(tree, settings(), root);
    assert.equal(plain.areas[0].level, 'warning'); // 957 of 1000
    const r = computeUsage(tree, settings(), root, new GitIgnored(root, () => undefined).lookup(tree));
    assert.equal(r.areas[0].level, 'ok');
    assert.equal(r.areas[0].percent, 5);
    assert.deepEqual(r.warnings, []);
  });

  it('an area ignored as a whole counts nothing and excludes all of it', () => {
    write({ '.gitignore': 'work/\n' });
    const tree = scanSync(root).tree;
    const r = computeUsage(tree, settings(), root, new GitIgnored(root, () => undefined).lookup(tree));
    const work = r.areas.find((a) => a.name === 'work')!;
    assert.equal(work.bytes, 0);
    assert.equal(work.files, 0);
    assert.equal(work.excluded!.bytes, 957);
  });

  it('without the setting the report and its JSON have no excluded key at all', () => {
    const tree = scanSync(root).tree;
    const r = computeUsage(tree, settings(), root);
    assert.equal('excluded' in r, false);
    assert.ok(r.areas.every((a) => !('excluded' in a)));
    const json = JSON.stringify(usageToWire(r));
    assert.equal(json.includes('excluded'), false);
    const on = usageToWire(computeUsage(tree, settings(), root, new GitIgnored(root, () => undefined).lookup(tree)));
    assert.deepEqual(on.areas[0].excluded, {
      bytes: 907,
      allocated_bytes: on.areas[0].excluded!.allocated_bytes,
      files: 3,
    });
    assert.equal(on.excluded!.bytes, 958);
  });

  it('workspaceUsage.useGitIgnore is off by default and read from settings.json', () => {
    assert.equal(defaultSettings().useGitIgnore, false);
    assert.equal(settingsFromJson({ 'workspaceUsage.useGitIgnore': true }).settings.useGitIgnore, true);
    const bad = settingsFromJson({ 'workspaceUsage.useGitIgnore': 'yes' });
    assert.equal(bad.settings.useGitIgnore, false);
    assert.match(bad.errors[0].problem, /workspaceUsage\.useGitIgnore/);
  });
});
