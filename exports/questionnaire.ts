// The questionnaire workbook (調査票.xlsx) prefilled with a city's current answers: instructions on top,
// 質問1–3, the measure table (answer in the same row as the measure), dropdowns on exact cells, labels
// locked, input cells unlocked, and a hidden sheet naming the survey and city with the platform's signature.
// On paper: A4 portrait, one page wide, rows as tall as their wrapped texts, a question group or the heading of
// the measure table never parted from what follows, the table's header repeated on every page.
import type { Cell, DataValidation, Worksheet } from 'exceljs';
import type { ResponseAnswers } from '../server/domain/response.js';
import { companionValue, type FieldKind, fieldValue } from '../server/domain/response-fields.js';
import { answerLabel, latestNumberLabel } from './format.js';
import { formatDeadline } from '../server/domain/deadlines.js';
import {
  COL,
  FORMAT_ID,
  MEASURE_CHOICES,
  MEASURES_HEADING,
  META_SHEET,
  QUESTION_GROUPS,
  QUESTIONNAIRE_SHEET,
  type Question,
  type QuestionGroup,
} from './questionnaire-layout.js';
import { newWorkbook } from './results-workbook.js';
import { type CellInput, put } from './safe-cell.js';
import { printableArea, type PrintRow, rowHeight, rowPageStarts, SINGLE_LINE_ROW, type WrappedCell } from './print-layout.js';
import { FILLS, headerCell, setPrintArea, setRowPageStarts, sheetSetup, styleCell, TITLE_FONT } from './styles.js';
import type { PlanAnswers, WorkbookAnswers } from './types.js';

export interface QuestionnaireData {
  survey: { id: number; title: string; deadline: string; deadlineGregorian?: boolean; hostCityName: string };
  city: { code: string; name: string };
  measures: Array<{ code: string; category: string; label: string }>;
  answers: WorkbookAnswers;
  /** the platform's signature of survey id, city code and version (verified on upload) */
  signature: string;
  /** the response's version the answers were read at: an upload made from an older download is refused */
  version: number;
}

function listValidation(choices: string[], title: string): DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${choices.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: title,
    error: `一覧から選んでください: ${choices.join(' / ')}`,
  };
}

const choiceLabel = (q: Question, value: unknown) => q.field.choices?.find((c) => c.value === value)?.label ?? null;

/** Each kind's stored value as the sheet shows it: a number stays a number (年度 as 西暦, 更新頻度 in years). */
const PREFILL: Record<FieldKind, (q: Question, value: unknown, a: WorkbookAnswers) => CellInput> = {
  text: (_q, v) => v as string,
  yesNo: choiceLabel,
  choice: choiceLabel,
  latestNumber: (_q, v) => latestNumberLabel(v as PlanAnswers['latestNumber']),
  updateCycle: (q, v, a) => (companionValue(a as ResponseAnswers, q.field) ? '不定期' : (v as number | null)),
  year: (_q, v) => v as number | null,
};

function prefill(q: Question, a: WorkbookAnswers): CellInput {
  return PREFILL[q.kind](q, fieldValue(a as ResponseAnswers, q.path), a);
}

function inputCell(cell: Cell, validation?: DataValidation): void {
  styleCell(cell, { fill: FILLS.input, wrap: true });
  cell.protection = { locked: false };
  if (validation) cell.dataValidation = validation;
}

const INSTRUCTIONS = [
  '【記入方法】黄色のセルに記入してください（それ以外のセルは変更できないよう保護しています）。',
  '選択式のセル（▼）は一覧から選んでください。対策の実施状況は「実施済」「検討中」「未実施」のいずれかです。',
  '記入後、回答画面の「Excel の調査票で回答する」からこのファイルをアップロードすると、回答が一時保存されます。送信は回答画面で行ってください。',
];

function addMetaSheet(data: QuestionnaireData, wb: ReturnType<typeof newWorkbook>): void {
  const meta = wb.addWorksheet(META_SHEET, { state: 'hidden' });
  const rows: CellInput[][] = [
    ['format', FORMAT_ID],
    ['surveyId', data.survey.id],
    ['cityCode', data.city.code],
    ['signature', data.signature],
    ['note', 'この調査票を識別する情報です。変更しないでください。'],
    ['version', data.version],
  ];
  rows.forEach((r, i) => r.forEach((v, c) => put(meta, i + 1, c + 1, v)));
  // protect() does its work synchronously (no password: nothing to hash); the promise carries nothing.
  void meta.protect('', { selectLockedCells: true, selectUnlockedCells: true });
}

/** Column widths of 調査票: 番号/分類, 質問/対策, 対策コード, 回答. */
const WIDTHS = { [COL.id]: 12, [COL.label]: 56, [COL.code]: 7, [COL.answer]: 30 } as Record<number, number>;
const SHEET_WIDTH = WIDTHS[COL.id] + WIDTHS[COL.label] + WIDTHS[COL.code] + WIDTHS[COL.answer];

