// A WatchSource over the editor's watcher plus watchers of our own on the areas it leaves out
// (files.watcherExclude): the plan is areaWatchPlan.ts; this runs it, and runs it again when
// folders appear (a new session's work/ folder), as the editor's watcher reports their creation.
// The watchers themselves are given (chokidar and the editor's non-recursive one in the editor,
// fakes in tests), so this has no `vscode` import.
import * as path from 'node:path';
import { planAreaWatches, unwatchedByEditor, type AreaFolder } from './areaWatchPlan';
import type { WatchHandlers, WatchSource, WatchTarget } from './watchSource';

export interface AreaWatchers {
  /** A watcher of the whole area (chokidar, folders only); `excluded`: paths not to report. */
  deep(absFolder: string, excluded: (absPath: string) => boolean): WatchSource;
  /** A watcher of the area's first level (the editor's non-recursive watcher). */
  shallow(absFolder: string): WatchSource;
  /** After the last creation in a burst, when to plan again (the size tree takes new folders in first). */
  replanDelaysMs?: number[];
}

const REPLAN_DELAYS_MS = [1000, 5000];

export function withAreaWatches(base: WatchSource, target: WatchTarget, watchers: AreaWatchers): WatchSource {
  const areas = target.areas;
  if (!areas || areas.watcherExclude.length === 0) return base;
  const running = new Map<string, { kind: 'deep' | 'shallow'; source: WatchSource }>();
  /** Areas whose deep watcher failed (e.g. ENOSPC): watched shallow from then on. */
  const failed = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  let handlers: WatchHandlers | undefined;
  let closed = false;
  let baseReady = false;
  let pendingDeep = new Set<string>();
  let toldReady = false;

  const abs = (rel: string) => path.join(target.folder, ...rel.split('/'));
  const tellReady = () => {
    // Ready once the editor's watcher and the first deep watchers are (their crawl is the gap
    // the monitor's reconcile-on-early-events covers).
    if (toldReady || !baseReady || pendingDeep.size > 0) return;
    toldReady = true;
    handlers!.onReady();
  };

  const plan = () => {
    const folders: AreaFolder[] = [];
    for (const rel of new Set(areas.paths())) {
      if (!unwatchedByEditor(rel, areas.watcherExclude) || areas.countExcluded(abs(rel))) continue;
      const entries = areas.entries(rel, areas.maxEntries);
      if (entries !== undefined) folders.push({ path: rel, entries: failed.has(rel) ? Infinity : entries });
    }
    return planAreaWatches(folders, areas.watcherExclude, areas.maxEntries);
  };

  const startOne = (rel: string, kind: 'deep' | 'shallow') => {
    const folder = abs(rel);
    const source = kind === 'deep' ? watchers.deep(folder, areas.countExcluded) : watchers.shallow(folder);
    running.set(rel, { kind, source });
    if (kind === 'deep' && !toldReady) pendingDeep.add(rel);
    source.start({
      onEvent: (event, file) => {
        if (running.get(rel)?.source === source && !areas.countExcluded(file)) handlers!.onEvent(event, file);
      },
      onReady: () => {
        pendingDeep.delete(rel);
        tellReady();
      },
      onError: (error) => {
        // One area's watcher failing must not stop the folder's: this area goes shallow (and
        // the error is told without its code, so the folder does not turn to periodic rescans).
        if (running.get(rel)?.source !== source) return;
        const message = error instanceof Error ? error.message : String(error);
        handlers!.onError(new Error(`watcher of ${rel} (under files.watcherExclude): ${message}`));
        if (kind === 'deep') {
          failed.add(rel);
          pendingDeep.delete(rel);
          replan();
          tellReady();
        }
      },
    });
  };

  const replan = () => {
    if (closed) return;
    const next = plan();
    const want = new Map<string, 'deep' | 'shallow'>([
      ...next.deep.map((p) => [p, 'deep'] as const),
      ...next.shallow.map((p) => [p, 'shallow'] as const),
    ]);
    for (const [rel, { kind, source }] of running)
      if (want.get(rel) !== kind) {
        running.delete(rel);
        pendingDeep.delete(rel);
        void source.close();
      }
    for (const [rel, kind] of want) if (!running.has(rel)) startOne(rel, kind);
  };

  const scheduleReplan = () => {
    for (const t of timers.splice(0)) clearTimeout(t);
    for (const ms of watchers.replanDelaysMs ?? REPLAN_DELAYS_MS) timers.push(setTimeout(replan, ms));
  };

  return {
    start(h: WatchHandlers): void {
      handlers = h;
      base.start({
        onEvent: (event, file) => {
          if (event === 'add' || event === 'addDir') scheduleReplan();
          h.onEvent(event, file);
        },
        onReady: () => {
          baseReady = true;
          tellReady();
        },
        onError: (error) => h.onError(error),
      });
      replan();
    },
    areasChanged: () => replan(),
    async close(): Promise<void> {
      closed = true;
      for (const t of timers.splice(0)) clearTimeout(t);
      const sources = [...running.values()].map((r) => r.source);
      running.clear();
      pendingDeep = new Set();
      await Promise.all([base.close(), ...sources.map((s) => s.close())]);
    },
  };
}
