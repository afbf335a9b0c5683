import { strict as assert } from 'node:assert';
import {
  globProblem,
  globSteps,
  matchesAnyGlob,
  matchesGlob,
  matchSegment,
  normaliseGlob,
  resetGlobSteps,
} from '../../../src/core/paths/glob';
import { rng } from '../../support/rng';

/** The RegExp translation the matcher replaced: the reference for inputs it handled (no line terminators, short names). */
function oldRegExp(glob: string): RegExp {
  let g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Steps taken by `f`, from the matcher's own counter (never a clock). */
function stepsOf(f: () => void): number {
  resetGlobSteps();
  f();
  return globSteps();
}

describe('glob matcher', () => {
  const table: Array<[string, string, boolean]> = [
    // A glob without a slash matches a name at any depth, and covers what is inside it.
    ['node_modules', 'node_modules', true],
    ['node_modules', 'a/b/node_modules', true],
    ['node_modules', 'a/node_modules/x/y.js', true],
    ['node_modules', 'a/node_modules2', false],
    ['*.log', 'x/y/z.log', true],
    ['*.log', 'z.log/inner', true],
    ['*.log', 'z.logs', false],
    // With a slash the glob is anchored at the folder.
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', true],
    ['a/b', 'x/a/b', false],
    ['a/b', 'a/bc', false],
    ['sessions/*/work', 'sessions/s1/work', true],
    ['sessions/*/work', 'sessions/s1/work/f.txt', true],
    ['sessions/*/work', 'sessions/s1/x/work', false],
    ['sessions/*/work', 'sessions/work', false],
    // `*` and `?` stop at `/`; `**` is any depth, zero folders included.
    ['a/*', 'a', false],
    ['a/*', 'a/b/c', true],
    ['a/?', 'a/b', true],
    ['a/?', 'a/bc', false],
    ['a*c', 'ab/c', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b/z', true],
    ['a/**/b', 'a/x/y/c', false],
    ['**/b', 'b', true],
    ['**/b', 'x/y/b', true],
    // A trailing `**` matches what is inside the folder, not the folder.
    ['a/**', 'a', false],
    ['a/**', 'a/x', true],
    ['**/.git/objects/**', 'r/.git/objects/ab/cd', true],
    ['**/.git/objects/**', 'r/.git/objects', false],
    ['**/node_modules/*/**', 'node_modules/p', false],
    ['**/node_modules/*/**', 'node_modules/p/index.js', true],
    ['**', 'anything/at/all', true],
    // Only `*` and `?` are special.
    ['[ab].txt', '[ab].txt', true],
    ['[ab].txt', 'a.txt', false],
    ['{a,b}', 'a', false],
    ['a+b', 'a+b', true],
    ['a.b', 'axb', false],
    // `./` and trailing slashes are dropped, repeated slashes collapse.
    ['./work', 'work/f', true],
    ['work/', 'x/work', true],
    ['a//b', 'a/b', true],
    // Patterns that can never match, match nothing.
    ['/abs', 'abs', false],
    ['../x', 'x', false],
    ['a/../b', 'b', false],
  ];
  for (const [glob, path, expected] of table) {
    it(`${JSON.stringify(glob)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(path)}`, () => {
      assert.equal(matchesGlob(path, glob), expected);
    });
  }

  it('`*`, `?` and `**` take line terminators like any other character', () => {
    for (const t of ['\n', '\r', '\u2028', '\u2029']) {
      assert.equal(matchesGlob(`sessions/a${t}b/work`, 'sessions/*/work'), true, JSON.stringify(t));
      assert.equal(matchesGlob(`sessions/${t}/work`, 'sessions/?/work'), true, JSON.stringify(t));
      // The RegExp's `(?:.*/)?` and `(?:/.*)?` stopped at a line terminator: these escaped the exclude.
      assert.equal(matchesGlob(`a${t}b/node_modules`, 'node_modules'), true, JSON.stringify(t));
      assert.equal(matchesGlob(`node_modules/x${t}y/z`, 'node_modules'), true, JSON.stringify(t));
      assert.equal(matchesGlob(`a${t}b/c.log`, '**/*.log'), true, JSON.stringify(t));
    }
  });

  it('agrees with the RegExp it replaced on 10,000 random globs and paths', () => {
    const rand = rng(1212);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const name = (chars: string) => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick([...chars])).join('');
    for (let i = 0; i < 10_000; i++) {
      const path = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => name('ab.')).filter(
        (s) => s !== '.' && s !== '..',
      );
      if (path.length === 0) continue;
      // "." segments are dropped now (the RegExp took them literally); paths never hold one.
      const segments = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
        rand() < 0.2 ? '**' : name('ab.*?').replace(/\*+/g, '*'),
      ).filter((s) => s !== '.' && s !== '..');
      if (segments.length === 0) continue;
      const glob = segments.join('/') + (rand() < 0.1 ? '/' : '');
      const rel = path.join('/');
      assert.equal(
        matchesGlob(rel, glob),
        oldRegExp(glob).test(rel),
        `${JSON.stringify(glob)} against ${JSON.stringify(rel)}`,
      );
    }
  });

  it('matches the worst cases of a backtracking RegExp in linear steps', () => {
    const long = 'a'.repeat(200);
    const cases: Array<[string, string]> = [
      ['*a*a*a*a*a*b', long],
      ['*a*a*a*a*a*b', `x/${long}/${long}/y`],
      ['**/*a*a*a*a*a*b/**', Array(50).fill(long).join('/')],
      ['*?*?*?*?*?*?b', long],
      [`*${'a'.repeat(20)}b`, long],
      ['a/**/a/**/a/**/a/**/b', Array(200).fill('a').join('/')],
      ['**/**/**/**/**/b', Array(200).fill('a').join('/')],
    ];
    for (const [glob, path] of cases) {
      let result = true;
      const steps = stepsOf(() => (result = matchesGlob(path, glob)));
      assert.equal(result, false, glob);
      // Path length x pattern length, doubled: the RegExp took minutes on the first one.
      const bound = 2 * (path.length + 1) * (glob.length + 1);
      assert.ok(steps <= bound, `${glob}: ${steps} steps, more than ${bound}`);
    }
  });

  it('matchSegment takes a name with any character but `/` and stays linear', () => {
    assert.equal(matchSegment('a\u2028b', 'a?b'), true);
    assert.equal(matchSegment('ab', 'a?b'), false);
    assert.equal(matchSegment('', '*'), true);
    assert.equal(matchSegment('abc', 'a*'), true);
    assert.equal(matchSegment('abc', '*c*'), true);
    assert.equal(matchSegment('abc', '*d*'), false);
    const steps = stepsOf(() => assert.equal(matchSegment('a'.repeat(200), '*a*a*a*a*a*b'), false));
    assert.ok(steps <= 2 * 201 * 13, `${steps} steps`);
  });

  it('matchesAnyGlob is true when one glob matches', () => {
    assert.equal(matchesAnyGlob('a/x.log', ['node_modules', '*.log']), true);
    assert.equal(matchesAnyGlob('a/x.txt', ['node_modules', '*.log']), false);
    assert.equal(matchesAnyGlob('a/x.txt', []), false);
  });
});

describe('glob normalisation and problems', () => {
  it('drops "./", "." segments, repeated and trailing slashes', () => {
    assert.equal(normaliseGlob('./work'), 'work');
    assert.equal(normaliseGlob('work/'), 'work');
    assert.equal(normaliseGlob('.//sessions//*/./work//'), 'sessions/*/work');
    assert.equal(normaliseGlob('a/***/b***c'), 'a/**/b*c');
  });

  it('names the globs that can never match', () => {
    assert.match(globProblem('/work') ?? '', /absolute/);
    assert.match(globProblem('C:\\work') ?? '', /absolute/);
    assert.match(globProblem('../work') ?? '', /"\.\."/);
    assert.match(globProblem('a/./../b') ?? '', /"\.\."/);
    assert.match(globProblem('./') ?? '', /empty/);
    assert.match(globProblem('.') ?? '', /empty/);
    assert.match(globProblem('wo\0rk') ?? '', /NUL/);
    for (const ok of ['work', './work', 'work/', 'sessions/*/work', '**', '..x', 'x..'])
      assert.equal(globProblem(ok), undefined, ok);
  });
});
