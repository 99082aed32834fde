// 回答一覧 (one row per city with every answer) and 計画一覧 (the plans), for the organiser (every
// participant, contact details and disclosure shown) or for a respondent (only what disclosure allows).
// The answer columns are the field table's (domain/response-fields.ts), each with its header and width.
import type { Style, Workbook, Worksheet } from 'exceljs';
import { statusLabel } from './detail-sheets.js';
import type { ResponseAnswers } from '../server/domain/response.js';
import { companionValue, type FieldKind, fieldValue, type ListColumn, RESPONSE_FIELDS, type ResponseFieldSpec } from '../server/domain/response-fields.js';
import { answerLabel, hasPlanLabel, latestNumberLabel, periodSeireki, periodWareki, updateCycleLabel } from './format.js';
import { type CellInput, put } from './safe-cell.js';
import { DATE_TIME_FORMAT, headerCell, jstDate, setupSheet, styleCell } from './styles.js';
import type { ParticipantRecord, PlanAnswers, ResultsData, WorkbookAnswers } from './types.js';

export interface ListRow {
  record: ParticipantRecord;
  /** the name shown (a respondent sees A市, B市 … for anonymous cities) */
  displayName: string;
  /** applied to every free text of this row (masks hidden cities' names in a respondent's workbook) */
  mask: (text: string) => string;
  /** band label, or '' when it must not be shown */
  bandLabel: string;
}

export interface ListOptions {
  audience: 'organiser' | 'respondent';
  /** a line under the list, e.g. how many private cities are counted but not listed */
  footnote?: string;
}

// Body cells stay unstyled (the workbook's default font is 游ゴシック, see serialise.ts): a style per cell is
// what makes a 1,800-city list slow to write. Only dates get a format and long texts wrapping. The three styles
// are shared objects: exceljs recognises a style object it has seen and skips resolving it again for every cell.
const PLAIN_STYLE: Partial<Style> = Object.freeze({});
const WRAP_STYLE: Partial<Style> = Object.freeze({ alignment: Object.freeze({ vertical: 'middle' as const, wrapText: true }) });
const DATE_STYLE: Partial<Style> = Object.freeze({ numFmt: DATE_TIME_FORMAT });

/** Writes one body cell: unstyled, except dates (a number format) and long texts (wrapping). */
export function putBodyCell(ws: Worksheet, row: number, col: number, v: CellInput): void {
  put(ws, row, col, v).style = v instanceof Date ? DATE_STYLE : typeof v === 'string' && v.length > 12 ? WRAP_STYLE : PLAIN_STYLE;
}

export interface TableLayout {
  name: string;
  headers: string[];
  widths: number[];
  frozenColumns: number;
}

/** The header row of a list (row 1), column widths and its height. */
export function putTableHeader(ws: Worksheet, layout: TableLayout): void {
  layout.headers.forEach((h, i) => {
    headerCell(put(ws, 1, i + 1, h));
    ws.getColumn(i + 1).width = layout.widths[i] ?? 10;
  });
  ws.getRow(1).height = 60;
}

function writeTable(wb: Workbook, layout: TableLayout, rows: CellInput[][], opts: ListOptions): void {
  const ws = wb.addWorksheet(layout.name);
  putTableHeader(ws, layout);
  rows.forEach((values, r) => values.forEach((v, c) => putBodyCell(ws, r + 2, c + 1, v)));
  if (opts.footnote) styleCell(put(ws, rows.length + 3, 1, opts.footnote), { border: false });
  setupSheet(ws, { headerRows: 1, frozenColumns: layout.frozenColumns });
}

/** A column of a list that shows a field of the table (domain/response-fields.ts). */
interface FieldColumn {
  field: ResponseFieldSpec;
  column: ListColumn;
}

/** A list's field columns for an audience, in table order, the lead ones first. */
export function fieldColumns(sheet: 'answers' | 'plans', audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): FieldColumn[] {
  const columns = fields.flatMap((field) => {
    const spec: ListColumn | readonly ListColumn[] | undefined = field.lists?.[sheet];
    const list: readonly ListColumn[] = spec === undefined ? [] : 'header' in spec ? [spec] : spec;
    return list.filter((c) => audience === 'organiser' || !c.organiserOnly).map((column) => ({ field, column }));
  });
  return [...columns.filter((c) => c.column.lead), ...columns.filter((c) => !c.column.lead)];
}

const choiceLabel = (f: ResponseFieldSpec, value: unknown) => f.choices?.find((c) => c.value === value)?.label ?? '';

