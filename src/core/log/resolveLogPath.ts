// Where a workspace folder's usage log lives.
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

const DEFAULT_LOG = '.yoi/usage.jsonl';
/** The upstream tool's layout, used when DEFAULT_LOG does not exist. */
const FALLBACK_LOG = '.yoi/memory/_usage/events.jsonl';

/**
 * The absolute path of `folder`'s usage log. `setting` is `workspaceUsage.usageLog`: empty means
 * `.yoi/usage.jsonl` when it exists, else `.yoi/memory/_usage/events.jsonl`; a relative path is
 * resolved against the folder; an absolute one is used as is.
 */
export function resolveLogPath(folder: string, setting: string): string {
  const root = path.resolve(folder);
  if (setting.trim() === '') {
    const preferred = path.join(root, DEFAULT_LOG);
    return existsSync(preferred) ? preferred : path.join(root, FALLBACK_LOG);
  }
  return path.resolve(root, setting);
}

function lexicallyInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The deepest existing ancestor of `p` (itself included), resolved through symlinks, plus the rest. */
function realish(p: string): string {
  let head = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}

/**
 * Whether `target` is `folder` or inside it (for Restricted Mode), both lexically and after
 * resolving symlinks of the parts that exist, so a link out of the folder does not count as inside.
 */
export function isInside(folder: string, target: string): boolean {
  const f = path.resolve(folder);
  const t = path.resolve(f, target);
  if (!lexicallyInside(f, t)) return false;
  return lexicallyInside(realish(f), realish(t));
}
