// Folder monitors for tests: the options the extension would pass (reconcile off, no log, no
// user warnings), a watch source driven by hand, and a wait for what the monitor does on its own.
import { defaultSettings, type Settings } from '../../src/core/config/settings';
import {
  FolderMonitor,
  type FolderMonitorOptions,
  type WatchHandlers,
  type WatchTarget,
} from '../../src/core/monitor/folderMonitor';
import { scanWorkerPath } from './scanWorker';

/** Resolves once `predicate` holds; rejects naming `what` after `timeoutMs` (a generous bound, not a timing check). */
export async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The default settings with periodic reconciles off (a test drives every rescan), plus `overrides`. */
export function monitorSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), reconcileIntervalMinutes: 0, ...overrides };
}

/** Options for a trusted monitor of `folder` named "ws" with the bundled scan worker; `extra` wins. */
function monitorOptions(folder: string, extra: Partial<FolderMonitorOptions> = {}): FolderMonitorOptions {
  return {
    folder,
    name: 'ws',
    settings: monitorSettings(),
    workerPath: scanWorkerPath(),
    trusted: true,
    watcherExclude: [],
    log: () => undefined,
    warnUser: () => undefined,
    onChange: () => undefined,
    // No catch-up rescans unless a test asks for them: they would race its own.
    catchUps: { afterMs: [], maxEntries: 0 },
    ...extra,
  };
}

/** A monitor of `folder` (not started) with monitorOptions(folder, extra). */
export function monitorOf(folder: string, extra: Partial<FolderMonitorOptions> = {}): FolderMonitor {
  return new FolderMonitor(monitorOptions(folder, extra));
}

/** A watch source a test drives by hand: it keeps the handlers and the targets it was made for, and counts closes. */
export interface HandDrivenSource {
  factory: NonNullable<FolderMonitorOptions['watchSource']>;
  /** The monitor's handlers once it started the source. */
  handlers: WatchHandlers | undefined;
  targets: WatchTarget[];
  closed: number;
}

export function handDrivenSource(): HandDrivenSource {
  const source: HandDrivenSource = {
    factory: (target) => {
      source.targets.push(target);
      return {
        start: (h) => {
          source.handlers = h;
        },
        close: async () => {
          source.closed++;
        },
      };
    },
    handlers: undefined,
    targets: [],
    closed: 0,
  };
  return source;
}
