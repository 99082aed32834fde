// Reads a filled 調査票 workbook back into a response input (raw strings, normalised later by the domain)
// and reports each problem with its sheet and cell, e.g. 「調査票!D12: 「実施中」は選択肢にありません」.
// Rows are found by their question number (column A) and measure code (column C), not by fixed positions.
import type { Cell, Workbook, Worksheet } from 'exceljs';
import type { FieldError } from '../server/domain/errors.js';
import type { ResponseInput } from '../server/domain/response.js';
import { fieldLocation } from '../server/domain/response-fields.js';
import { COL, FORMAT_ID, MEASURE_CHOICES, META_SHEET, QUESTION_GROUPS, type QuestionGroup, QUESTIONNAIRE_SHEET } from './questionnaire-layout.js';
import { unsafeTextBack } from './safe-cell.js';

export interface ParsedQuestionnaire {
  surveyId: number | null;
  cityCode: string | null;
  signature: string | null;
  input: ResponseInput;
  /** JSON pointer of each answer → the cell it came from (to report the domain's errors by cell) */
  cells: Record<string, string>;
  errors: FieldError[];
}

/** A cell's text as the user sees it: rich text joined, hyperlinks (Excel links e-mail addresses) as their text, formulas as their result. */
export function cellText(cell: Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return unsafeTextBack(v).trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('').trim();
    if (o.text !== undefined) return typeof o.text === 'string' ? o.text.trim() : cellText({ value: o.text } as Cell);
    if ('result' in o) return o.result === undefined || o.result === null ? '' : cellText({ value: o.result } as Cell);
    if (o.error) return o.error;
  }
  return String(v);
}

export const cellRef = (cell: Cell) => `${QUESTIONNAIRE_SHEET}!${cell.address}`;
export const cellError = (ref: string, message: string): FieldError => ({ path: ref, message: `${ref}: ${message}` });

function readMeta(wb: Workbook) {
  const meta = wb.getWorksheet(META_SHEET);
  const values: Record<string, string> = {};
  meta?.eachRow((row) => {
    values[cellText(row.getCell(1))] = cellText(row.getCell(2));
  });
  const surveyId = /^[0-9]{1,10}$/.test(values.surveyId ?? '') ? Number(values.surveyId) : null;
  return { format: values.format ?? null, surveyId, cityCode: values.cityCode || null, signature: values.signature || null };
}

function findRows(ws: Worksheet, col: number): Map<string, number> {
  const rows = new Map<string, number>();
  ws.eachRow((row, n) => {
    const key = cellText(row.getCell(col));
    if (key && !rows.has(key)) rows.set(key, n);
  });
  return rows;
}

function setPath(input: ResponseInput, path: string, value: unknown): void {
  const { group, key } = fieldLocation(path);
  if (group === null) (input as Record<string, unknown>)[key] = value;
  else ((input as Record<string, Record<string, unknown>>)[group] ??= {})[key] = value;
}

export function parseQuestionnaire(wb: Workbook, measures: Array<{ code: string; label: string }>, groups: QuestionGroup[] = QUESTION_GROUPS): ParsedQuestionnaire {
  const meta = readMeta(wb);
  const result: ParsedQuestionnaire = { surveyId: meta.surveyId, cityCode: meta.cityCode, signature: meta.signature, input: {}, cells: {}, errors: [] };
  const ws = wb.getWorksheet(QUESTIONNAIRE_SHEET);
  if (!ws || meta.format !== FORMAT_ID) {
    const message = 'このファイルはこのシステムの調査票ではありません。回答画面から調査票（Excel）をダウンロードして記入してください';
    result.errors.push({ path: ws ? `${META_SHEET}!B1` : QUESTIONNAIRE_SHEET, message });
    return result;
  }

  const questionRows = findRows(ws, COL.id);
  for (const q of groups.flatMap((g) => g.questions)) {
    const rowNumber = questionRows.get(q.id);
    if (!rowNumber) {
      result.errors.push({ path: QUESTIONNAIRE_SHEET, message: `${QUESTIONNAIRE_SHEET}: 質問 ${q.id}（${q.label}）の行が見つかりません` });
      continue;
    }
    const cell = ws.getCell(rowNumber, COL.answer);
    const ref = cellRef(cell);
    const text = cellText(cell);
    result.cells[q.path] = ref;
    if (q.choices) {
      if (text === '') setPath(result.input, q.path, null);
      else if (text in q.choices) setPath(result.input, q.path, q.choices[text]);
      else result.errors.push(cellError(ref, `「${text}」は選択肢にありません（${Object.keys(q.choices).join(' / ')} から選んでください）`));
    } else if (q.field.companion) {
      // 更新頻度: a number of years, or 不定期 (its companion)
      const companion = q.path.replace(/[^/]+$/, q.field.companion.key);
      const irregular = text === '不定期';
      setPath(result.input, companion, irregular);
      setPath(result.input, q.path, irregular || text === '' ? null : text);
      result.cells[companion] = ref;
    } else {
      setPath(result.input, q.path, text === '' ? null : text);
    }
  }

  const measureRows = findRows(ws, COL.code);
  const answers: Record<string, string | null> = {};
  for (const m of measures) {
    const rowNumber = measureRows.get(m.code);
    if (!rowNumber) {
      result.errors.push({ path: QUESTIONNAIRE_SHEET, message: `${QUESTIONNAIRE_SHEET}: 対策「${m.label}」の行が見つかりません` });
      continue;
    }
    const cell = ws.getCell(rowNumber, COL.answer);
    const ref = cellRef(cell);
    const text = cellText(cell);
    result.cells[`/measures/${m.code}`] = ref;
    if (text === '') answers[m.code] = null;
    else if (text in MEASURE_CHOICES) answers[m.code] = MEASURE_CHOICES[text];
    else result.errors.push(cellError(ref, `「${text}」は選択肢にありません（実施済 / 検討中 / 未実施 から選んでください）`));
  }
  result.input.measures = answers;
  return result;
}
