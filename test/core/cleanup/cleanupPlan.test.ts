// Clean-up selection: age, production never, symlinks never followed out of the folder, modal past 100.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  checkTrashTarget,
  MODAL_CONFIRM_ABOVE,
  planCleanup,
  stillPlanned,
  walkArea,
  type AreaWalk,
} from '../../../src/core/cleanup/cleanupPlan';
import type { AreaRef } from '../../../src/core/cleanup/protection';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 26, 12);

const work: AreaRef = { areaName: 'work', pattern: 'work', path: 'work' };
const production: AreaRef = { areaName: 'production', pattern: 'production', path: 'production' };
const session: AreaRef = { areaName: 'sessions', pattern: 'sessions/*/work', path: 'sessions/s1/work' };
const areas = [production, work, session];

describe('cleanup plan', () => {
  let root: string;
  let folder: string;
  let outside: string;

  function write(rel: string, bytes: number, ageDays: number): void {
    const file = join(folder, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(bytes, 0x61));
    const at = new Date(NOW - ageDays * DAY);
    utimesSync(file, at, at);
  }

  async function walk(area: AreaRef, exclude: string[] = []): Promise<AreaWalk> {
    const result = await walkArea(folder, area, { areas, exclude });
    assert.ok(result.ok, result.ok ? '' : result.reason);
    return result.walk;
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wu-cleanup-'));
    folder = join(root, 'ws');
    outside = join(root, 'outside');
    mkdirSync(folder);
    mkdirSync(outside);
    writeFileSync(join(outside, 'precious.bin'), Buffer.alloc(5000));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('selects the files older than 7 days and keeps the newer ones', async () => {
    write('work/old.csv', 100, 10);
    write('work/deep/older.bin', 200, 30);
    write('work/new.csv', 400, 1);
    write('work/deep/edge.bin', 800, 6.9);
    const plan = planCleanup(await walk(work), 7, NOW);
    assert.deepEqual(
      plan.files.map((f) => f.relPath),
      ['work/deep/older.bin', 'work/old.csv'],
    );
    assert.equal(plan.count, 2);
    assert.equal(plan.bytes, 300);
    const all = planCleanup(await walk(work), undefined, NOW);
    assert.equal(all.count, 4);
    assert.equal(all.bytes, 1500);
  });

  it('never selects anything of production: the area is refused, nested production paths are skipped', async () => {
    write('production/model.bin', 1000, 400);
    write('work/production/keep.bin', 50, 400);
    write('work/tmp.bin', 10, 400);
    const refused = await walkArea(folder, production, { areas });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.reason, /protected/);
    // A second production-named area nested inside work is protected by its name too.
    const nested: AreaRef = { areaName: 'production-copy', pattern: 'production*', path: 'work/production' };
    const result = await walkArea(folder, work, { areas: [...areas, nested] });
    assert.ok(result.ok);
    assert.deepEqual(
      planCleanup(result.walk, 7, NOW).files.map((f) => f.relPath),
      ['work/tmp.bin'],
    );
  });

  it('does not follow a symlink to a folder outside: the link is listed as a link of its own size', async () => {
    write('work/a.txt', 10, 20);
    symlinkSync(outside, join(folder, 'work', 'escape'));
    const plan = planCleanup(await walk(work), undefined, Date.now() + 365 * DAY);
    assert.deepEqual(
      plan.files.map((f) => [f.relPath, f.kind]),
      [
        ['work/a.txt', 'file'],
        ['work/escape', 'link'],
      ],
    );
    assert.ok(!plan.files.some((f) => f.relPath.includes('precious')), 'nothing behind the link is listed');
    assert.ok(plan.files[1].bytes < 5000, 'the link counts its own size, not its target');
    assert.equal(plan.links, 1);
  });

  it('refuses an area whose own path is a symlink (to outside or to production)', async () => {
    symlinkSync(outside, join(folder, 'work'));
    const out = await walkArea(folder, work, { areas });
    assert.equal(out.ok, false);
    assert.match(out.ok ? '' : out.reason, /outside the folder/);
    rmSync(join(folder, 'work'));
    write('production/model.bin', 1000, 400);
    symlinkSync(join(folder, 'production'), join(folder, 'work'));
    const prod = await walkArea(folder, work, { areas });
    assert.equal(prod.ok, false);
    assert.match(prod.ok ? '' : prod.reason, /symlink/);
  });

  it('leaves excluded paths alone', async () => {
    write('work/node_modules/x.js', 10, 20);
    write('work/y.js', 10, 20);
    const plan = planCleanup(await walk(work, ['**/node_modules']), 7, NOW);
    assert.deepEqual(
      plan.files.map((f) => f.relPath),
      ['work/y.js'],
    );
  });

  it(`asks for a modal confirmation past ${MODAL_CONFIRM_ABOVE} files, not at ${MODAL_CONFIRM_ABOVE}`, async () => {
    for (let i = 0; i < MODAL_CONFIRM_ABOVE; i++) write(`sessions/s1/work/f${i}`, 1, 10);
    assert.equal(planCleanup(await walk(session), 7, NOW).needsModal, false);
    write('sessions/s1/work/one-more', 1, 10);
    const plan = planCleanup(await walk(session), 7, NOW);
    assert.equal(plan.count, MODAL_CONFIRM_ABOVE + 1);
    assert.equal(plan.needsModal, true);
  });

  it('skips a planned file that changed or whose folder became a symlink before deletion', async () => {
    write('work/d/a.bin', 10, 20);
    write('work/d/b.bin', 10, 20);
    const plan = planCleanup(await walk(work), 7, NOW);
    const realRoot = (await import('node:fs')).realpathSync(folder);
    assert.equal(await stillPlanned(folder, plan.files[0], realRoot), undefined);
    writeFileSync(join(folder, 'work/d/b.bin'), 'changed');
    assert.match((await stillPlanned(folder, plan.files[1], realRoot)) ?? '', /changed|replaced/);
    rmSync(join(folder, 'work/d'), { recursive: true });
    mkdirSync(join(outside, 'd'));
    writeFileSync(join(outside, 'd', 'a.bin'), 'x');
    symlinkSync(join(outside, 'd'), join(folder, 'work/d'));
    assert.ok(await stillPlanned(folder, plan.files[0], realRoot), 'a path through a new symlink is refused');
  });

  it('checks a Move to Trash target: only inside an unprotected area, links as links', async () => {
    write('work/d/a.bin', 10, 1);
    write('work/d/b.bin', 20, 1);
    write('production/p.bin', 10, 1);
    write('README.md', 10, 1);
    symlinkSync(outside, join(folder, 'work', 'escape'));
    const dir = await checkTrashTarget(folder, 'work/d', areas);
    assert.deepEqual(dir.ok && [dir.kind, dir.files, dir.bytes], ['directory', 2, 30]);
    const link = await checkTrashTarget(folder, 'work/escape', areas);
    assert.equal(link.ok && link.kind, 'link');
    assert.equal((await checkTrashTarget(folder, 'production/p.bin', areas)).ok, false);
    assert.equal((await checkTrashTarget(folder, 'README.md', areas)).ok, false);
    assert.equal((await checkTrashTarget(folder, 'work', areas)).ok, false);
    assert.equal((await checkTrashTarget(folder, 'work/escape/precious.bin', areas)).ok, false);
  });
});
