// Which layout a data folder has: arawn's (`BASE/workstreams/<ws>/production|work/`, the
// workstream `scratch` with `sessions/<id>/work/`), where every workstream is served, or a plain
// folder, which is one workstream named after its basename with the configured areas. Also the
// name rules shared by the server and the editor. No `vscode` import.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { AreaSetting, Settings } from '../config/settings';
import { DEFAULT_AREAS } from '../config/settings';

const WORKSTREAMS_DIR = 'workstreams';
export const SCRATCH_WORKSTREAM = 'scratch';
const PRODUCTION_DIR = 'production';
const WORK_DIR = 'work';
const SESSIONS_DIR = 'sessions';

export type Layout =
  /** `root` holds one folder per workstream (FOLDER/workstreams, or FOLDER itself). */
  | { kind: 'arawn'; root: string }
  /** `root` is one workstream named `name`. */
  | { kind: 'single'; root: string; name: string };

/**
 * arawn's rule: non-empty, ASCII letters, digits, `-` and `_` only, not starting with `-` or
 * `.` (the second is implied by the first, and kept for readers comparing with upstream).
 */
export function isValidWorkstreamName(name: string): boolean {
  return name.length > 0 && /^[A-Za-z0-9_-]+$/.test(name) && !name.startsWith('-') && !name.startsWith('.');
}

function dirents(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A folder that looks like one workstream: it has production/, work/ or sessions/ directly. */
function looksLikeWorkstream(dir: string): boolean {
  return [PRODUCTION_DIR, WORK_DIR, SESSIONS_DIR].some((d) => isDir(path.join(dir, d)));
}

/** A folder holding workstreams: a subfolder with a valid name that looks like one. */
function holdsWorkstreams(dir: string): boolean {
  return dirents(dir).some(
    (e) => e.isDirectory() && isValidWorkstreamName(e.name) && looksLikeWorkstream(path.join(dir, e.name)),
  );
}

/**
 * FOLDER/workstreams holding workstreams wins; then a FOLDER that is itself a workstream (its own
 * production/ could hold a work/ and must not read as a workstream named "production"); then a
 * FOLDER holding workstreams; else FOLDER is one workstream.
 */
export function detectLayout(folder: string): Layout {
  const root = path.resolve(folder);
  const nested = path.join(root, WORKSTREAMS_DIR);
  if (isDir(nested) && holdsWorkstreams(nested)) return { kind: 'arawn', root: nested };
  if (!looksLikeWorkstream(root) && holdsWorkstreams(root)) return { kind: 'arawn', root };
  return { kind: 'single', root, name: path.basename(root) };
}

/**
 * The areas watched under an arawn root, from the configured ones (by name, defaults otherwise):
 * every workstream's production/ and work/, and scratch's session work folders. `prefix`: the
 * root's path relative to the monitored folder ('' when the folder is the root; `workstreams`
 * when the editor opened BASE).
 */
export function arawnAreas(settings: Settings, prefix = ''): AreaSetting[] {
  const under = (pattern: string) => (prefix ? `${prefix}/${pattern}` : pattern);
  const pick = (name: string): AreaSetting =>
    settings.areas.find((a) => a.name === name) ?? DEFAULT_AREAS.find((a) => a.name === name)!;
  const area = (name: string, pattern: string): AreaSetting => {
    const { quota, warningAt } = pick(name);
    return warningAt === undefined ? { name, pattern, quota } : { name, pattern, quota, warningAt };
  };
  return [
    area('production', under(`*/${PRODUCTION_DIR}`)),
    area('work', under(`*/${WORK_DIR}`)),
    area('sessions', under(`${SCRATCH_WORKSTREAM}/${SESSIONS_DIR}/*/${WORK_DIR}`)),
  ];
}

/** The settings a monitor of `layout` runs with. */
export function settingsForLayout(layout: Layout, settings: Settings): Settings {
  return layout.kind === 'arawn' ? { ...settings, areas: arawnAreas(settings) } : settings;
}

export type NameProblem = 'invalid';

/**
 * A path segment from a URL, decoded once, or 'invalid' when it cannot name anything on disk:
 * bad percent-encoding, a slash or backslash (also encoded), NUL, `.` or `..`. Names from URLs
 * never reach the file system unchecked.
 */
export function decodeUrlSegment(raw: string): string | NameProblem {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return 'invalid';
  }
  if (name === '.' || name === '..' || /[/\\\0]/.test(name)) return 'invalid';
  return name;
}
