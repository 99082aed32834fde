// The organiser's results workbook: 集計表, 内訳, 回答一覧 (every participant), 計画一覧, 回答状況.
import ExcelJS from 'exceljs';
import { addBreakdownSheet, addProgressSheet } from './detail-sheets.js';
import { addAnswersSheet, addPlansSheet, type ListRow } from './list-sheets.js';
import { addSummarySheet } from './summary-sheet.js';
import type { OrganiserWorkbookData } from './types.js';

export function newWorkbook(title: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '中核市情報化推進計画調査システム';
  wb.title = title;
  wb.created = new Date(0);
  wb.modified = new Date(0);
  return wb;
}

export function buildResultsWorkbook(data: OrganiserWorkbookData): ExcelJS.Workbook {
  const wb = newWorkbook(data.survey.title);
  wb.created = wb.modified = new Date(`${data.survey.date}T00:00:00Z`);
  addSummarySheet(wb, data.survey, data.results);
  addBreakdownSheet(wb, data.results, data.survey.title);
  const rows: ListRow[] = data.participants.map((record) => ({
    record,
    displayName: record.cityName,
    mask: (text) => text,
    bandLabel: data.results.bands[record.bandIndex]?.label ?? '',
  }));
  addAnswersSheet(wb, data.results, rows, { audience: 'organiser', title: data.survey.title });
  addPlansSheet(wb, rows.filter((r) => r.record.answers), { audience: 'organiser', title: data.survey.title });
  addProgressSheet(wb, data.participants, data.survey.title);
  return wb;
}
