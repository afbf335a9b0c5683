// Safe clean-up from the Usage view: Move to Trash on a file or folder below a work or session
// area, Clean Up Work Area… (optionally only files older than N days), and Exclude from Usage /
// Include Again. What may be touched is decided in core (src/core/cleanup/); this file asks, and
// deletes through vscode.workspace.fs. Nothing is deleted without a confirmation naming what and
// how much; where the file system has no trash (code-server and other remotes: "Unable to delete
// file … via trash because provider does not support it"), nothing is deleted permanently
// without a second, modal question that says so, with Cancel as its default.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  planCleanup,
  stillPlanned,
  walkArea,
  checkTrashTarget,
  type AreaWalk,
  type CleanupPlan,
} from '../core/cleanup/cleanupPlan';
import { excludeGlobFor, withExclude, withoutExclude } from '../core/cleanup/excludeGlob';
import { trashableArea } from '../core/cleanup/protection';
import { formatSize } from '../core/format/size';
import { SETTINGS_SECTION } from '../core/config/settings';
import { Disposable } from './lifecycle';
import { AreaNode } from './usage/areaNode';
import { EntryNode } from './usage/entryNode';
import type { WorkspaceModel } from './workspaceModel';

const TRASH = 'Move to Trash';
const PERMANENT = 'Delete Permanently';
/** Age choices of Clean Up Work Area…, in days (undefined: every file). */
const AGES: Array<number | undefined> = [undefined, 1, 7, 30];

function sizeText(bytes: number): string {
  return `${formatSize(bytes)}, ${bytes.toLocaleString('en-US')} bytes`;
}

function filesText(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'file' : 'files'}`;
}

function ageText(days: number | undefined): string {
  return days === undefined ? '' : ` older than ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** The file system said it has no trash (the message is all the API gives). */
function isNoTrash(error: unknown): boolean {
  return /trash/i.test(error instanceof Error ? error.message : String(error));
}

type Outcome = 'deleted' | 'cancelled';