/** Each kind's value as a list cell. */
const CELLS: Record<FieldKind, (f: ResponseFieldSpec, value: unknown, a: WorkbookAnswers) => CellInput> = {
  text: (_f, v) => (v as string | undefined) ?? '',
  yesNo: (_f, v) => hasPlanLabel((v ?? null) as boolean | null),
  choice: choiceLabel,
  latestNumber: (_f, v) => latestNumberLabel((v ?? null) as PlanAnswers['latestNumber']),
  updateCycle: (f, v, a) => updateCycleLabel({ updateCycleYears: (v ?? null) as number | null, updateCycleIrregular: companionValue(a as ResponseAnswers, f) === true }),
  year: (_f, v) => (v ?? '') as CellInput,
};
const FORMATS: Record<NonNullable<ListColumn['format']>, (a: WorkbookAnswers) => CellInput> = {
  periodWareki: (a) => periodWareki(a.plan),
  periodSeireki: (a) => periodSeireki(a.plan),
};

/** A field column's cell: '' when there are no answers to show. */
function fieldCell({ field, column }: FieldColumn, a: WorkbookAnswers | null | undefined): CellInput {
  if (!a) return '';
  return column.format ? FORMATS[column.format](a) : CELLS[field.kind](field, fieldValue(a as ResponseAnswers, field.path), a);
}

export function answersLayout(results: ResultsData, audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): TableLayout {
  const organiser = audience === 'organiser';
  const columns = fieldColumns('answers', audience, fields);
  const fixed = organiser ? ['団体コード', '市名', '都道府県', '人口', '人口区分', '回答状況', '送信日時'] : ['市名', '人口区分'];
  const widths = organiser ? [9, 11, 9, 10, 14, 9, 16] : [11, 14];
  return {
    name: '回答一覧',
    headers: [...fixed, ...columns.map((c) => c.column.header), ...results.measures.map((m) => m.label)],
    widths: [...widths, ...columns.map((c) => c.column.width), ...results.measures.map(() => 8)],
    frozenColumns: organiser ? 2 : 1,
  };
}

/** One row of 回答一覧. */
export function answersRow(results: ResultsData, { record: p, displayName, mask, bandLabel }: ListRow, audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): CellInput[] {
  const a = p.answers;
  const fixed: CellInput[] =
    audience === 'organiser'
      ? [p.cityCode, p.isHost ? `${p.cityName}（本市）` : p.cityName, p.prefecture, p.population, bandLabel, statusLabel(p.status), jstDate(p.submittedAt)]
      : [displayName, bandLabel];
  const head = [...fixed, ...fieldColumns('answers', audience, fields).map((c) => fieldCell(c, a))];
  return [...head.map((v) => (typeof v === 'string' ? mask(v) : v)), ...results.measures.map((m) => answerLabel(a?.measures[m.code]))];
}

export function addAnswersSheet(wb: Workbook, results: ResultsData, rows: ListRow[], opts: ListOptions): void {
  writeTable(wb, answersLayout(results, opts.audience), rows.map((row) => answersRow(results, row, opts.audience)), opts);
}

/** 計画一覧's 回答の状態: only submitted answers are plans the results count; a draft is marked and its plan left out. */
function planStatus(p: ParticipantRecord): string {
  return p.status === 'submitted' ? '送信済み' : '一時保存中（未送信のため集計外）';
}

/** Cities that have not saved anything have no plan to list. */
export const listedInPlans = (row: ListRow) => row.record.status !== 'not_started';

export function plansLayout(audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): TableLayout {
  const organiser = audience === 'organiser';
  const columns = fieldColumns('plans', audience, fields);
  const headers = [...(organiser ? ['団体コード'] : []), '市名', ...columns.map((c) => c.column.header), ...(organiser ? ['回答の状態'] : [])];
  const widths = [...(organiser ? [9] : []), 11, ...columns.map((c) => c.column.width), ...(organiser ? [32] : [])];
  return { name: '計画一覧', headers, widths, frozenColumns: organiser ? 2 : 1 };
}

/** One row of 計画一覧: only submitted answers are shown (a draft is marked, its plan left out). */
export function plansRow({ record: p, displayName, mask }: ListRow, audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): CellInput[] {
  const organiser = audience === 'organiser';
  const a = p.status === 'submitted' ? p.answers : null;
  const values: CellInput[] = [
    ...(organiser ? [p.cityCode] : []),
    displayName,
    ...fieldColumns('plans', audience, fields).map((c) => fieldCell(c, a)),
    ...(organiser ? [planStatus(p)] : []),
  ];
  return values.map((v) => (typeof v === 'string' ? mask(v) : v));
}

export function addPlansSheet(wb: Workbook, allRows: ListRow[], opts: ListOptions): void {
  writeTable(wb, plansLayout(opts.audience), allRows.filter(listedInPlans).map((row) => plansRow(row, opts.audience)), opts);
}
