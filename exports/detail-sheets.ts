// 内訳 (実施済 and 検討中 per band per measure) and 回答状況 (invited, mailed, opened, saved, submitted).
import type { Workbook, Worksheet } from 'exceljs';
import { put } from './safe-cell.js';
import { rowHeight, SINGLE_LINE_ROW } from './print-layout.js';
import { DATE_TIME_FORMAT, headerCell, jstDate, setPrintArea, setupSheet, styleCell } from './styles.js';
import { SUMMARY_WIDTHS } from './summary-sheet.js';
import type { ParticipantRecord, ResultsData } from './types.js';

/** 内訳's columns per band: 実施済 and 検討中. */
const PAIR_WIDTH = 9;

export function addBreakdownSheet(wb: Workbook, results: ResultsData, title: string): void {
  const ws = wb.addWorksheet('内訳');
  ws.getColumn(1).width = SUMMARY_WIDTHS.category;
  ws.getColumn(2).width = SUMMARY_WIDTHS.label;
  const groups = [...results.bands.map((b) => b.label), '合計'];
  headerCell(put(ws, 1, 1, '分類'));
  headerCell(put(ws, 1, 2, '対策'));
  ws.mergeCells(1, 1, 2, 1);
  ws.mergeCells(1, 2, 2, 2);
  groups.forEach((label, g) => {
    const col = 3 + g * 2;
    headerCell(put(ws, 1, col, label));
    ws.mergeCells(1, col, 1, col + 1);
    headerCell(put(ws, 2, col, '実施済'));
    headerCell(put(ws, 2, col + 1, '検討中'));
    ws.getColumn(col).width = PAIR_WIDTH;
    ws.getColumn(col + 1).width = PAIR_WIDTH;
  });
  ws.getRow(1).height = rowHeight(groups.map((text) => ({ text, width: PAIR_WIDTH * 2 })), 2);
  ws.getRow(2).height = SINGLE_LINE_ROW;
  results.measures.forEach((m, i) => {
    const row = 3 + i;
    ws.getRow(row).height = rowHeight([{ text: m.category, width: SUMMARY_WIDTHS.category }, { text: m.label, width: SUMMARY_WIDTHS.label }]);
    styleCell(put(ws, row, 1, m.category), { wrap: true });
    styleCell(put(ws, row, 2, m.label), { wrap: true });
    const pairs = [...m.counts.map((c) => [c.implemented, c.studying]), [m.implemented, m.studying]];
    pairs.forEach(([implemented, studying], g) => {
      styleCell(put(ws, row, 3 + g * 2, implemented), { center: true });
      styleCell(put(ws, row, 4 + g * 2, studying), { center: true });
    });
  });
  setupSheet(ws, { title, headerRows: 2, frozenColumns: 2 });
  setPrintArea(ws, 2 + results.measures.length, 2 + groups.length * 2);
}

const STATUS_LABELS: Record<ParticipantRecord['status'], string> = { not_started: '未回答', draft: '一時保存', submitted: '送信済' };
export const statusLabel = (s: ParticipantRecord['status']) => STATUS_LABELS[s];

export const PROGRESS_LAYOUT = {
  name: '回答状況',
  headers: ['団体コード', '市名', '都道府県', '依頼の発行', '依頼メールの送信', '回答画面を開いた日時', '回答状況', '最終保存', '送信日時'],
  widths: [10, 12, 10, 17, 17, 17, 10, 17, 17],
  frozenColumns: 2,
};

export function putProgressHeader(ws: Worksheet): void {
  PROGRESS_LAYOUT.headers.forEach((h, i) => {
    headerCell(put(ws, 1, i + 1, h));
    ws.getColumn(i + 1).width = PROGRESS_LAYOUT.widths[i];
  });
  ws.getRow(1).height = rowHeight(PROGRESS_LAYOUT.headers.map((text, i) => ({ text, width: PROGRESS_LAYOUT.widths[i] })), 2);
}

/** One row of 回答状況 (styled cells: the list is one row per participant, small enough). */
export function putProgressRow(ws: Worksheet, row: number, p: ParticipantRecord): void {
  const values = [
    p.cityCode,
    p.isHost ? `${p.cityName}（本市）` : p.cityName,
    p.prefecture,
    jstDate(p.invitedAt),
    jstDate(p.mailedAt),
    jstDate(p.openedAt),
    statusLabel(p.status),
    jstDate(p.updatedAt),
    jstDate(p.submittedAt),
  ];
  values.forEach((v, c) => styleCell(put(ws, row, c + 1, v), { numFmt: v instanceof Date ? DATE_TIME_FORMAT : undefined }));
}

/** The line under 回答状況's list. */
export function putProgressSummary(ws: Worksheet, row: number, participants: number, submitted: number): void {
  styleCell(put(ws, row, 1, `照会先 ${participants} 団体（本市を含む）、送信済 ${submitted} 団体`), { border: false });
}

export function addProgressSheet(wb: Workbook, participants: ParticipantRecord[], title: string): void {
  const ws = wb.addWorksheet(PROGRESS_LAYOUT.name);
  putProgressHeader(ws);
  participants.forEach((p, i) => putProgressRow(ws, 2 + i, p));
  putProgressSummary(ws, participants.length + 3, participants.length, participants.filter((p) => p.status === 'submitted').length);
  setupSheet(ws, { title, headerRows: 1, frozenColumns: PROGRESS_LAYOUT.frozenColumns });
  setPrintArea(ws, participants.length + 3, PROGRESS_LAYOUT.headers.length);
}
