// Clean Up Work Area: which files of an area go, decided before anything is deleted, so the
// person sees the count and the bytes first and confirms (modal past 100 files).
//
// The walk lstat()s every entry and never follows a symlink: a link is listed as a link (its own
// size, its own mtime) and deleted as a link, never its target. The area's own path must not go
// through a symlink at all (its real path must be its path inside the folder's real path): a
// `work` that links to `/data` or to `production/` is refused, since cleaning it would delete
// files that are not the area's. Excluded paths (workspaceUsage.exclude) are left alone: what
// goes is what the Usage view counts. Protected areas (protection.ts) are refused outright.
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { matchesAnyGlob } from '../paths/glob';
import { checkInside, isPathWithin } from '../paths/inside';
import { insideProtected, isProtectedArea, touchesProtected, trashableArea, type AreaRef } from './protection';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Past this many files the confirmation is modal (as the workstream system's clean-up asks). */
export const MODAL_CONFIRM_ABOVE = 100;

export interface AreaFile {
  /** Folder-relative path, `/`-separated. */
  relPath: string;
  /** 'link': a symlink, counted and deleted as the link itself. */
  kind: 'file' | 'link';
  bytes: number;
  mtimeMs: number;
  /** Identity at planning time, to skip a file replaced before its deletion. */
  dev: number;
  ino: number;
}

export interface AreaWalk {
  area: AreaRef;
  files: AreaFile[];
  /** Folder-relative paths of the folders below the area, deepest first (to drop emptied ones). */
  dirs: string[];
  /** Paths that could not be read, with why. */
  skipped: Array<{ path: string; reason: string }>;
}

export type WalkResult = { ok: true; walk: AreaWalk } | { ok: false; reason: string };

export interface CleanupPlan {
  files: AreaFile[];
  count: number;
  bytes: number;
  links: number;
  /** More than MODAL_CONFIRM_ABOVE files: confirm with a modal dialog. */
  needsModal: boolean;
  olderThanDays?: number;
}

export interface WalkOptions {
  /** Exclude globs of the folder (workspaceUsage.exclude): those paths are not touched. */
  exclude?: readonly string[];
  /** Every area of the folder, so nested protected areas are skipped. */
  areas?: readonly AreaRef[];
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** Whether the area may be cleaned at all; the reason when not. */
function refuseArea(folder: string, area: AreaRef, areas: readonly AreaRef[] = []): string | undefined {
  if (isProtectedArea(area))
    return `${area.path || area.areaName} is a protected area (production): it is never cleaned up`;
  if (area.path === '' || area.path.split('/').includes('..'))
    return `${area.areaName} is not a folder inside ${folder}`;
  if (insideProtected(area.path, areas)) return `${area.path} lies in a protected area (production)`;
  const inside = checkInside(folder, area.path);
  if (!inside.inside) return inside.missing ? `${area.path} does not exist` : inside.reason;
  const lexical = path.join(inside.realRoot, area.path);
  if (inside.realPath !== lexical)
    return `${area.path} goes through a symlink (it resolves to ${inside.realPath}): only a real folder is cleaned up`;
  return undefined;
}

/** Lists every file and link below an area, without following links. */
export async function walkArea(folder: string, area: AreaRef, options: WalkOptions = {}): Promise<WalkResult> {
  const refused = refuseArea(folder, area, options.areas);
  if (refused) return { ok: false, reason: refused };
  const exclude = options.exclude ?? [];
  const areas = options.areas ?? [];
  const walk: AreaWalk = { area, files: [], dirs: [], skipped: [] };
  const stack = [area.path];
  const dirs: string[] = [];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(path.join(folder, rel));
    } catch (error) {
      walk.skipped.push({ path: rel, reason: code(error) });
      continue;
    }
    const stats = await Promise.all(
      names.map(async (name) => {
        const childRel = `${rel}/${name}`;
        if (matchesAnyGlob(childRel, exclude) || insideProtected(childRel, areas)) return undefined;
        try {
          return { childRel, st: await lstat(path.join(folder, childRel)) };
        } catch (error) {
          if (code(error) !== 'ENOENT') walk.skipped.push({ path: childRel, reason: code(error) });
          return undefined;
        }
      }),
    );
    for (const entry of stats) {
      if (!entry) continue;
      const { childRel, st } = entry;
      if (st.isDirectory()) {
        dirs.push(childRel);
        stack.push(childRel);
      } else if (st.isFile() || st.isSymbolicLink()) {
        walk.files.push({
          relPath: childRel,
          kind: st.isFile() ? 'file' : 'link',
          bytes: st.size,
          mtimeMs: st.mtimeMs,
          dev: st.dev,
          ino: st.ino,
        });
      } // sockets, fifos, devices: not ours to delete
    }
  }
  walk.dirs = dirs.sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  walk.files.sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
  return { ok: true, walk };
}

