// Manual page breaks between columns (<colBreaks>), which exceljs neither writes nor keeps: the builders record
// them here per worksheet, and the two writers (serialise.ts for the in-memory workbook, the streamed writer)
// put the element into the sheet's XML where the schema wants it, right after the row breaks.
const columnBreaks = new WeakMap<object, number[]>();

/** Breaks the printed pages before each of the given columns (1-based). */
export function setColumnPageStarts(ws: object, firstColumns: number[]): void {
  if (firstColumns.length > 0) columnBreaks.set(ws, [...firstColumns]);
  else columnBreaks.delete(ws);
}

export function columnPageStartsOf(ws: object): number[] {
  return columnBreaks.get(ws) ?? [];
}

/** <colBreaks>: a break's id is the last column of the page before it (0-based index of the column after it). */
export function colBreaksXml(firstColumns: number[]): string {
  if (firstColumns.length === 0) return '';
  const breaks = firstColumns.map((c) => `<brk id="${c - 1}" max="1048575" man="1"/>`).join('');
  return `<colBreaks count="${firstColumns.length}" manualBreakCount="${firstColumns.length}">${breaks}</colBreaks>`;
}

// CT_Worksheet: … headerFooter, rowBreaks, colBreaks, customProperties, cellWatches, ignoredErrors, smartTags, drawing …
const AFTER = [/<\/rowBreaks>/, /<\/headerFooter>/, /<headerFooter\/>/, /<pageSetup[^>]*\/>/, /<pageMargins[^>]*\/>/];

/** A sheet's XML with its column breaks inserted. */
export function withColBreaks(sheetXml: string, firstColumns: number[]): string {
  const xml = colBreaksXml(firstColumns);
  if (!xml) return sheetXml;
  for (const marker of AFTER) {
    const match = marker.exec(sheetXml);
    if (match) return sheetXml.slice(0, match.index + match[0].length) + xml + sheetXml.slice(match.index + match[0].length);
  }
  return sheetXml.replace('</worksheet>', `${xml}</worksheet>`);
}
