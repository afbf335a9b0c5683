// CSV for exports (RFC 4180, CRLF line ends), shared by the report and history exports.

/**
 * Text a spreadsheet would run as a formula (CSV injection): a cell starting with = + - @, or
 * with a tab or CR (which some spreadsheets strip before looking). Spreadsheets also trim
 * leading spaces (and other whitespace) first, so " =cmd|..." counts as well.
 */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@]/;

/**
 * RFC 4180 field: quoted when needed. A string that a spreadsheet would run as a formula is
 * prefixed with `'` (shown as text; the data is then visibly marked). Numbers are left alone,
 * so -5 stays a number.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // Quoted too when it starts or ends with whitespace, which some readers trim from a bare field.
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
