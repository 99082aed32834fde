// CSV as Excel and Word's mail merge read it: CRLF lines, every field quoted, formula-like text neutralised.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: quoted, quotes doubled, a leading = + - @ tab or CR prefixed with ' so no spreadsheet runs it. */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
