// Text of a plan file, page by page. Runs inside the extraction worker only (hostile files: bounded there by
// the worker's heap and time limits). PDF via pdf.js with its CMaps and standard fonts from node_modules (no network),
// .docx via mammoth (one page), .xlsx via exceljs (one page per sheet), .txt as UTF-8 (form feeds separate pages).
import { createRequire } from 'node:module';
import path from 'node:path';
import JSZip from 'jszip';
import type { PlanFormat } from './formats.js';

const require = createRequire(import.meta.url);
const MAX_ZIP_ENTRIES = 2000;
const MAX_UNCOMPRESSED = 200 * 1024 * 1024;

export class UnreadableFile extends Error {}

async function checkZip(bytes: Uint8Array, requiredPart: string, name: string): Promise<JSZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch {
    throw new UnreadableFile(`ファイルの内容が${name}ではありません（zip として読めません）。`);
  }
  const files = Object.values(zip.files).filter((f) => !f.dir);
  if (files.length > MAX_ZIP_ENTRIES) throw new UnreadableFile(`${name}としては部品の数が多すぎるため、受け付けられません。`);
  if (!zip.file(requiredPart) || !zip.file('[Content_Types].xml')) throw new UnreadableFile(`ファイルの内容が${name}ではありません。`);
  const declared = files.reduce((sum, f) => sum + ((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  if (declared > MAX_UNCOMPRESSED) throw new UnreadableFile(`展開後のサイズが大きすぎるため、受け付けられません（上限 ${MAX_UNCOMPRESSED / 1024 / 1024} MB）。`);
  return zip;
}

async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: bytes,
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      cMapPacked: true,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new UnreadableFile('パスワードで保護された PDF は読み取れません。保護を解除したファイルを送ってください。');
    throw new UnreadableFile('PDF として読み取れませんでした（ファイルが壊れている可能性があります）。');
  }
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str;
      if (item.hasEOL) text += '\n';
    }
    pages.push(text);
    page.cleanup();
  }
  await doc.destroy();
  return pages;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const htmlText = (html: string) =>
  html
    .replace(/<\/(?:p|h[1-6]|li|tr)>|<br\s*\/?>/g, '\n')
    .replace(/<\/t[dh]>/g, '\t')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e])
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

/** Word: mammoth's HTML with manual page breaks turned into <hr>, split there (no break: one page). */
async function docxPages(bytes: Uint8Array): Promise<string[]> {
  await checkZip(bytes, 'word/document.xml', 'Word 文書（.docx）');
  const mammoth = (await import('mammoth')).default;
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: ["br[type='page'] => hr"], ignoreEmptyParagraphs: false });
  return value.split(/<hr\s*\/?>/).map(htmlText);
}

const MAX_RANGE_CELLS = 1_000_000;

function columnNumber(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
}

/** Cells covered by 'E200:XFD1048576' (exceljs expands merges and validations cell by cell while loading). */
export function rangeCells(ref: string): number {
  const m = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$/.exec(ref);
  if (!m) return 0;
  if (!m[3]) return 1;
  return (Math.abs(columnNumber(m[3]) - columnNumber(m[1])) + 1) * (Math.abs(Number(m[4]) - Number(m[2])) + 1);
}

/** Refuses a workbook whose sheets declare merges or validations over huge ranges, before exceljs sees it. */
async function checkSheetRanges(zip: JSZip): Promise<void> {
  for (const file of Object.values(zip.files)) {
    if (file.dir || !/^xl\/worksheets\/[^/]+\.xml$/.test(file.name)) continue;
    const xml = await file.async('string');
    for (const m of xml.matchAll(/<(?:mergeCell|dataValidation|conditionalFormatting)\b[^>]*?\s(?:ref|sqref)="([^"]{1,10000})"/g)) {
      const cells = m[1].split(/\s+/).reduce((sum, r) => sum + rangeCells(r), 0);
      if (cells > MAX_RANGE_CELLS) throw new UnreadableFile('Excel ブックの結合セルや入力規則の範囲が大きすぎるため、受け付けられません。必要な範囲だけにして保存し直すか、PDF で送ってください。');
    }
  }
}

async function xlsxPages(bytes: Uint8Array): Promise<string[]> {
  await checkSheetRanges(await checkZip(bytes, 'xl/workbook.xml', 'Excel ブック（.xlsx）'));
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFile('Excel ブック（.xlsx）として読み取れませんでした。');
  }
  return workbook.worksheets.map((sheet) => {
    const rows: string[] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell) => {
        cells.push(cell.text ?? '');
      });
      rows.push(cells.join('\t'));
    });
    return rows.join('\n');
  });
}

function textPages(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return text.split('\f');
}

export async function extractPages(format: PlanFormat, bytes: Uint8Array): Promise<string[]> {
  switch (format) {
    case 'pdf':
      return pdfPages(bytes);
    case 'docx':
      return docxPages(bytes);
    case 'xlsx':
      return xlsxPages(bytes);
    case 'txt':
      return textPages(bytes);
  }
}
