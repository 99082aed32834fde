// The questionnaire workbook (調査票.xlsx) prefilled with a city's current answers: instructions on top,
// 質問1–3, the measure table (answer in the same row as the measure), dropdowns on exact cells, labels
// locked, input cells unlocked, and a hidden sheet naming the survey and city with the platform's signature.
import type { Cell, DataValidation, Worksheet } from 'exceljs';
import { formatDeadline } from '../server/domain/deadlines.js';
import { answerLabel, disclosureLabel, latestNumberLabel, nextPlanLabel } from './format.js';
import {
  COL,
  FORMAT_ID,
  MEASURE_CHOICES,
  MEASURES_HEADING,
  META_SHEET,
  QUESTION_GROUPS,
  QUESTIONNAIRE_SHEET,
  type Question,
} from './questionnaire-layout.js';
import { newWorkbook } from './results-workbook.js';
import { type CellInput, put } from './safe-cell.js';
import { FILLS, headerCell, styleCell, TITLE_FONT } from './styles.js';
import type { ResponseAnswers } from './types.js';

export interface QuestionnaireData {
  survey: { id: number; title: string; deadline: string; deadlineGregorian?: boolean; hostCityName: string };
  city: { code: string; name: string };
  measures: Array<{ code: string; category: string; label: string }>;
  answers: ResponseAnswers;
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

function prefill(q: Question, a: ResponseAnswers): CellInput {
  switch (q.path) {
    case '/contact/department': return a.contact.department;
    case '/contact/personKana': return a.contact.personKana;
    case '/contact/phone': return a.contact.phone;
    case '/contact/email': return a.contact.email;
    case '/plan/hasPlan': return a.plan.hasPlan === null ? null : a.plan.hasPlan ? '計画あり' : '計画なし';
    case '/plan/name': return a.plan.name;
    case '/plan/latestNumber': return latestNumberLabel(a.plan.latestNumber);
    case '/plan/updateCycleYears': return a.plan.updateCycleIrregular ? '不定期' : a.plan.updateCycleYears;
    case '/plan/periodStart': return a.plan.periodStart;
    case '/plan/periodEnd': return a.plan.periodEnd;
    case '/plan/nextPlan': return nextPlanLabel(a.plan.nextPlan);
    case '/plan/notes': return a.plan.notes;
    case '/disclosure': return disclosureLabel(a.disclosure);
    default: return null;
  }
}

function inputCell(cell: Cell, validation?: DataValidation): void {
  styleCell(cell, { fill: FILLS.input, wrap: true });
  cell.protection = { locked: false };
  if (validation) cell.dataValidation = validation;
}

const INSTRUCTIONS = [
  '【記入方法】黄色のセルに記入してください（それ以外のセルは変更できないよう保護しています）。',
  '選択式のセル（▼）は一覧から選んでください。対策の実施状況は「実施済」「検討中」「未実施」のいずれかです。',
  '記入後、回答画面の「Excel で回答」からこのファイルをアップロードすると、回答が一時保存されます。送信は回答画面で行ってください。',
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

export function buildQuestionnaire(data: QuestionnaireData) {
  const wb = newWorkbook(`${data.survey.title} 調査票`);
  const ws: Worksheet = wb.addWorksheet(QUESTIONNAIRE_SHEET, { properties: { defaultRowHeight: 18 } });
  ws.getColumn(COL.id).width = 12;
  ws.getColumn(COL.label).width = 56;
  ws.getColumn(COL.code).width = 7;
  ws.getColumn(COL.answer).width = 30;

  put(ws, 1, 1, '情報化計画の策定状況に関する調査票').font = TITLE_FONT;
  styleCell(put(ws, 2, 1, `${data.survey.title}\u3000照会元: ${data.survey.hostCityName}\u3000回答期限: ${formatDeadline({ deadline: data.survey.deadline, deadline_gregorian: data.survey.deadlineGregorian })}`), { border: false });
  INSTRUCTIONS.forEach((text, i) => {
    styleCell(put(ws, 3 + i, 1, text), { border: false });
    ws.mergeCells(3 + i, 1, 3 + i, 4);
  });
  styleCell(put(ws, 6, 1, `このファイルは ${data.city.name}（団体コード ${data.city.code}）専用です。シート名や行・列を変更しないでください。`), { border: false, bold: true });
  ws.mergeCells(6, 1, 6, 4);

  let row = 8;
  QUESTION_GROUPS.forEach((group, g) => {
    styleCell(put(ws, row, 1, group.heading), { bold: true, border: false });
    ws.mergeCells(row, 1, row, 4);
    row++;
    if (g === 0) {
      styleCell(put(ws, row, COL.id, '1-1'), { center: true });
      styleCell(put(ws, row, COL.label, '市名'));
      styleCell(put(ws, row, COL.answer, data.city.name));
      row++;
    }
    for (const q of group.questions) {
      styleCell(put(ws, row, COL.id, q.id), { center: true });
      styleCell(put(ws, row, COL.label, q.label), { wrap: true });
      const cell = put(ws, row, COL.answer, prefill(q, data.answers));
      inputCell(cell, q.choices ? listValidation(Object.keys(q.choices), q.label) : undefined);
      if (q.label.length > 30) ws.getRow(row).height = 30;
      row++;
    }
    row++;
  });

  styleCell(put(ws, row, 1, MEASURES_HEADING), { bold: true, border: false });
  ws.mergeCells(row, 1, row, 4);
  row++;
  const headerRow = row;
  ['分類', '対策', '番号', '実施状況'].forEach((h, i) => headerCell(put(ws, row, i + 1, h)));
  row++;
  const measureValidation = listValidation(Object.keys(MEASURE_CHOICES), '実施状況');
  for (const m of data.measures) {
    styleCell(put(ws, row, COL.id, m.category), { wrap: true });
    styleCell(put(ws, row, COL.label, m.label), { wrap: true });
    styleCell(put(ws, row, COL.code, m.code), { center: true });
    inputCell(put(ws, row, COL.answer, answerLabel(data.answers.measures[m.code])), measureValidation);
    row++;
  }
  styleCell(put(ws, row + 1, 1, '質問は以上です。ご協力ありがとうございました。'), { border: false });

  ws.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${headerRow}:${headerRow}` };
  void ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  addMetaSheet(data, wb);
  return wb;
}
