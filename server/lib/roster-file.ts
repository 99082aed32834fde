// Reading a roster file's bytes: CSV decoding (UTF-8 or Shift_JIS, as Excel writes it) and the .xlsx reader. The
// rules that check what was read are pure and live in domain/roster-import.ts.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { checkRosterRows, parseCsv, ROSTER_MAX_COLUMNS, ROSTER_MAX_ROWS, RosterFileProblem, type RosterImport } from '../domain/roster-import.js';

/** UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, otherwise Shift_JIS (cp932, as Excel writes it). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  const buf = Buffer.from(bytes);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'cp932'), encoding: 'shift_jis' };
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

/** The first worksheet of an .xlsx as rows of text (in-memory reader: the streaming one may return furigana). */
export async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

/**
 * Reads a roster file (by its name: .xlsx or CSV) and checks it; a CSV is bounded by ROSTER_MAX_ROWS and
 * ROSTER_MAX_COLUMNS. An uploaded .xlsx must be read by `readWorkbook` from services/roster-upload.ts (scanned,
 * then sandboxed): the default reads on the calling thread and is for files the platform made itself.
 */
export async function readRosterFile(filename: string, bytes: Uint8Array, readWorkbook: (bytes: Uint8Array) => Promise<string[][]> = readXlsx): Promise<RosterImport> {
  if (/\.xlsx$/i.test(filename)) {
    let table: string[][];
    try {
      table = await readWorkbook(bytes);
    } catch (err) {
      return { rows: [], fileProblems: [err instanceof RosterFileProblem ? err.message : 'Excel ファイル（.xlsx）として読み取れませんでした'] };
    }
    return { ...checkRosterRows(table), encoding: 'xlsx' };
  }
  if (/\.xls$/i.test(filename)) {
    return { rows: [], fileProblems: ['古い形式の Excel ファイル（.xls）は読み取れません。.xlsx または CSV で保存し直してください'] };
  }
  const { text, encoding } = decodeCsv(bytes);
  try {
    return { ...checkRosterRows(parseCsv(text, { maxRows: ROSTER_MAX_ROWS + 1, maxColumns: ROSTER_MAX_COLUMNS })), encoding };
  } catch (err) {
    if (err instanceof RosterFileProblem) return { rows: [], fileProblems: [err.message], encoding };
    throw err;
  }
}

