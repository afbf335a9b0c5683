// Text from names, settings and the log shown inside Markdown (hover tooltips): every character
// Markdown or VS Code's theme icons could read as syntax is escaped, and line breaks become
// spaces, so a name shows as itself: no link, no remote image, no heading, no HTML, no `$(icon)`.

/** Escapes `text` for inline use in Markdown. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, '\\$&').replace(/[\r\n\u2028\u2029]+/g, ' ');
}