export class CleanupCommands extends Disposable {
  /** Learned once per session: this file system has no trash, so ask about permanent deletion up front. */
  private noTrash = false;

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.register(
      vscode.commands.registerCommand('workspaceUsage.moveToTrash', (node: unknown) => this.moveToTrash(node)),
    );
    this.register(vscode.commands.registerCommand('workspaceUsage.cleanUpArea', (node: unknown) => this.cleanUp(node)));
    this.register(
      vscode.commands.registerCommand('workspaceUsage.excludeFolder', (node: unknown) => this.exclude(node)),
    );
    this.register(
      vscode.commands.registerCommand('workspaceUsage.includeAgain', (node: unknown) => this.includeRow(node)),
    );
    this.register(vscode.commands.registerCommand('workspaceUsage.includeExcluded', () => this.includePick()));
  }

  /** Asks for confirmation; modal always when deleting permanently. True when the person agreed. */
  private async confirm(message: string, detail: string, modal: boolean): Promise<boolean> {
    const button = this.noTrash ? PERMANENT : TRASH;
    const text = this.noTrash ? `${message} This file system has no trash: this cannot be undone.` : message;
    const choice =
      modal || this.noTrash
        ? await vscode.window.showWarningMessage(text, { modal: true, detail }, button)
        : await vscode.window.showWarningMessage(`${text} ${detail.split('\n').join(', ')}`, button);
    return choice === button;
  }

  /**
   * Deletes one URI, to the trash unless this file system has none; the first time it turns
   * out to have none, asks (modal, default Cancel) before deleting `what` permanently.
   */
  private async delete(uri: vscode.Uri, recursive: boolean, what: string): Promise<Outcome> {
    if (!this.noTrash) {
      try {
        await vscode.workspace.fs.delete(uri, { recursive, useTrash: true });
        return 'deleted';
      } catch (error) {
        if (!isNoTrash(error)) throw error;
        this.noTrash = true;
        const choice = await vscode.window.showWarningMessage(
          'This file system has no trash. Delete permanently?',
          {
            modal: true,
            detail: `${what} would be deleted permanently: this cannot be undone.\n(${error instanceof Error ? error.message : String(error)})`,
          },
          PERMANENT,
        );
        if (choice !== PERMANENT) return 'cancelled';
      }
    }
    await vscode.workspace.fs.delete(uri, { recursive, useTrash: false });
    return 'deleted';
  }

  private rescan(folder: string, relPath: string): void {
    const monitor = this.model.monitorContaining(path.join(folder, relPath));
    if (monitor)
      void monitor.rescan(path.relative(monitor.folder, path.join(folder, relPath)).split(path.sep).join('/'));
  }

  private async moveToTrash(node: unknown): Promise<void> {
    if (!(node instanceof EntryNode)) return;
    const { folder } = node.snapshot;
    const areas = node.snapshot.usage?.areas ?? [];
    const target = await checkTrashTarget(folder, node.entry.relPath, areas);
    if (!target.ok) {
      void vscode.window.showErrorMessage(`Workspace Usage: not moved to the trash: ${target.reason}.`);
      return;
    }
    const amount =
      target.kind === 'directory' ? `${filesText(target.files)}, ${sizeText(target.bytes)}` : sizeText(target.bytes);
    const what = `'${target.relPath}' (${target.kind === 'link' ? 'a symbolic link; its target stays' : amount})`;
    const verb = this.noTrash ? 'Delete' : 'Move';
    if (
      !(await this.confirm(
        `${verb} ${what}${this.noTrash ? ' permanently?' : ' to the Trash?'}`,
        `${target.relPath}: ${amount}`,
        true,
      ))
    )
      return;
    try {
      const outcome = await this.delete(
        vscode.Uri.file(path.join(folder, target.relPath)),
        target.kind !== 'file',
        what,
      );
      if (outcome === 'cancelled') return;
      vscode.window.setStatusBarMessage(
        `${this.noTrash ? 'Deleted' : 'Moved to the Trash:'} ${target.relPath}, ${formatSize(target.bytes)}`,
        5000,
      );
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Workspace Usage: could not delete ${target.relPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.rescan(folder, trashableArea(target.relPath, areas)?.path ?? path.posix.dirname(target.relPath));
  }

  /** Lets the person pick an age, showing for each choice how many files and bytes would go. */
  private async pickPlan(walk: AreaWalk, label: string): Promise<CleanupPlan | undefined> {
    const now = Date.now();
    type Item = vscode.QuickPickItem & { days?: number; custom?: boolean };
    const items: Item[] = AGES.map((days) => {
      const plan = planCleanup(walk, days, now);
      return {
        label: days === undefined ? 'All files' : `Older than ${days} ${days === 1 ? 'day' : 'days'}`,
        description: `${filesText(plan.count)}, ${formatSize(plan.bytes)}`,
        days,
      };
    });
    items.push({ label: 'Older than N days…', description: 'by last modification', custom: true });
    const picked = await vscode.window.showQuickPick(items, {
      // A step of a destructive flow: a stray focus change (a toast, a view refresh) must not end it.
      ignoreFocusOut: true,
      title: `Clean Up ${label}: which files go?`,
      placeHolder: 'Files last modified before the chosen age; you confirm the count and size next',
    });
    if (!picked) return undefined;
    let days = picked.days;
    if (picked.custom) {
      const input = await vscode.window.showInputBox({
        title: `Clean Up ${label}`,
        prompt: 'Delete files last modified more than this many days ago',
        validateInput: (v) =>
          /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0 ? undefined : 'A number of days above 0, e.g. 14',
      });
      if (input === undefined) return undefined;
      days = Number(input.trim());
    }
    return planCleanup(walk, days, now);
  }

  private async cleanUp(node: unknown): Promise<void> {
    if (!(node instanceof AreaNode)) return;
    const { folder } = node.snapshot;
    const areas = node.snapshot.usage?.areas ?? [];
    const label = node.area.path;
    const walked = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Listing ${label}` },
      () => walkArea(folder, node.area, { areas, exclude: this.model.settingsFor(folder)?.exclude ?? [] }),
    );
    if (!walked.ok) {
      void vscode.window.showErrorMessage(`Workspace Usage: ${label} is not cleaned up: ${walked.reason}.`);
      return;
    }
    const plan = await this.pickPlan(walked.walk, label);
    if (!plan) return;
    const age = ageText(plan.olderThanDays);
    if (plan.count === 0) {
      void vscode.window.showInformationMessage(`Nothing to clean up: no files in ${label}${age}.`);
      return;
    }
    const amount = `${filesText(plan.count)} (${formatSize(plan.bytes)})`;
    const shown = plan.files.slice(0, 10).map((f) => `${f.relPath}${f.kind === 'link' ? ' (link)' : ''}`);
    if (plan.count > shown.length) shown.push(`…and ${(plan.count - shown.length).toLocaleString('en-US')} more`);
    const links = plan.links > 0 ? ` ${plan.links} of them are symbolic links: the links go, their targets stay.` : '';
    const verb = this.noTrash ? 'Delete' : 'Move';
    const message = `${verb} ${amount} in ${label}${age}${this.noTrash ? ' permanently?' : ' to the Trash?'}`;
    if (!(await this.confirm(message, `${shown.join('\n')}${links}`, plan.needsModal))) return;
    await this.execute(folder, walked.walk, plan, label, amount);
  }

  private async execute(
    folder: string,
    walk: AreaWalk,
    plan: CleanupPlan,
    label: string,
    amount: string,
  ): Promise<void> {
    const realRoot = realpathSync(folder);
    let deleted = 0;
    let freed = 0;
    const skipped: string[] = [];
    const emptied = new Set<string>();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Cleaning up ${label}`, cancellable: true },
      async (progress, token) => {
        for (const file of plan.files) {
          if (token.isCancellationRequested) break;
          const why = await stillPlanned(folder, file, realRoot);
          if (why) {
            skipped.push(why);
            continue;
          }
          try {
            const outcome = await this.delete(
              vscode.Uri.file(path.join(folder, file.relPath)),
              file.kind === 'link',
              `${amount} in ${label}`,
            );
            if (outcome === 'cancelled') break;
          } catch (error) {
            skipped.push(`${file.relPath}: ${error instanceof Error ? error.message : String(error)}`);
            continue;
          }
          deleted++;
          freed += file.bytes;
          for (
            let dir = path.posix.dirname(file.relPath);
            dir !== walk.area.path && dir !== '.';
            dir = path.posix.dirname(dir)
          )
            emptied.add(dir);
          progress.report({ message: `${filesText(deleted)}, ${formatSize(freed)}`, increment: 100 / plan.count });
        }
        // Folders that held deleted files and are empty now; a non-empty one refuses (no recursion).
        for (const dir of walk.dirs) {
          if (!emptied.has(dir)) continue;
          try {
            await vscode.workspace.fs.delete(vscode.Uri.file(path.join(folder, dir)), {
              recursive: false,
              useTrash: !this.noTrash,
            });
          } catch {
            // Not empty (kept or new files), or gone: it stays.
          }
        }
      },
    );
    this.rescan(folder, walk.area.path);
    const done = `${this.noTrash ? 'Deleted' : 'Moved to the Trash:'} ${filesText(deleted)} (${formatSize(freed)}) from ${label}.`;
    if (skipped.length === 0) void vscode.window.showInformationMessage(done);
    else
      void vscode.window.showWarningMessage(
        `${done} ${filesText(skipped.length)} kept: ${skipped.slice(0, 5).join('; ')}${skipped.length > 5 ? '; …' : ''}`,
      );
  }

  /** The workspace folder of a row and the row's folder-relative path. */
  private rowFolder(node: unknown): { folder: vscode.WorkspaceFolder; relPath: string } | undefined {
    const relPath =
      node instanceof AreaNode
        ? node.area.path
        : node instanceof EntryNode && node.entry.isDirectory
          ? node.entry.relPath
          : undefined;
    if (relPath === undefined) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(
      vscode.Uri.file(node instanceof AreaNode ? node.snapshot.folder : (node as EntryNode).snapshot.folder),
    );
    return folder && { folder, relPath };
  }

  /** The folder's effective excludes (its own, else the workspace's or the user's, as the monitors read them). */
  private excludesOf(folder: vscode.WorkspaceFolder): string[] {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).inspect<string[]>('exclude');
    return [...(inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue ?? [])];
  }

  private async writeExcludes(folder: vscode.WorkspaceFolder, excludes: string[]): Promise<void> {
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION, folder.uri)
      .update('exclude', excludes, vscode.ConfigurationTarget.WorkspaceFolder);
  }

  private async exclude(node: unknown): Promise<void> {
    const row = this.rowFolder(node);
    if (!row) return;
    const glob = excludeGlobFor(row.relPath);
    if (!glob.ok) {
      void vscode.window.showErrorMessage(`Workspace Usage: ${row.relPath} cannot be excluded: ${glob.reason}.`);
      return;
    }
    await this.writeExcludes(row.folder, withExclude(this.excludesOf(row.folder), glob.glob));
    const choice = await vscode.window.showInformationMessage(
      `${row.relPath} is left out of the usage counts (workspaceUsage.exclude: "${glob.glob}").`,
      'Undo',
    );
    if (choice === 'Undo') await this.writeExcludes(row.folder, withoutExclude(this.excludesOf(row.folder), glob.glob));
  }

  private async includeRow(node: unknown): Promise<void> {
    const row = this.rowFolder(node);
    const glob = row && excludeGlobFor(row.relPath);
    if (!row || !glob?.ok) return;
    await this.writeExcludes(row.folder, withoutExclude(this.excludesOf(row.folder), glob.glob));
  }

  private async includePick(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const items = folders.flatMap((folder) =>
      this.excludesOf(folder).map((glob) => ({
        label: glob,
        description: folders.length > 1 ? folder.name : undefined,
        folder,
      })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        'Workspace Usage: no folder is excluded (workspaceUsage.exclude is empty).',
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Include Excluded Folder Again',
      placeHolder: 'Counted and watched again from the next scan',
    });
    if (picked) await this.writeExcludes(picked.folder, withoutExclude(this.excludesOf(picked.folder), picked.label));
  }
}
