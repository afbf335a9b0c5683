// Text from names, settings and the log placed inside Markdown (hover tooltips, the Markdown
// export): shown as itself. Line breaks (CR, LF, VT, FF, NEL, U+2028, U+2029) become spaces, so
// nothing can start a heading, a list or a table row; the characters Markdown, GFM tables or
// VS Code's theme icons read as syntax are backslash-escaped (no link, no remote image, no HTML,
// no `$(icon)`), a leading `#` too; other control characters are written as visible escapes
// (\e, \x07, ...), as on a terminal.
import { escapeTerminal } from './terminal';

/** Escapes `text` for inline use in Markdown (a table cell, a bold span, a heading's text). */
export function escapeMarkdown(text: string): string {
  const flat = text.replace(/\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/g, ' ');
  return escapeTerminal(flat.replace(/[\\`*_{}[\]<>|~&$]/g, '\\$&').replace(/^(\s*)#/, '$1\\#'));
}
