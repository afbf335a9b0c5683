// Text from files and logs (slugs, titles, excerpts of malformed lines, paths), made safe to
// print on a terminal: a control character could move the cursor, clear the screen, retitle the
// window or fake lines of output (ESC sequences, CR, C1 CSI), and bidi overrides can reorder
// what is shown. Each such character becomes visible, JavaScript-like escape text:
//   ESC -> \e;  LF CR TAB -> \n \r \t;  other C0, DEL and C1 -> \xHH;
//   U+2028/U+2029 (line/paragraph separators) and bidi controls -> \uHHHH.
// Everything else (printable text in any script, emoji) is left as is.

// C0, DEL, C1, ALM, LRM/RLM, LRE..RLO, LS/PS, LRI..PDI.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\u001b': '\\e', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character written as visible escape text (see the top of the file). */
export function escapeTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}