/** The files of a walk to delete: all of them, or those last modified more than N days before `now`. */
export function planCleanup(walk: AreaWalk, olderThanDays: number | undefined, now: number): CleanupPlan {
  const cutoff = olderThanDays === undefined ? Infinity : now - olderThanDays * DAY_MS;
  const files = walk.files.filter(
    (f) => isPathWithin(`/${walk.area.path}`, `/${f.relPath}`) && f.relPath !== walk.area.path && f.mtimeMs < cutoff,
  );
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  return {
    files,
    count: files.length,
    bytes,
    links: files.filter((f) => f.kind === 'link').length,
    needsModal: files.length > MODAL_CONFIRM_ABOVE,
    olderThanDays,
  };
}

/**
 * Right before deleting one planned file: is it still the same entry (same inode, not modified
 * since the plan), and does its parent folder still resolve to where it was (no folder on the
 * way was swapped for a symlink)? Undefined when it may go, else why not.
 */
export async function stillPlanned(folder: string, file: AreaFile, realRoot: string): Promise<string | undefined> {
  const abs = path.join(folder, file.relPath);
  let st;
  try {
    st = await lstat(abs);
  } catch (error) {
    return `${file.relPath}: ${code(error)}`;
  }
  if (st.ino !== file.ino || st.dev !== file.dev) return `${file.relPath} was replaced since the plan`;
  if (st.mtimeMs !== file.mtimeMs) return `${file.relPath} changed since the plan`;
  const parent = checkInside(folder, path.dirname(file.relPath));
  if (!parent.inside || parent.realPath !== path.join(realRoot, path.dirname(file.relPath)))
    return `${file.relPath}: its folder now resolves elsewhere`;
  return undefined;
}

export type TrashTarget =
  | { ok: true; relPath: string; kind: 'file' | 'link' | 'directory'; bytes: number; files: number }
  | { ok: false; reason: string };

/**
 * Whether one row's file or folder may be moved to the trash: strictly inside an unprotected
 * area, its parent resolving to where it lies (no symlink on the way out of the folder), and
 * still there. A symlink is a link (deleted as such); a folder's bytes and files are counted
 * with lstat, links inside not followed.
 */
export async function checkTrashTarget(
  folder: string,
  relPath: string,
  areas: readonly AreaRef[],
): Promise<TrashTarget> {
  if (relPath === '' || relPath.split('/').includes('..'))
    return { ok: false, reason: `${relPath || 'the folder'} is not inside the folder` };
  if (touchesProtected(relPath, areas))
    return {
      ok: false,
      reason: `${relPath} is in or contains a protected area (production): it is never moved to the trash from here`,
    };
  if (!trashableArea(relPath, areas)) return { ok: false, reason: `${relPath} is not inside a work or session area` };
  const parentRel = path.dirname(relPath);
  const parent = checkInside(folder, parentRel);
  if (!parent.inside) return { ok: false, reason: parent.reason };
  if (parent.realPath !== path.join(parent.realRoot, parentRel))
    return { ok: false, reason: `${parentRel} goes through a symlink (it resolves to ${parent.realPath})` };
  let st;
  try {
    st = await lstat(path.join(folder, relPath));
  } catch (error) {
    return { ok: false, reason: `${relPath}: ${code(error)}` };
  }
  if (st.isSymbolicLink()) return { ok: true, relPath, kind: 'link', bytes: st.size, files: 1 };
  if (!st.isDirectory()) return { ok: true, relPath, kind: 'file', bytes: st.size, files: 1 };
  const area: AreaRef = { areaName: relPath, pattern: relPath, path: relPath };
  const listed = await walkArea(folder, area, { areas });
  if (!listed.ok) return { ok: false, reason: listed.reason };
  const plan = planCleanup(listed.walk, undefined, Date.now());
  return { ok: true, relPath, kind: 'directory', bytes: plan.bytes, files: plan.count };
}
