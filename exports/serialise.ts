// Writes a workbook to a buffer with 游ゴシック as the workbook's default font. exceljs always writes
// Calibri as the default; setting it here lets the large lists leave their body cells unstyled (a style
// per cell is what makes exceljs slow on thousands of rows) and still show in the Japanese font.
// It also writes the manual column page breaks the builders recorded (page-breaks.ts), which exceljs cannot.
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { columnPageStartsOf, withColBreaks } from './page-breaks.js';
import { FONT_NAME } from './styles.js';

const DEFAULT_FONT = /<fonts([^>]*)><font>.*?<\/font>/s;
export const JAPANESE_DEFAULT_FONT = `<font><sz val="10"/><color theme="1"/><name val="${FONT_NAME}"/><family val="3"/><charset val="128"/></font>`;

export async function workbookToBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  const written = Buffer.from(await workbook.xlsx.writeBuffer());
  const zip = await JSZip.loadAsync(written);
  const styles = zip.file('xl/styles.xml');
  if (!styles) return written;
  const xml = await styles.async('string');
  zip.file('xl/styles.xml', xml.replace(DEFAULT_FONT, (_m, attrs: string) => `<fonts${attrs}>${JAPANESE_DEFAULT_FONT}`));
  for (const ws of workbook.worksheets) {
    const starts = columnPageStartsOf(ws);
    const sheet = zip.file(`xl/worksheets/sheet${ws.id}.xml`);
    if (starts.length > 0 && sheet) zip.file(`xl/worksheets/sheet${ws.id}.xml`, withColBreaks(await sheet.async('string'), starts));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
