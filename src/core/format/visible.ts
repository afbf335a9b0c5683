// Names from the disk (folder and file names, session ids) are printed to terminals and CI logs.
// Raw control characters there retitle or clear a terminal (ESC sequences), rewrite a line (CR)
// or forge log lines (LF, U+2028); bidirectional overrides reorder what is shown. visible()
// replaces each with a printable escape, so what is printed is the name, readable and inert.
// Backslashes are left alone (a name with "\n" in it reads the same as an escaped newline; this
// is for display, never parsed back).

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\u241b' };

// C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidi controls
// (embeddings, overrides, isolates, marks that are invisible).
const UNSAFE_CLASS = '[\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]';
const ANY_UNSAFE = new RegExp(UNSAFE_CLASS);
const EVERY_UNSAFE = new RegExp(UNSAFE_CLASS, 'g');

function escape(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with control characters replaced by visible escapes (ESC as ␛, LF as \n, U+2028 as \u2028). */
export function visible(text: string): string {
  return ANY_UNSAFE.test(text) ? text.replace(EVERY_UNSAFE, escape) : text;
}
