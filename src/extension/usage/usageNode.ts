// The Usage view's nodes: each kind knows its children and its parent (so reveal works) and
// renders itself; the view holds no instanceof chain and does no arithmetic.
import * as vscode from 'vscode';
import type { Settings } from '../../core/config/settings';
import { formatCount } from '../../core/format/numbers';
import type { FolderSnapshot } from '../../core/monitor/folderSnapshot';

/** What nodes need to build their children. */
export interface UsageContext {
  settingsFor(folder: string): Settings | undefined;
  forecastFor(folder: string, area: string): string | undefined;
  /** Notifications muted for this folder or area label (it still shows its level). */
  isMuted(folder: string, label: string): boolean;
  /** For an arawn data dir: the folder-relative path of its workstreams ('' or 'workstreams'). */
  workstreamsRootOf(folder: string): string | undefined;
}

export abstract class UsageNode extends vscode.TreeItem {
  constructor(label: string, state: vscode.TreeItemCollapsibleState, readonly parent: UsageNode | undefined) {
    super(label, state);
  }

  children(_context: UsageContext): UsageNode[] {
    return [];
  }
}


export function exactBytes(bytes: number): string {
  return `${formatCount(bytes)} bytes`;
}

export const MUTED_NOTE = 'Notifications muted for this workspace (Warn Again from the context menu).';

/** How many largest entries to list under a node of this folder. */
export function largestCount(context: UsageContext, snapshot: FolderSnapshot): number {
  return context.settingsFor(snapshot.folder)?.largestEntries ?? 10;
}
