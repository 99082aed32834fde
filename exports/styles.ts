// Shared look of the exported workbooks: Japanese font, fills explained by the legend, borders,
// and the print set-up (A4, print titles, fit to width or pages split by columns, the survey title and page
// numbers in the header and footer) so sheets print like the published table.
import type { Borders, Cell, Fill, Font, Worksheet } from 'exceljs';
import { inJapanTime } from '../server/domain/japan-time.js';
import { MARGINS, type Orientation } from './print-layout.js';
import { columnLetters } from './xlsx-scan.js';

export const FONT_NAME = '游ゴシック';
export const FONT: Partial<Font> = { name: FONT_NAME, size: 10, charset: 128 };
export const BOLD: Partial<Font> = { ...FONT, bold: true };
export const TITLE_FONT: Partial<Font> = { ...FONT, size: 14, bold: true };

const solid = (argb: string): Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
export const FILLS = {
  header: solid('FFD9E1F2'),
  implemented: solid('FFBDD7EE'),
  studying: solid('FFFFE699'),
  differs: solid('FFF8CBAD'),
  input: solid('FFFFF2CC'),
};

const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
export const BORDER: Partial<Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export function styleCell(cell: Cell, opts: { bold?: boolean; fill?: Fill; wrap?: boolean; center?: boolean; border?: boolean; numFmt?: string } = {}): Cell {
  cell.font = opts.bold ? BOLD : FONT;
  if (opts.fill) cell.fill = opts.fill;
  cell.alignment = {
    vertical: 'middle',
    wrapText: opts.wrap ?? false,
    ...(opts.center ? { horizontal: 'center' as const } : {}),
  };
  if (opts.border !== false) cell.border = BORDER;
  if (opts.numFmt) cell.numFmt = opts.numFmt;
  return cell;
}

export function headerCell(cell: Cell): Cell {
  return styleCell(cell, { bold: true, fill: FILLS.header, wrap: true, center: true });
}

export interface PrintOptions {
  /** the survey's title, printed in the page header of every page */
  title: string;
  /** rows frozen on screen; the last repeated title row on paper */
  headerRows: number;
  frozenColumns?: number;
  /** the first row repeated on every printed page (default 1) */
  printTitleFrom?: number;
  orientation?: Orientation;
  /**
   * 'width' (default): fit to one page wide, as many pages down as needed. A number: print at that scale
   * across several pages, the first `repeatedColumns` repeated on each, pages ordered down then over.
   */
  fit?: 'width' | number;
  repeatedColumns?: number;
  /** print the cell grid (the lists, whose body cells have no borders of their own) */
  gridLines?: boolean;
}

/** A4, print titles, fit to width or a fixed scale, margins with room for the header (title) and footer (page N / total). */
export function setupSheet(ws: Worksheet, opts: PrintOptions): void {
  const setup = sheetSetup(opts);
  ws.pageSetup = setup.pageSetup;
  ws.headerFooter = setup.headerFooter;
  ws.views = setup.views;
}

/** In a header or footer, & starts a code: a literal & is written twice. */
const headerText = (text: string) => text.replace(/&/g, '&&').slice(0, 120);

/** setupSheet's settings as values (a streaming worksheet takes them when it is created). */
export function sheetSetup(opts: PrintOptions) {
  const fit = opts.fit ?? 'width';
  const repeated = opts.repeatedColumns ?? 0;
  return {
    pageSetup: {
      paperSize: 9,
      orientation: opts.orientation ?? 'landscape',
      ...(fit === 'width' ? { fitToPage: true, fitToWidth: 1, fitToHeight: 0 } : { fitToPage: false, scale: fit, pageOrder: 'downThenOver' }),
      printTitlesRow: `${opts.printTitleFrom ?? 1}:${opts.headerRows}`,
      ...(repeated > 0 ? { printTitlesColumn: `A:${columnLetters(repeated)}` } : {}),
      horizontalCentered: fit === 'width',
      ...(opts.gridLines ? { showGridLines: true } : {}),
      margins: { ...MARGINS },
    } as Worksheet['pageSetup'],
    headerFooter: { oddHeader: `&L${headerText(opts.title)}&R&A`, oddFooter: '&C&P / &N' } as Worksheet['headerFooter'],
    views: [{ state: 'frozen', xSplit: opts.frozenColumns ?? 0, ySplit: opts.headerRows, topLeftCell: undefined, activeCell: undefined }] as Worksheet['views'],
  };
}

/**
 * What prints: from A1 to the last row and column written. exceljs puts a $ before what it is given, so the rows
 * are given their own $ here: a print area must be absolute ($A$1:$I$53), or LibreOffice reads it relative and ignores it.
 */
export function setPrintArea(ws: { pageSetup: Partial<Worksheet['pageSetup']> }, lastRow: number, lastColumn: number): void {
  ws.pageSetup.printArea = `A$1:${columnLetters(lastColumn)}$${Math.max(1, lastRow)}`;
}

/**
 * Manual page breaks before the given rows (1-based): exceljs records a break after a row. Its default extent
 * (max="16838") is past the last column; the break is given the sheet's full width (XFD, max="16383") as Excel writes it.
 */
export function setRowPageStarts(ws: Pick<Worksheet, 'getRow'>, firstRows: number[]): void {
  for (const r of firstRows) ws.getRow(r - 1).addPageBreak(0, 16384);
}

/** A Date shifted so that Excel (which has no time zones) shows Japan time. */
export function jstDate(date: Date | null): Date | null {
  return date ? inJapanTime(date) : null;
}

export const DATE_TIME_FORMAT = 'yyyy/mm/dd hh:mm';
