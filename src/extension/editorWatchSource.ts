// File events for a workspace folder from the editor's own watcher. VS Code already watches every
// workspace folder recursively in its file-watcher process; a RelativePattern watcher inside an
// opened folder is served by that watcher at no crawl or memory cost to the extension host, so a
// folder of a million files is as live as one of a hundred (measured: README, "Watching").
// Paths under files.watcherExclude get no events from it: areas lying there get watchers of our
// own (areaWatchSource.ts: chokidar within watch.maxEntries, else the editor's non-recursive
// watcher, which files.watcherExclude does not apply to); the rest is left to the reconcile.
// The usage log, when it lies outside the folder, gets a watcher of its own (one file).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WatchHandlers, WatchSource, WatchTarget } from '../core/monitor/watchSource';
import { isInside } from '../core/log/resolveLogPath';
import { withAreaWatches } from '../core/monitor/areaWatchSource';
import { chokidarFolderSource } from '../core/monitor/chokidarWatchSource';

export function editorWatchSource(target: WatchTarget): WatchSource {
  return withAreaWatches(folderWatchSource(target), target, {
    deep: (folder, excluded) => chokidarFolderSource(folder, excluded, target.usePolling),
    shallow: shallowWatchSource,
  });
}

/** The area folder's own entries, through a non-recursive editor watcher (no watcherExclude). */
function shallowWatchSource(folder: string): WatchSource {
  const disposables: vscode.Disposable[] = [];
  return {
    start(handlers: WatchHandlers): void {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(folder), '*'),
      );
      const forward = (event: 'add' | 'change' | 'unlink') => (uri: vscode.Uri) => handlers.onEvent(event, uri.fsPath);
      disposables.push(
        watcher,
        watcher.onDidCreate(forward('add')),
        watcher.onDidChange(forward('change')),
        watcher.onDidDelete(forward('unlink')),
      );
      queueMicrotask(() => handlers.onReady());
    },
    async close(): Promise<void> {
      for (const d of disposables.splice(0)) d.dispose();
    },
  };
}

function folderWatchSource(target: WatchTarget): WatchSource {
  const disposables: vscode.Disposable[] = [];
  return {
    start(handlers: WatchHandlers): void {
      const watch = (pattern: vscode.RelativePattern) => {
        const watcher = vscode.workspace.createFileSystemWatcher(pattern);
        const forward = (event: 'add' | 'change' | 'unlink') => (uri: vscode.Uri) => {
          const file = uri.fsPath;
          if (file !== target.logPath && target.excluded(file)) return;
          handlers.onEvent(event, file);
        };
        disposables.push(
          watcher,
          watcher.onDidCreate(forward('add')),
          watcher.onDidChange(forward('change')),
          watcher.onDidDelete(forward('unlink')),
        );
      };
      try {
        watch(new vscode.RelativePattern(vscode.Uri.file(target.folder), '**/*'));
        if (!isInside(target.folder, target.logPath))
          watch(
            new vscode.RelativePattern(vscode.Uri.file(path.dirname(target.logPath)), path.basename(target.logPath)),
          );
      } catch (error) {
        handlers.onError(error);
        return;
      }
      // Events flow once the editor's workspace watcher is up, which it does not signal (it starts
      // when the window is restored): the monitor's catch-up rescans cover that gap.
      queueMicrotask(() => handlers.onReady());
    },
    async close(): Promise<void> {
      for (const d of disposables.splice(0)) d.dispose();
    },
  };
}
