// The Restricted-Mode path rule: a file may be read only when its real path (every symlink
// resolved) stays inside the folder's real path. What is read is what counts, so a link inside
// the folder to /etc/passwd is outside, and `../folder/x` that lands back inside is inside.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

export type InsideCheck =
  /** `realPath` is the candidate with every symlink resolved (open this, not the link); `realRoot` the folder's. */
  | { inside: true; realPath: string; realRoot: string }
  /** `reason` names the path and why, e.g. "… resolves to /etc/passwd, outside the folder /w". */
  | { inside: false; realPath: string | undefined; reason: string; missing: boolean };

/** Whether `child` is `parent` or below it, both absolute and normalised (no symlink resolution). */
export function isPathWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Resolves `candidate` (absolute, or relative to `folder`) through symlinks and says whether it
 * stays inside the real path of `folder`. A candidate that does not exist (or a dangling link)
 * is not inside (`missing: true`): there is nothing there to read, and nothing to allow.
 * Synchronous on purpose: a few syscalls, called right before an open.
 */
export function checkInside(folder: string, candidate: string): InsideCheck {
  const root = path.resolve(folder);
  const target = path.resolve(root, candidate);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (error) {
    return {
      inside: false,
      realPath: undefined,
      missing: false,
      reason: `the folder ${root} cannot be resolved (${errorCode(error) ?? String(error)})`,
    };
  }
  let realPath: string;
  try {
    realPath = realpathSync(target);
  } catch (error) {
    const code = errorCode(error);
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    return {
      inside: false,
      realPath: undefined,
      missing,
      reason: `${target} cannot be resolved (${code ?? String(error)})`,
    };
  }
  if (isPathWithin(realRoot, realPath)) return { inside: true, realPath, realRoot };
  const shown = realPath === target ? `${target} is` : `${target} resolves to ${realPath},`;
  return { inside: false, realPath, missing: false, reason: `${shown} outside the folder ${realRoot}` };
}
