// Shared look of the exported workbooks: Japanese font, fills explained by the legend, borders,
// and the print set-up (A4 landscape, print titles, fit to width) so sheets print like the published table.
import type { Borders, Cell, Fill, Font, Worksheet } from 'exceljs';
import { inJapanTime } from '../server/domain/japan-time.js';

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

/** A4 landscape, fit to one page wide, the given rows repeated on every printed page, panes frozen below them. */
export function setupSheet(ws: Worksheet, opts: { headerRows: number; frozenColumns?: number; printTitleFrom?: number }): void {
  const setup = sheetSetup(opts);
  ws.pageSetup = setup.pageSetup;
  ws.headerFooter = setup.headerFooter;
  ws.views = setup.views;
}

/** setupSheet's settings as values (a streaming worksheet takes them when it is created). */
export function sheetSetup(opts: { headerRows: number; frozenColumns?: number; printTitleFrom?: number }) {
  return {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${opts.printTitleFrom ?? 1}:${opts.headerRows}`,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    } as Worksheet['pageSetup'],
    headerFooter: { oddFooter: '&P / &N' } as Worksheet['headerFooter'],
    views: [{ state: 'frozen', xSplit: opts.frozenColumns ?? 0, ySplit: opts.headerRows, topLeftCell: undefined, activeCell: undefined }] as Worksheet['views'],
  };
}

/** A Date shifted so that Excel (which has no time zones) shows Japan time. */
export function jstDate(date: Date | null): Date | null {
  return date ? inJapanTime(date) : null;
}

export const DATE_TIME_FORMAT = 'yyyy/mm/dd hh:mm';
