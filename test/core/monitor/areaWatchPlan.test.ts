// Which areas need a watcher of our own given files.watcherExclude, and how deep each is watched
// within workspaceUsage.watch.maxEntries.
import { strict as assert } from 'node:assert';
import { countEntries, planAreaWatches, unwatchedByEditor } from '../../../src/core/monitor/areaWatchPlan';

describe('unwatchedByEditor', () => {
  it('is true for an area whose contents a glob leaves out entirely, at any depth', () => {
    for (const area of ['work', 'sessions/s1/work', 'ws/work'])
      assert.ok(unwatchedByEditor(area, ['**/work/**']), area);
    assert.ok(unwatchedByEditor('work', ['work']));
    assert.ok(unwatchedByEditor('work', ['work/*']));
    assert.ok(unwatchedByEditor('sessions/s1/work', ['sessions/**']), 'a folder above the area');
    assert.ok(unwatchedByEditor('production', ['**']));
  });

  it('is false for areas the editor watches, or only partly leaves out', () => {
    assert.ok(!unwatchedByEditor('work', []));
    assert.ok(!unwatchedByEditor('production', ['**/work/**']));
    assert.ok(!unwatchedByEditor('work', ['**/work/*.tmp']), 'only some files');
    assert.ok(!unwatchedByEditor('work', ['**/work/?']), 'only one-character names');
    // VS Code's defaults leave out parts of .git and node_modules, never an area.
    const defaults = ['**/.git/objects/**', '**/.git/subtree-cache/**', '**/node_modules/*/**', '**/.hg/store/**'];
    for (const area of ['work', 'production', 'sessions/a/work']) assert.ok(!unwatchedByEditor(area, defaults), area);
    assert.ok(!unwatchedByEditor('workers', ['**/work/**']));
  });
});

describe('planAreaWatches', () => {
  const areas = [
    { path: 'production', entries: 10 },
    { path: 'work', entries: 300 },
    { path: 'sessions/a/work', entries: 40 },
    { path: 'sessions/b/work', entries: 50 },
  ];

  it('watches nothing of ours when no area lies under files.watcherExclude', () => {
    assert.deepEqual(planAreaWatches(areas, ['**/node_modules/*/**'], 50_000), { deep: [], shallow: [] });
  });

  it('watches the excluded areas in depth within the budget, the smallest first, the rest shallow', () => {
    assert.deepEqual(planAreaWatches(areas, ['**/work/**'], 50_000), {
      deep: ['sessions/a/work', 'sessions/b/work', 'work'],
      shallow: [],
    });
    assert.deepEqual(planAreaWatches(areas, ['**/work/**'], 100), {
      deep: ['sessions/a/work', 'sessions/b/work'],
      shallow: ['work'],
    });
    assert.deepEqual(planAreaWatches(areas, ['**/work/**'], 0), {
      deep: [],
      shallow: ['sessions/a/work', 'sessions/b/work', 'work'],
    });
  });

  it('leaves out areas excluded from the counts, and areas inside another planned one', () => {
    const nested = [...areas, { path: 'work/inner', entries: 5 }];
    assert.deepEqual(
      planAreaWatches(nested, ['**/work/**', 'production'], 50_000, (p) => p.startsWith('sessions/')),
      { deep: ['production', 'work'], shallow: [] },
    );
  });
});

describe('countEntries', () => {
  // A tree of folders: w has 3 files in w/x and w/y/z.
  const dirs: Record<string, string[]> = { w: ['x', 'y'], 'w/x': [], 'w/y': ['z'], 'w/y/z': [] };
  let walked = 0;
  const tree = {
    get: (rel: string) => (rel in dirs ? { files: rel === 'w' ? 3 : 1, isDirectory: true } : undefined),
    subdirectories: (rel: string) => {
      walked++;
      return dirs[rel] ?? [];
    },
  };

  it('counts files and folders inside an area, and nothing for a missing one', () => {
    assert.equal(countEntries(tree, 'w', 100), 3 + 3);
    assert.equal(countEntries(tree, 'missing', 100), undefined);
  });

  it('stops walking once past the limit', () => {
    walked = 0;
    assert.ok(countEntries(tree, 'w', 2)! > 2);
    assert.equal(walked, 0, 'three files are already past a limit of 2');
    walked = 0;
    countEntries(tree, 'w', 4);
    assert.equal(walked, 1);
  });
});
