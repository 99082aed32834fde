// The 集計表 sheet, laid out like the published table: title, the rate's formula line, one header row,
// one row per measure (分類 merged down its measures), band counts, 総数, 本市, the rate as a fraction
// formatted 0.00%, and the legend 「表中： 実施済 検討中」 with the fills it explains. Row heights fit the wrapped
// measure names, and the pages break where the title rows and the legend print with the table (2 A4 pages for 46).
import type { Workbook } from 'exceljs';
import type { Answer } from '../server/domain/glossary.js';
import { answerLabel, japaneseDate } from './format.js';
import { put } from './safe-cell.js';
import { type Orientation, printableArea, type PrintRow, rowHeight, rowPageStarts, SINGLE_LINE_ROW } from './print-layout.js';
import { FILLS, headerCell, setPrintArea, setRowPageStarts, setupSheet, styleCell, TITLE_FONT } from './styles.js';
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

/** Column widths of 集計表 (Excel units): 分類, 対策, each band, 総数, 本市, 貴市 (a respondent's), 実施・検討率. */
export const SUMMARY_WIDTHS = { category: 12, label: 42, band: 13, total: 8, host: 9, own: 9, rate: 11 };

/**
 * Where 集計表's pages break: the measure rows (index into results.measures) that start a new printed page.
 * A page holds the title rows and as many measures as fit; a category never leaves a single measure alone at the
 * foot or the head of a page, and the legend stays with the last measures.
 */
/** `top`: the rows above the measures on the first page; `repeated`: the title rows printed again on every later page. */
export function summaryPageStarts(heights: { top: number; repeated: number; measures: number[]; legend: number[] }, results: ResultsData, orientation: Orientation = 'landscape'): number[] {
  const m = results.measures;
  const rows: PrintRow[] = heights.measures.map((height, i) => {
    const sameBefore = i > 0 && m[i - 1].category === m[i].category;
    const secondOfCategory = sameBefore && (i < 2 || m[i - 2].category !== m[i].category);
    const lastOfCategory = sameBefore && m[i + 1]?.category !== m[i].category;
    return { height, keepWithPrevious: secondOfCategory || lastOfCategory };
  });
  for (const height of heights.legend) rows.push({ height, keepWithPrevious: true });
  return rowPageStarts(rows, { pageHeight: printableArea(orientation).height, firstPageTop: heights.top, repeatedHeight: heights.repeated }).filter((i) => i < m.length);
}

export function addSummarySheet(wb: Workbook, survey: SurveyInfo, results: ResultsData, own?: OwnColumn): void {
  const ws = wb.addWorksheet(SUMMARY_SHEET, { properties: { defaultRowHeight: SINGLE_LINE_ROW } });
  const bands = results.bands;
  const W = SUMMARY_WIDTHS;
  const firstBand = 3;
  const totalCol = firstBand + bands.length;
  const hostCol = totalCol + 1;
  const ownCol = own ? hostCol + 1 : 0;
  const rateCol = (own ? ownCol : hostCol) + 1;

  const widths = [W.category, W.label, ...bands.map(() => W.band), W.total, W.host, ...(own ? [W.own] : []), W.rate];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const tableWidth = widths.reduce((a, b) => a + b, 0);

  const when = survey.edition ? `第${survey.edition}版、${japaneseDate(survey.date)}公表` : japaneseDate(survey.date);
  const title = `${survey.title}（${when}）`;
  put(ws, 1, 1, title).font = TITLE_FONT;
  ws.getCell(1, 1).alignment = { vertical: 'middle', wrapText: true };
  ws.mergeCells(1, 1, 1, rateCol);
  ws.getRow(1).height = rowHeight([{ text: title, width: tableWidth, fontSize: TITLE_FONT.size }]);
  styleCell(put(ws, 2, 1, `実施・検討率:「総数」/${results.denominator}*100`), { border: false });
  ws.mergeCells(2, 1, 2, 2);
  headerCell(put(ws, 2, firstBand, '対応中核市'));
  ws.mergeCells(2, firstBand, 2, totalCol);
  ws.getRow(2).height = SINGLE_LINE_ROW;

  const headers = ['分類', '対策', ...bands.map((b) => b.label), '総数', '本市', ...(own ? ['貴市'] : []), '実施・検討率(%)'];
  headers.forEach((h, i) => headerCell(put(ws, SUMMARY_HEADER_ROW, i + 1, h)));
  ws.getRow(SUMMARY_HEADER_ROW).height = rowHeight(headers.map((text, i) => ({ text, width: widths[i] })), 2);

  // A category of one measure has one row for its name too.
  const alone = (i: number) => results.measures[i - 1]?.category !== results.measures[i].category && results.measures[i + 1]?.category !== results.measures[i].category;
  const measureHeights = results.measures.map((m, i) => rowHeight([{ text: m.label, width: W.label }, ...(alone(i) ? [{ text: m.category, width: W.category }] : [])]));
  const perBand = bands.map((b) => `${b.label} ${b.respondents}`).join('、');
  const legend = [
    { text: '' },
    { text: '表中：' },
    { text: `回答団体数: ${results.respondents}（${perBand}）。本市は集計に含みません。` },
    ...(own ? [{ text: '貴市欄の太字・網掛け: 貴市と同じ人口区分で最も多い回答と異なる対策', bold: true }] : []),
  ];
  const legendHeights = legend.map((l) => rowHeight([{ text: l.text, width: tableWidth }]));
  const pageStarts = new Set(
    summaryPageStarts({ top: ws.getRow(1).height + ws.getRow(2).height + ws.getRow(SUMMARY_HEADER_ROW).height, repeated: ws.getRow(2).height + ws.getRow(SUMMARY_HEADER_ROW).height, measures: measureHeights, legend: legendHeights }, results),
  );

  let row = SUMMARY_HEADER_ROW + 1;
  let categoryStart = row;
  results.measures.forEach((m, i) => {
    const next = results.measures[i + 1];
    ws.getRow(row).height = measureHeights[i];
    // the category is named again at the head of a page that continues it
    if (row === categoryStart) put(ws, row, 1, m.category);
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
    if (!next || next.category !== m.category || pageStarts.has(i + 1)) {
      if (row > categoryStart) ws.mergeCells(categoryStart, 1, row, 1);
      categoryStart = row + 1;
    }
    row++;
  });
  setRowPageStarts(ws, [...pageStarts].map((i) => SUMMARY_HEADER_ROW + 1 + i));

  ws.getRow(row).height = legendHeights[0];
  row++;
  ws.getRow(row).height = legendHeights[1];
  styleCell(put(ws, row, 1, legend[1].text), { border: false });
  styleCell(put(ws, row, 2, '実施済'), { fill: FILLS.implemented, center: true });
  styleCell(put(ws, row, 3, '検討中'), { fill: FILLS.studying, center: true });
  legend.slice(2).forEach((line, i) => {
    row++;
    ws.getRow(row).height = legendHeights[2 + i];
    styleCell(put(ws, row, 1, line.text), { border: false, bold: line.bold, wrap: true });
    ws.mergeCells(row, 1, row, rateCol);
  });

  setupSheet(ws, { title: survey.title, headerRows: SUMMARY_HEADER_ROW, frozenColumns: 2, printTitleFrom: 2 });
  setPrintArea(ws, row, rateCol);
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
