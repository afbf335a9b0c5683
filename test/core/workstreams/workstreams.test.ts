import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { arawnUsage, mibFixed } from '../../../src/core/workstreams/arawnUsage';
import type { AreaFigure, Figures } from '../../../src/core/workstreams/figures';
import { decodeUrlSegment, detectLayout, isValidWorkstreamName } from '../../../src/core/workstreams/layout';
import { bearerMatches } from '../../../src/cli/serve/server';
import { isLoopback } from '../../../src/cli/serve/serveCommand';

const MIB = 1_048_576;

describe('workstream names and URL segments', () => {
  it("accepts arawn's names only", () => {
    for (const ok of ['a', 'my-blog', 'x_1', 'ABC', 'scratch', '0-9']) assert.ok(isValidWorkstreamName(ok), ok);
    for (const bad of ['', '-a', '.a', 'a b', 'a/b', 'a.b', 'café', '..', 'a\0'])
      assert.ok(!isValidWorkstreamName(bad), bad);
  });

  it('decodes once and refuses dots, slashes (also encoded), backslashes and NUL', () => {
    assert.equal(decodeUrlSegment('a%20b'), 'a b');
    assert.equal(decodeUrlSegment('%252F'), '%2F');
    for (const bad of ['..', '.', '%2e%2e', 'a%2Fb', 'a%5Cb', '%00', '%E0%A4%A'])
      assert.equal(decodeUrlSegment(bad), 'invalid', bad);
  });

  it('bearer tokens must match exactly', () => {
    assert.ok(bearerMatches('Bearer abcdefghijklmnop', 'abcdefghijklmnop'));
    assert.ok(!bearerMatches('Bearer abcdefghijklmnoq', 'abcdefghijklmnop'));
    assert.ok(!bearerMatches('abcdefghijklmnop', 'abcdefghijklmnop'));
    assert.ok(!bearerMatches(undefined, 'abcdefghijklmnop'));
    assert.ok(!bearerMatches('Bearer ', 'abcdefghijklmnop'));
  });

  it('only loopback hosts count as loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopback(h), h);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) assert.ok(!isLoopback(h), h);
  });
});

describe('detectLayout', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'wu-layout-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('FOLDER/workstreams with workstreams: arawn, rooted there', () => {
    mkdirSync(path.join(dir, 'workstreams', 'blog', 'production'), { recursive: true });
    assert.deepEqual(detectLayout(dir), { kind: 'arawn', root: path.join(dir, 'workstreams') });
  });

  it('FOLDER holding workstreams itself: arawn, rooted at FOLDER', () => {
    mkdirSync(path.join(dir, 'scratch', 'sessions', 's1', 'work'), { recursive: true });
    assert.deepEqual(detectLayout(dir), { kind: 'arawn', root: dir });
  });

  it('a FOLDER that is one workstream (even with a work/ inside production/) is single', () => {
    mkdirSync(path.join(dir, 'production', 'work'), { recursive: true });
    writeFileSync(path.join(dir, 'production', 'work', 'f'), 'x');
    assert.deepEqual(detectLayout(dir), { kind: 'single', root: dir, name: path.basename(dir) });
  });

  it('a plain folder is one workstream named after it', () => {
    mkdirSync(path.join(dir, 'src'));
    assert.deepEqual(detectLayout(dir), { kind: 'single', root: dir, name: path.basename(dir) });
  });
});

describe('arawn usage mapping', () => {
  const area = (over: Partial<AreaFigure>): AreaFigure => ({
    workstream: 'scratch',
    area: 'sessions',
    role: 'session',
    label: 'x',
    path: 'x',
    bytes: 0,
    allocatedBytes: 0,
    files: 0,
    quotaBytes: 100 * MIB,
    warningFraction: 0.8,
    level: 'ok',
    ...over,
  });
  const figures = (areas: AreaFigure[]): Figures => ({
    root: '/r',
    layout: 'arawn',
    totalBytes: 0,
    allocatedBytes: 0,
    files: 0,
    folderQuotaBytes: 1,
    folderLevel: 'ok',
    areas,
    workstreams: [...new Set(areas.map((a) => a.workstream))].sort(),
  });

  it("formats MiB as Rust's {:.2} and {:.0} do: ties to even", () => {
    assert.equal(mibFixed(MIB / 8, 2), '0.12'); // 0.125
    assert.equal(mibFixed((3 * MIB) / 8, 2), '0.38'); // 0.375
    assert.equal(mibFixed(1100 * MIB, 2), '1100.00');
    assert.equal(mibFixed(MIB / 2, 0), '0');
    assert.equal(mibFixed((3 * MIB) / 2, 0), '2');
    assert.equal(mibFixed((5 * MIB) / 2, 0), '2');
    assert.equal(mibFixed(1024 * MIB, 0), '1024');
    assert.equal(mibFixed(MIB + 1, 2), '1.00');
  });

  it('sessions largest first with ties by id; scratch work is their sum; total is production + work', () => {
    const f = figures([
      area({ sessionId: 'b', bytes: MIB }),
      area({ sessionId: 'c', bytes: 2 * MIB }),
      area({ sessionId: 'a', bytes: MIB }),
      area({ area: 'production', role: 'production', bytes: MIB / 4, quotaBytes: 1024 * MIB }),
    ]);
    assert.deepEqual(arawnUsage(f, 'scratch'), {
      production_mb: 0.25,
      work_mb: 4,
      sessions: [
        { id: 'c', mb: 2 },
        { id: 'a', mb: 1 },
        { id: 'b', mb: 1 },
      ],
      total_mb: 4.25,
    });
    assert.equal(arawnUsage(f, 'other'), undefined);
  });

  it('warns strictly over a limit: exactly at it is no "exceeds"', () => {
    const f = figures([
      area({ workstream: 'w', area: 'work', role: 'work', bytes: 500 * MIB, quotaBytes: 500 * MIB, level: 'warning' }),
      area({
        workstream: 'w',
        area: 'production',
        role: 'production',
        bytes: 1024 * MIB + 1,
        quotaBytes: 1024 * MIB,
        level: 'exceeded',
      }),
    ]);
    assert.deepEqual(arawnUsage(f, 'w')!.warnings, [
      'production directory exceeds 1024MB limit (1024.00MB)',
      'work directory approaching 500MB limit (500.00MB, 100%)',
    ]);
  });
});