const cellText = (v: CellInput) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function buildQuestionnaire(data: QuestionnaireData, groups: QuestionGroup[] = QUESTION_GROUPS) {
  const wb = newWorkbook(`${data.survey.title} 調査票`);
  const ws: Worksheet = wb.addWorksheet(QUESTIONNAIRE_SHEET, { properties: { defaultRowHeight: SINGLE_LINE_ROW } });
  for (const [col, width] of Object.entries(WIDTHS)) ws.getColumn(Number(col)).width = width;
  // every row's printed height, and whether it must stay on the page of the row before (a heading with its table)
  const printRows: PrintRow[] = [];
  const height = (row: number, cells: WrappedCell[], keepWithPrevious = false) => {
    ws.getRow(row).height = rowHeight(cells);
    printRows[row - 1] = { height: ws.getRow(row).height, keepWithPrevious };
  };
  /** A line of text across the whole sheet (A:D), wrapped. */
  const line = (row: number, text: string, opts: { bold?: boolean; fontSize?: number } = {}) => {
    const cell = styleCell(put(ws, row, 1, text), { border: false, bold: opts.bold, wrap: true });
    if (opts.fontSize) cell.font = TITLE_FONT;
    ws.mergeCells(row, 1, row, 4);
    height(row, [{ text, width: SHEET_WIDTH, fontSize: opts.fontSize }]);
  };

  line(1, '情報化計画の策定状況に関する調査票', { fontSize: TITLE_FONT.size });
  line(2, `${data.survey.title}\u3000照会元: ${data.survey.hostCityName}\u3000回答期限: ${formatDeadline({ deadline: data.survey.deadline, deadline_gregorian: data.survey.deadlineGregorian })}`);
  INSTRUCTIONS.forEach((text, i) => line(3 + i, text));
  line(6, `このファイルは ${data.city.name}（団体コード ${data.city.code}）専用です。シート名や行・列を変更しないでください。`, { bold: true });
  height(7, []);

  let row = 8;
  groups.forEach((group, g) => {
    line(row, group.heading, { bold: true });
    row++;
    if (g === 0) {
      styleCell(put(ws, row, COL.id, '1-1'), { center: true });
      styleCell(put(ws, row, COL.label, '市名'));
      styleCell(put(ws, row, COL.answer, data.city.name));
      height(row, [], true);
      row++;
    }
    for (const q of group.questions) {
      styleCell(put(ws, row, COL.id, q.id), { center: true });
      styleCell(put(ws, row, COL.label, q.label), { wrap: true });
      const answer = prefill(q, data.answers);
      const cell = put(ws, row, COL.answer, answer);
      inputCell(cell, q.choices ? listValidation(Object.keys(q.choices), q.label) : undefined);
      height(row, [{ text: q.label, width: WIDTHS[COL.label] }, { text: cellText(answer), width: WIDTHS[COL.answer] }], true);
      row++;
    }
    height(row, []);
    row++;
  });

  line(row, MEASURES_HEADING, { bold: true });
  row++;
  const headerRow = row;
  ['分類', '対策', '番号', '実施状況'].forEach((h, i) => headerCell(put(ws, row, i + 1, h)));
  height(row, [], true);
  row++;
  const measureValidation = listValidation(Object.keys(MEASURE_CHOICES), '実施状況');
  data.measures.forEach((m, i) => {
    styleCell(put(ws, row, COL.id, m.category), { wrap: true });
    styleCell(put(ws, row, COL.label, m.label), { wrap: true });
    styleCell(put(ws, row, COL.code, m.code), { center: true });
    inputCell(put(ws, row, COL.answer, answerLabel(data.answers.measures[m.code])), measureValidation);
    // the heading and the table's header never end a page without the first measures under them
    height(row, [{ text: m.category, width: WIDTHS[COL.id] }, { text: m.label, width: WIDTHS[COL.label] }], i < 2);
    row++;
  });
  height(row, []);
  line(row + 1, '質問は以上です。ご協力ありがとうございました。');

  const setup = sheetSetup({ title: data.survey.title, orientation: 'portrait', headerRows: headerRow, printTitleFrom: headerRow });
  ws.pageSetup = setup.pageSetup;
  ws.headerFooter = setup.headerFooter;
  setPrintArea(ws, row + 1, COL.answer);
  const starts = rowPageStarts(printRows, { pageHeight: printableArea('portrait').height, firstPageTop: 0, repeatedHeight: ws.getRow(headerRow).height });
  setRowPageStarts(ws, starts.map((i) => i + 1));
  void ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  addMetaSheet(data, wb);
  return wb;
}
