// The messages between the extension and the Usage Report page, one union per direction, and
// the check the extension runs on every message from the page before acting on it. The page
// renders text from files and the log; should anything in it ever run, all it could send is
// one of these shapes, and a reveal only of a relative path inside a known folder.
import type { ReportData } from './reportData';

/** Commands the page's buttons may run; nothing else is executed for it. */
export const REPORT_COMMANDS = ['workspaceUsage.refresh', 'workspaceUsage.exportReport'] as const;
type ReportCommand = (typeof REPORT_COMMANDS)[number];

/** Extension → page. */
export type ToPageMessage = { type: 'data'; data: ReportData };

/** Page → extension. */
export type FromPageMessage =
  { type: 'ready' } | { type: 'reveal'; folder: string; relPath: string } | { type: 'command'; command: ReportCommand };

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const FIELDS: Record<FromPageMessage['type'], readonly string[]> = {
  ready: ['type'],
  reveal: ['type', 'folder', 'relPath'],
  command: ['type', 'command'],
};

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/**
 * Why `relPath` is not a plain relative path below a folder, or undefined when it is: no
 * absolute path (POSIX, UNC or drive letter), no `..` segment with either separator, no NUL.
 */
function relPathProblem(relPath: string): string | undefined {
  if (relPath === '') return 'relPath is empty';
  if (relPath.includes('\0')) return 'relPath contains NUL';
  if (/^[\\/]/.test(relPath) || /^[A-Za-z]:/.test(relPath)) return 'relPath is absolute';
  if (relPath.split(/[\\/]/).includes('..')) return 'relPath has a ".." segment';
  return undefined;
}

/** Checks a message from the page: one of the known shapes, exactly, or an error. */
export function checkPageMessage(message: unknown): Checked<FromPageMessage> {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return fail('not an object');
  const m = message as Record<string, unknown>;
  const type = m.type;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) return fail(`unknown type ${JSON.stringify(type)}`);
  const allowed = FIELDS[type as FromPageMessage['type']];
  const extra = Object.keys(m).filter((k) => !allowed.includes(k));
  if (extra.length) return fail(`unexpected field ${JSON.stringify(extra[0])} in ${type}`);
  switch (type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'reveal': {
      const { folder, relPath } = m;
      if (typeof folder !== 'string' || folder === '') return fail('reveal: folder is not a non-empty string');
      if (typeof relPath !== 'string') return fail('reveal: relPath is not a string');
      const problem = relPathProblem(relPath);
      if (problem) return fail(`reveal: ${problem}`);
      return { ok: true, value: { type: 'reveal', folder, relPath } };
    }
    default: {
      const command = m.command;
      if (typeof command !== 'string' || !(REPORT_COMMANDS as readonly string[]).includes(command)) {
        return fail(`command: ${JSON.stringify(command)} is not allowed`);
      }
      return { ok: true, value: { type: 'command', command: command as ReportCommand } };
    }
  }
}

/** The page's check of what arrives on its `message` event (the extension is the only sender it trusts). */
export function isToPageMessage(message: unknown): message is ToPageMessage {
  if (message === null || typeof message !== 'object') return false;
  const m = message as { type?: unknown; data?: unknown };
  if (m.type !== 'data' || m.data === null || typeof m.data !== 'object') return false;
  const d = m.data as { folders?: unknown; generated_at?: unknown };
  return Array.isArray(d.folders) && typeof d.generated_at === 'string';
}
