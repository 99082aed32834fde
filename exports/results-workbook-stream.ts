// The organiser's results workbook written as a stream (exceljs WorkbookWriter, issue #15): the same sheets and
// cells as buildResultsWorkbook, but the three lists (回答一覧, 計画一覧, 回答状況) are written page by page from
// the participants given, each row committed as it is written, so memory stays flat whatever the number of cities.
// The two small sheets (集計表, 内訳) are built by their in-memory builders and copied cell by cell.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
// @ts-expect-error exceljs ships no types for its xforms
import PrintOptionsXform from 'exceljs/lib/xlsx/xform/sheet/print-options-xform.js';
import { addBreakdownSheet, putProgressHeader, putProgressRow, putProgressSummary, PROGRESS_LAYOUT } from './detail-sheets.js';
import { answersLayout, answersRow, type ListRow, listedInPlans, listSetup, plansLayout, plansRow, putBodyRow, putTableHeader } from './list-sheets.js';
import { colBreaksXml, columnPageStartsOf, setColumnPageStarts } from './page-breaks.js';
import { JAPANESE_DEFAULT_FONT } from './serialise.js';
import { setPrintArea, sheetSetup } from './styles.js';
import { addSummarySheet } from './summary-sheet.js';
import type { ParticipantRecord, ResultsData, SurveyInfo } from './types.js';

type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;
type SheetWriter = ReturnType<WorkbookWriter['addWorksheet']>;

/** A writer's worksheet for the helpers written against exceljs's Worksheet (getCell, getColumn, getRow are alike). */
const asWorksheet = (ws: SheetWriter) => ws as unknown as ExcelJS.Worksheet;

/**
 * exceljs's streaming worksheet leaves out <printOptions> (horizontalCentered …): write it where the in-memory
 * writer does, just before <pageMargins>, so that the sheets print centred as buildResultsWorkbook's do. And the
 * column page breaks (page-breaks.ts), which no exceljs writer knows, right after the row breaks.
 */
function withPrintOptions(ws: SheetWriter): SheetWriter {
  const writer = ws as unknown as {
    _writePageMargins: () => void;
    _writeRowBreaks: () => void;
    pageSetup: ExcelJS.PageSetup;
    stream: { write: (xml: string) => void };
  };
  const writeMargins = writer._writePageMargins.bind(writer);
  writer._writePageMargins = () => {
    const { showRowColHeaders, showGridLines, horizontalCentered, verticalCentered } = writer.pageSetup;
    writer.stream.write(new PrintOptionsXform().toXml({ showRowColHeaders, showGridLines, horizontalCentered, verticalCentered }));
    writeMargins();
  };
  const writeRowBreaks = writer._writeRowBreaks.bind(writer);
  writer._writeRowBreaks = () => {
    writeRowBreaks();
    writer.stream.write(colBreaksXml(columnPageStartsOf(ws)));
  };
  return ws;
}

/** Copies a small in-memory sheet into the writer: cells with their styles, merges, widths, heights, views and print set-up. */
function copySheet(wb: WorkbookWriter, src: ExcelJS.Worksheet): void {
  const ws = withPrintOptions(wb.addWorksheet(src.name, { properties: src.properties, views: src.views, pageSetup: src.pageSetup, headerFooter: src.headerFooter }));
  for (let c = 1; c <= src.columnCount; c++) {
    const width = src.getColumn(c).width;
    if (width !== undefined) ws.getColumn(c).width = width;
  }
  src.eachRow({ includeEmpty: true }, (row, r) => {
    const out = ws.getRow(r);
    if (row.height !== undefined) out.height = row.height;
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const target = out.getCell(c);
      if (cell.type !== ExcelJS.ValueType.Merge) target.value = cell.value;
      target.style = cell.style;
    });
  });
  for (const range of (src.model as { merges: string[] }).merges) ws.mergeCells(range);
  (ws as unknown as { rowBreaks: unknown[] }).rowBreaks = [...(src as unknown as { rowBreaks: unknown[] }).rowBreaks];
  setColumnPageStarts(ws, columnPageStartsOf(src));
  ws.commit();
}

function listSheet(wb: WorkbookWriter, name: string, setup: ReturnType<typeof sheetSetup>, columnPageStarts: number[] = []): SheetWriter {
  const ws = withPrintOptions(wb.addWorksheet(name, setup as Partial<ExcelJS.AddWorksheetOptions>));
  setColumnPageStarts(ws, columnPageStarts);
  return ws;
}

export async function writeResultsWorkbook(stream: Writable, survey: SurveyInfo, results: ResultsData, pages: AsyncIterable<ParticipantRecord[]>): Promise<void> {
  const date = new Date(`${survey.date}T00:00:00Z`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  // the workbook's properties as newWorkbook sets them (read by docProps/core.xml when the workbook is committed)
  Object.assign(wb, { creator: '中核市情報化推進計画調査システム', lastModifiedBy: undefined, title: survey.title, created: date, modified: date });
  // The workbook's default font is 游ゴシック (see serialise.ts): the first font of the style sheet.
  (wb as unknown as { styles: { model: { fonts: string[] } } }).styles.model.fonts[0] = JAPANESE_DEFAULT_FONT;

  const small = new ExcelJS.Workbook();
  addSummarySheet(small, survey, results);
  addBreakdownSheet(small, results, survey.title);
  small.eachSheet((ws) => copySheet(wb, ws));

  const answers = answersLayout(results, 'organiser');
  const plans = plansLayout('organiser');
  const answersSheet = listSheet(wb, answers.name, listSetup(answers, survey.title), answers.columnPageStarts);
  const plansSheet = listSheet(wb, plans.name, listSetup(plans, survey.title));
  const progressSheet = listSheet(wb, PROGRESS_LAYOUT.name, sheetSetup({ title: survey.title, headerRows: 1, frozenColumns: PROGRESS_LAYOUT.frozenColumns }));
  putTableHeader(asWorksheet(answersSheet), answers);
  putTableHeader(asWorksheet(plansSheet), plans);
  putProgressHeader(asWorksheet(progressSheet));
  for (const ws of [answersSheet, plansSheet, progressSheet]) ws.getRow(1).commit();

  let answersRowNo = 2;
  let plansRowNo = 2;
  let participants = 0;
  let submitted = 0;
  for await (const page of pages) {
    for (const record of page) {
      const row: ListRow = { record, displayName: record.cityName, mask: (text) => text, bandLabel: results.bands[record.bandIndex]?.label ?? '' };
      putBodyRow(asWorksheet(answersSheet), answersRowNo, answersRow(results, row, 'organiser'), answers);
      answersSheet.getRow(answersRowNo++).commit();
      if (record.answers && listedInPlans(row)) {
        putBodyRow(asWorksheet(plansSheet), plansRowNo, plansRow(row, 'organiser'), plans);
        plansSheet.getRow(plansRowNo++).commit();
      }
      putProgressRow(asWorksheet(progressSheet), participants + 2, record);
      progressSheet.getRow(participants + 2).commit();
      participants++;
      if (record.status === 'submitted') submitted++;
    }
  }
  putProgressSummary(asWorksheet(progressSheet), participants + 3, participants, submitted);
  // the print areas are names of the workbook, written when it is committed
  setPrintArea(answersSheet, answersRowNo - 1, answers.headers.length);
  setPrintArea(plansSheet, plansRowNo - 1, plans.headers.length);
  setPrintArea(progressSheet, participants + 3, PROGRESS_LAYOUT.headers.length);
  await wb.commit();
}
