// The Usage view's nodes: each kind knows its children and its parent (so reveal works) and
// renders itself; the view holds no instanceof chain and does no arithmetic.
import * as vscode from 'vscode';
import { formatSize } from '../../core/format/size';
import type { Settings } from '../../core/config/settings';
import type { ByType } from '../../core/disk/byType';
import { formatCount } from '../../core/format/numbers';
import type { FolderSnapshot, LargestEntry } from '../../core/monitor/folderSnapshot';

/** What nodes need to build their children. */
export interface UsageContext {
  settingsFor(folder: string): Settings | undefined;
  forecastFor(folder: string, area: string): string | undefined;
  /** Notifications muted for this folder or area label (it still shows its level). */
  isMuted(folder: string, label: string): boolean;
  /** For an arawn data dir: the folder-relative path of its workstreams ('' or 'workstreams'). */
  workstreamsRootOf(folder: string): string | undefined;
  /** A folder's change in bytes since the baseline; undefined when there is no baseline yet. */
  changeOf?(folder: string, relPath: string, bytesNow: number): number | undefined;
  /** Sort by Growth: the changed subfolders, most growth first (undefined: list the largest). */
  growthEntries?(snapshot: FolderSnapshot, relPath: string): LargestEntry[] | undefined;
  /** Group by Type: an area's bytes and files by file type (undefined: the toggle is off). */
  typesOf?(snapshot: FolderSnapshot, relPath: string, bytes: number, files: number): Promise<ByType> | undefined;
}

export abstract class UsageNode extends vscode.TreeItem {
  constructor(
    label: string,
    state: vscode.TreeItemCollapsibleState,
    readonly parent: UsageNode | undefined,
  ) {
    super(label, state);
  }

  children(_context: UsageContext): UsageNode[] | Promise<UsageNode[]> {
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

/** " (+340 MB)" / " (−12 MB)" after a folder's size when it changed since the baseline, else ''. */
export function changeText(context: UsageContext, folder: string, relPath: string, bytes: number): string {
  const delta = context.changeOf?.(folder, relPath, bytes);
  return delta ? ` (${delta > 0 ? '+' : '\u2212'}${formatSize(Math.abs(delta))})` : '';
}

/** The entries listed under a folder: the changed ones when sorting by growth, else the largest. */
export function entriesUnder(context: UsageContext, snapshot: FolderSnapshot, relPath: string): LargestEntry[] {
  return context.growthEntries?.(snapshot, relPath) ?? snapshot.largest(relPath, largestCount(context, snapshot));
}
