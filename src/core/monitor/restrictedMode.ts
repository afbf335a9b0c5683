// What Restricted Mode (an untrusted workspace) changes for a folder: paths from settings that
// leave the folder are ignored, and the user is told so.
import { isInside, resolveLogPath } from '../log/resolveLogPath';

/** An exclude glob that reaches outside the folder (absolute, or through ".."). */
function leavesFolder(glob: string): boolean {
  return glob.startsWith('/') || glob.split('/').includes('..');
}

/** The exclude globs in effect: all when trusted, else those that stay inside the folder. */
export function allowedExcludes(globs: string[], trusted: boolean): string[] {
  return trusted ? globs : globs.filter((g) => !leavesFolder(g));
}

/** The usage log to follow and the notes for the user about settings ignored. */
export function restrictedPolicy(
  folder: string,
  settings: { usageLog: string; exclude: string[] },
  trusted: boolean,
): { logPath: string; notes: string[] } {
  const notes: string[] = [];
  let logPath = resolveLogPath(folder, settings.usageLog);
  if (!trusted && settings.usageLog && !isInside(folder, logPath)) {
    notes.push(
      `Restricted Mode: the usage log setting "${settings.usageLog}" points outside the folder and is ignored.`,
    );
    logPath = resolveLogPath(folder, '');
  }
  if (!trusted && settings.exclude.some(leavesFolder))
    notes.push('Restricted Mode: exclude globs that leave the folder are ignored.');
  return { logPath, notes };
}
