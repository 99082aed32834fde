// A respondent's results workbook: 集計表 with the city's own 貴市 column, 内訳, and 回答一覧/計画一覧 that
// honour every city's 調査結果の取扱い (anonymous → A市 …, names masked; private → only counted).
// Contact details never appear here.
import type ExcelJS from 'exceljs';
import { addBreakdownSheet } from './detail-sheets.js';
import { disclosureView, maskNames } from './disclosure.js';
import { addAnswersSheet, addPlansSheet, type ListRow } from './list-sheets.js';
import { newWorkbook } from './results-workbook.js';
import { addSummarySheet, differsFromBand } from './summary-sheet.js';
import type { RespondentWorkbookData } from './types.js';

export function buildRespondentWorkbook(data: RespondentWorkbookData): ExcelJS.Workbook {
  const wb = newWorkbook(data.survey.title);
  wb.created = wb.modified = new Date(`${data.survey.date}T00:00:00Z`);
  const own = data.participants.find((p) => p.cityCode === data.cityCode);
  const ownAnswers = own?.answers?.measures ?? {};
  addSummarySheet(wb, data.survey, data.results, {
    answers: ownAnswers,
    differs: own ? differsFromBand(data.results, own.bandIndex, ownAnswers) : new Set(),
  });
  addBreakdownSheet(wb, data.results);

  const view = disclosureView(data.survey.id, data.participants);
  const mask = (text: string) => maskNames(text, view.masks);
  const rows: ListRow[] = view.listed.map(({ record, displayName, anonymous }) => ({
    record,
    displayName,
    mask,
    bandLabel: anonymous ? '' : (data.results.bands[record.bandIndex]?.label ?? ''),
  }));
  const footnote =
    `回答団体 ${data.results.respondents} 団体のうち、市名を公表する団体は市名で、市名を伏せる団体は A市・B市 … で示します。` +
    (view.privateCount > 0 ? `公表しないと回答した ${view.privateCount} 団体は一覧に載せず、集計表にのみ含めています。` : '');
  addAnswersSheet(wb, data.results, rows, { audience: 'respondent', footnote });
  addPlansSheet(wb, rows, { audience: 'respondent', footnote });
  return wb;
}
