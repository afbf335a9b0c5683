// Which rows offer Move to Trash, Clean Up and Exclude; the exclude glob of a folder.
import { strict as assert } from 'node:assert';
import { excludeGlobFor, withExclude, withoutExclude } from '../../../src/core/cleanup/excludeGlob';
import { areaActionWords, entryActionWords, isProtectedArea, type AreaRef } from '../../../src/core/cleanup/protection';
import { matchesAnyGlob } from '../../../src/core/paths/glob';

const work: AreaRef = { areaName: 'work', pattern: 'work', path: 'work' };
const production: AreaRef = { areaName: 'production', pattern: 'production', path: 'production' };
const prodEu: AreaRef = { areaName: 'eu', pattern: 'production-eu/*', path: 'production-eu/a' };
const session: AreaRef = { areaName: 'sessions', pattern: 'sessions/*/work', path: 'sessions/s1/work' };
const areas = [production, prodEu, work, session];

describe('clean-up protection', () => {
  it('protects areas named production or whose pattern starts with production', () => {
    assert.equal(isProtectedArea(production), true);
    assert.equal(isProtectedArea({ areaName: 'Production', pattern: 'data' }), true);
    assert.equal(isProtectedArea(prodEu), true);
    assert.equal(isProtectedArea(work), false);
    assert.equal(isProtectedArea(session), false);
  });

  it('offers Move to Trash below work and session areas only', () => {
    assert.deepEqual(entryActionWords('work/a.csv', false, areas), ['trashable']);
    assert.deepEqual(entryActionWords('sessions/s1/work/x', true, areas), ['trashable', 'excludable']);
    assert.deepEqual(entryActionWords('production/model.bin', false, areas), []);
    assert.deepEqual(entryActionWords('production-eu/a/x', false, areas), []);
    assert.deepEqual(entryActionWords('README.md', false, areas), [], 'not under an area');
    assert.deepEqual(entryActionWords('work2/x', false, areas), [], 'work2 is not work');
    assert.deepEqual(entryActionWords('sessions', true, areas), ['excludable'], 'contains areas but is in none');
  });

  it('never offers Move to Trash on a folder holding a production area', () => {
    const nested: AreaRef = { areaName: 'production', pattern: 'work/prod', path: 'work/prod' };
    assert.deepEqual(entryActionWords('work/prod', true, [...areas, nested]), ['excludable']);
    assert.deepEqual(entryActionWords('work/prod/x.bin', false, [...areas, nested]), []);
    // work itself can still be cleaned up: the walk skips the protected area inside it.
    assert.deepEqual(areaActionWords(work, [], [...areas, nested]), ['cleanable', 'excludable']);
    assert.deepEqual(areaActionWords(nested, [], [...areas, nested]), ['excludable']);
  });

  it('offers Clean Up on unprotected areas and Exclude or Include Again by the current excludes', () => {
    assert.deepEqual(areaActionWords(work, [], areas), ['cleanable', 'excludable']);
    assert.deepEqual(areaActionWords(work, ['work/**'], areas), ['cleanable', 'excluded']);
    assert.deepEqual(areaActionWords(production, [], areas), ['excludable']);
    assert.deepEqual(areaActionWords(session, ['sessions/s1/work'], areas), ['cleanable', 'excluded']);
  });
});

describe('exclude glob of a folder', () => {
  it('anchors a top-level folder so a same-named folder deeper stays counted', () => {
    const glob = excludeGlobFor('work');
    assert.deepEqual(glob, { ok: true, glob: 'work/**' });
    assert.equal(matchesAnyGlob('work/a.csv', ['work/**']), true);
    assert.equal(matchesAnyGlob('sessions/s1/work/a.csv', ['work/**']), false);
  });

  it('writes a deeper folder as its path, and refuses names with wildcards or the folder itself', () => {
    assert.deepEqual(excludeGlobFor('sessions/s1/work'), { ok: true, glob: 'sessions/s1/work' });
    assert.equal(matchesAnyGlob('sessions/s1/work/x', ['sessions/s1/work']), true);
    assert.equal(matchesAnyGlob('sessions/s2/work/x', ['sessions/s1/work']), false);
    assert.equal(excludeGlobFor('work/a*b').ok, false);
    assert.equal(excludeGlobFor('').ok, false);
  });

  it('adds once and removes', () => {
    assert.deepEqual(withExclude(['a'], 'b/**'), ['a', 'b/**']);
    assert.deepEqual(withExclude(['a', 'b/**'], 'b/**'), ['a', 'b/**']);
    assert.deepEqual(withoutExclude(['a', 'b/**'], 'b/**'), ['a']);
  });
});

describe('protection in an arawn data dir', () => {
  it("protects every workstream's production, whatever the area is named", () => {
    assert.equal(isProtectedArea({ areaName: 'prod', pattern: 'workstreams/*/production' }), true);
    assert.equal(isProtectedArea({ areaName: 'work', pattern: 'workstreams/*/work' }), false);
  });
});
