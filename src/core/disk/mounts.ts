// Whether anything is mounted below a folder. A folder can be reached twice by a walk that does
// not follow symlinks only through a mount point below the scan's root (a bind mount of a folder
// of the tree, or of one above it); other file systems also start at mount points. With none
// below, the walk need not stat each folder for its st_dev/st_ino (one more syscall per folder,
// 10 to 20% of a scan here), so the scan asks once, from /proc/self/mountinfo, at its start.
// Where that cannot be read (not Linux), the answer is "maybe": every folder is stat'ed.
import { readFileSync, realpathSync } from 'node:fs';

/** mountinfo escapes space, tab, newline and backslash in paths as \ooo. */
function unescape(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The mount points listed in mountinfo text. */
export function mountPoints(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    if (fields.length > 4) out.push(unescape(fields[4]));
  }
  return out;
}

/** True when something may be mounted strictly below `root` (or when that cannot be known). */
export function mountsBelow(root: string): boolean {
  let real: string;
  let info: string;
  try {
    real = realpathSync(root);
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return true;
  }
  const prefix = real.endsWith('/') ? real : `${real}/`;
  return mountPoints(info).some((m) => m.startsWith(prefix));
}
