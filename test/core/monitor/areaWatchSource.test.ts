// The composite source: the editor's watcher plus watchers of our own on the areas under
// files.watcherExclude, started, replaced and closed as the plan says (fake sources, no editor).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { withAreaWatches } from '../../../src/core/monitor/areaWatchSource';
import type { WatchEvent, WatchHandlers, WatchSource, WatchTarget } from '../../../src/core/monitor/watchSource';

const ROOT = path.join(path.sep, 'ws');

class Fake implements WatchSource {
  handlers: WatchHandlers | undefined;
  closed = false;
  constructor(readonly label: string) {}
  start(handlers: WatchHandlers): void {
    this.handlers = handlers;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup(paths: string[], entries: Record<string, number>, maxEntries = 1000) {
  const base = new Fake('editor');
  const made: Fake[] = [];
  const target: WatchTarget = {
    folder: ROOT,
    logPath: path.join(ROOT, '.yoi', 'usage.jsonl'),
    excluded: () => false,
    usePolling: false,
    areas: {
      watcherExclude: ['**/work/**'],
      countExcluded: (abs) => abs.endsWith(`${path.sep}tmp`),
      paths: () => paths,
      entries: (rel) => entries[rel],
      maxEntries,
    },
  };
  const source = withAreaWatches(base, target, {
    deep: (folder) => (made.push(new Fake(`deep ${path.relative(ROOT, folder)}`)), made.at(-1)!),
    shallow: (folder) => (made.push(new Fake(`shallow ${path.relative(ROOT, folder)}`)), made.at(-1)!),
    replanDelaysMs: [1],
  });
  const events: Array<[WatchEvent, string]> = [];
  const errors: unknown[] = [];
  let ready = 0;
  source.start({ onEvent: (e, f) => events.push([e, f]), onReady: () => ready++, onError: (e) => errors.push(e) });
  const live = () =>
    made
      .filter((f) => !f.closed)
      .map((f) => f.label)
      .sort();
  return { base, made, source, events, errors, ready: () => ready, live };
}

describe('withAreaWatches', () => {
  it('watches an area under files.watcherExclude itself and forwards its events', () => {
    const t = setup(['production', 'work'], { production: 5, work: 10 });
    assert.deepEqual(t.live(), ['deep work']);
    const work = t.made[0];
    work.handlers!.onEvent('change', path.join(ROOT, 'work', 'a.bin'));
    work.handlers!.onEvent('add', path.join(ROOT, 'work', 'tmp'));
    assert.deepEqual(t.events, [['change', path.join(ROOT, 'work', 'a.bin')]], 'excluded from counts: not told');
  });

  it('plans the areas when told they are known (started before the first scan found any)', () => {
    const paths: string[] = [];
    const t = setup(paths, { work: 10 });
    assert.deepEqual(t.live(), [], 'no area known yet');
    paths.push('work');
    t.source.areasChanged!();
    assert.deepEqual(t.live(), ['deep work']);
  });

  it('is ready when the editor watcher and the first area watchers are', () => {
    const t = setup(['work'], { work: 10 });
    t.base.handlers!.onReady();
    assert.equal(t.ready(), 0, 'the area crawl is still running');
    t.made[0].handlers!.onReady();
    assert.equal(t.ready(), 1);
  });

  it('watches an area past watch.maxEntries only at its first level', () => {
    const t = setup(['work', 'sessions/a/work'], { work: 5000, 'sessions/a/work': 10 }, 100);
    assert.deepEqual(t.live(), ['deep sessions/a/work', 'shallow work']);
  });

  it('plans again when folders appear: a new session gets its watcher', async () => {
    const paths = ['work'];
    const t = setup(paths, { work: 10, 'sessions/b/work': 3 });
    paths.push('sessions/b/work');
    t.base.handlers!.onEvent('add', path.join(ROOT, 'sessions', 'b'));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.live(), ['deep sessions/b/work', 'deep work']);
    await t.source.close();
    assert.deepEqual(t.live(), []);
    assert.ok(t.base.closed);
  });

  it('moves an area whose own watcher failed (ENOSPC) to the shallow watcher, the folder stays watched', () => {
    const t = setup(['work'], { work: 10 });
    t.made[0].handlers!.onError(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    // Told without its code: FolderWatch turns the whole folder periodic on ENOSPC.
    assert.equal(t.errors.length, 1);
    assert.equal((t.errors[0] as NodeJS.ErrnoException).code, undefined);
    assert.deepEqual(t.live(), ['shallow work']);
    assert.ok(!t.base.closed);
  });

  it('is the editor watcher alone without files.watcherExclude', () => {
    const base = new Fake('editor');
    const target: WatchTarget = { folder: ROOT, logPath: '', excluded: () => false, usePolling: false };
    assert.equal(withAreaWatches(base, target, { deep: () => new Fake('x'), shallow: () => new Fake('y') }), base);
  });
});
