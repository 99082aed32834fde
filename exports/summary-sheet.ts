// The 集計表 sheet, laid out like the published table: title, the rate's formula line, one header row,
// one row per measure (分類 merged down its measures), band counts, 総数, 本市, the rate as a fraction
// formatted 0.00%, and the legend 「表中： 実施済 検討中」 with the fills it explains.
import type { Workbook } from 'exceljs';
import type { Answer } from '../server/domain/glossary.js';
import { answerLabel, japaneseDate } from './format.js';
import { put } from './safe-cell.js';
import { FILLS, headerCell, setupSheet, styleCell, TITLE_FONT } from './styles.js';
import type { ResultsData, SurveyInfo } from './types.js';

export const SUMMARY_SHEET = '集計表';
export const SUMMARY_HEADER_ROW = 3;

export interface OwnColumn {
  answers: Record<string, Answer>;
  /** measure codes where the city's answer differs from the most common answer of its band */
  differs: Set<string>;
}

const fillFor = (answer: Answer | null | undefined) =>
  answer === 'implemented' ? FILLS.implemented : answer === 'studying' ? FILLS.studying : undefined;

export function addSummarySheet(wb: Workbook, survey: SurveyInfo, results: ResultsData, own?: OwnColumn): void {
  const ws = wb.addWorksheet(SUMMARY_SHEET, { properties: { defaultRowHeight: 18 } });
  const bands = results.bands;
  const firstBand = 3;
  const totalCol = firstBand + bands.length;
  const hostCol = totalCol + 1;
  const ownCol = own ? hostCol + 1 : 0;
  const rateCol = (own ? ownCol : hostCol) + 1;

  ws.getColumn(1).width = 10;
  ws.getColumn(2).width = 34;
  for (let c = firstBand; c < totalCol; c++) ws.getColumn(c).width = 12;
  ws.getColumn(totalCol).width = 8;
  ws.getColumn(hostCol).width = 9;
  if (own) ws.getColumn(ownCol).width = 9;
  ws.getColumn(rateCol).width = 11;

  const when = survey.edition ? `第${survey.edition}版、${japaneseDate(survey.date)}公表` : japaneseDate(survey.date);
  put(ws, 1, 1, `${survey.title}（${when}）`).font = TITLE_FONT;
  ws.mergeCells(1, 1, 1, rateCol);
  styleCell(put(ws, 2, 1, `実施・検討率:「総数」/${results.denominator}*100`), { border: false });
  ws.mergeCells(2, 1, 2, 2);
  headerCell(put(ws, 2, firstBand, '対応中核市'));
  ws.mergeCells(2, firstBand, 2, totalCol);

  const headers = ['分類', '対策', ...bands.map((b) => b.label), '総数', '本市', ...(own ? ['貴市'] : []), '実施・検討率(%)'];
  headers.forEach((h, i) => headerCell(put(ws, SUMMARY_HEADER_ROW, i + 1, h)));
  ws.getRow(SUMMARY_HEADER_ROW).height = 42;

  let row = SUMMARY_HEADER_ROW + 1;
  let categoryStart = row;
  results.measures.forEach((m, i) => {
    const next = results.measures[i + 1];
    put(ws, row, 1, m.category);
    styleCell(ws.getCell(row, 1), { wrap: true, center: true });
    styleCell(put(ws, row, 2, m.label), { wrap: true });
    m.counts.forEach((c, b) => styleCell(put(ws, row, firstBand + b, c.total), { center: true }));
    styleCell(put(ws, row, totalCol, m.total), { center: true });
    styleCell(put(ws, row, hostCol, m.host === 'none' ? null : answerLabel(m.host)), { center: true, fill: fillFor(m.host) });
    if (own) {
      const answer = own.answers[m.code];
      const differs = own.differs.has(m.code);
      styleCell(put(ws, row, ownCol, answerLabel(answer)), { center: true, bold: differs, fill: differs ? FILLS.differs : undefined });
    }
    styleCell(put(ws, row, rateCol, m.ratePercent === null ? null : Math.round(m.ratePercent * 100) / 10000), { center: true, numFmt: '0.00%' });
    if (!next || next.category !== m.category) {
      if (row > categoryStart) ws.mergeCells(categoryStart, 1, row, 1);
      categoryStart = row + 1;
    }
    row++;
  });

  row++;
  styleCell(put(ws, row, 1, '表中：'), { border: false });
  styleCell(put(ws, row, 2, '実施済'), { fill: FILLS.implemented, center: true });
  styleCell(put(ws, row, 3, '検討中'), { fill: FILLS.studying, center: true });
  row++;
  const perBand = bands.map((b) => `${b.label} ${b.respondents}`).join('、');
  styleCell(put(ws, row, 1, `回答団体数: ${results.respondents}（${perBand}）。本市は集計に含みません。`), { border: false });
  if (own) {
    row++;
    styleCell(put(ws, row, 1, '貴市欄の太字・網掛け: 貴市と同じ人口区分で最も多い回答と異なる対策'), { border: false, bold: true });
  }

  setupSheet(ws, { headerRows: SUMMARY_HEADER_ROW, frozenColumns: 2, printTitleFrom: 2 });
}

/** The measures where a city's answer differs from the most common answer in its band (ties: any of the most common). */
export function differsFromBand(results: ResultsData, bandIndex: number, answers: Record<string, Answer>): Set<string> {
  const differs = new Set<string>();
  const respondents = results.bands[bandIndex]?.respondents ?? 0;
  if (respondents === 0) return differs;
  for (const m of results.measures) {
    const answer = answers[m.code];
    const c = m.counts[bandIndex];
    if (!answer || !c) continue;
    const counts: Record<Answer, number> = { implemented: c.implemented, studying: c.studying, none: respondents - c.total };
    const most = Math.max(counts.implemented, counts.studying, counts.none);
    if (counts[answer] < most) differs.add(m.code);
  }
  return differs;
}
