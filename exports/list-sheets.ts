// 回答一覧 (one row per city with every answer) and 計画一覧 (the plans), for the organiser (every
// participant, contact details and disclosure shown) or for a respondent (only what disclosure allows).
// On paper 回答一覧 keeps one row per city and splits its columns: the city's details, then a category of
// measures per page, the city columns repeated (transposed, cities as columns, it would no longer be a list
// to sort and filter, nor could it be streamed city by city). 計画一覧 fits one page wide, its texts wrapped.
// The answer columns are the field table's (domain/response-fields.ts), each with its header and width.
import type { Style, Workbook, Worksheet } from 'exceljs';
import { statusLabel } from './detail-sheets.js';
import type { ResponseAnswers } from '../server/domain/response.js';
import { companionValue, type FieldKind, fieldValue, type ListColumn, RESPONSE_FIELDS, type ResponseFieldSpec } from '../server/domain/response-fields.js';
import { answerLabel, hasPlanLabel, latestNumberLabel, periodSeireki, periodWareki, updateCycleLabel } from './format.js';
import { setColumnPageStarts } from './page-breaks.js';
import { type ColumnGroup, columnPageStarts, displayWidth, printableArea, rowHeight, SINGLE_LINE_ROW, type WrappedCell } from './print-layout.js';
import { type CellInput, put } from './safe-cell.js';
import { DATE_TIME_FORMAT, headerCell, jstDate, setPrintArea, sheetSetup, styleCell } from './styles.js';
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
  /** the survey's title, printed in the page header */
  title: string;
}

// Body cells stay unstyled (the workbook's default font is 游ゴシック, see serialise.ts): a style per cell is
// what makes a 1,800-city list slow to write. Only dates get a format, texts wider than their column wrap, and
// the cells of a row made taller by a wrapped text keep to the top so the row reads across. The styles are shared
// objects: exceljs recognises a style object it has seen and skips resolving it again for every cell.
const TOP = Object.freeze({ vertical: 'top' as const });
const PLAIN_STYLE: Partial<Style> = Object.freeze({});
const TOP_STYLE: Partial<Style> = Object.freeze({ alignment: TOP });
const WRAP_STYLE: Partial<Style> = Object.freeze({ alignment: Object.freeze({ vertical: 'top' as const, wrapText: true }) });
const DATE_STYLE: Partial<Style> = Object.freeze({ numFmt: DATE_TIME_FORMAT });
const DATE_TOP_STYLE: Partial<Style> = Object.freeze({ numFmt: DATE_TIME_FORMAT, alignment: TOP });

/**
 * Writes one body row: a text wider than its column wraps, and the row is given the height of its longest
 * wrapped text (rows of one line keep the default height).
 */
export function putBodyRow(ws: Worksheet, row: number, values: CellInput[], layout: TableLayout): void {
  const cells = values.map((v, c) => put(ws, row, c + 1, v));
  const wrapped: WrappedCell[] = [];
  const wraps = cells.map((cell, c) => {
    const text = typeof cell.value === 'string' ? cell.value : '';
    const width = layout.widths[c] ?? 10;
    // (most cells are short: a text of n characters is at most 2n units wide, so only longer ones are measured)
    if (text.length * 2 <= width || displayWidth(text) <= width) return false;
    wrapped.push({ text, width });
    return true;
  });
  const height = wrapped.length > 0 ? rowHeight(wrapped) : SINGLE_LINE_ROW;
  const tall = height > SINGLE_LINE_ROW;
  if (tall) ws.getRow(row).height = height;
  cells.forEach((cell, c) => {
    const date = values[c] instanceof Date;
    cell.style = wraps[c] ? WRAP_STYLE : date ? (tall ? DATE_TOP_STYLE : DATE_STYLE) : tall ? TOP_STYLE : PLAIN_STYLE;
  });
}

export interface TableLayout {
  name: string;
  headers: string[];
  widths: number[];
  /** frozen on screen, and repeated on every printed page when the list prints across pages */
  frozenColumns: number;
  /** fit to one page wide, or a scale (%) with the pages breaking before `columnPageStarts` */
  fit: 'width' | number;
  columnPageStarts: number[];
}

/** The print set-up of a list: A4 landscape, the header row repeated, the frozen columns too when it spans pages. */
export function listSetup(layout: TableLayout, title: string) {
  const across = layout.fit !== 'width';
  return sheetSetup({ title, headerRows: 1, frozenColumns: layout.frozenColumns, fit: layout.fit, repeatedColumns: across ? layout.frozenColumns : 0, gridLines: true });
}

/** The header row of a list (row 1), column widths and its height. */
export function putTableHeader(ws: Worksheet, layout: TableLayout): void {
  layout.headers.forEach((h, i) => {
    headerCell(put(ws, 1, i + 1, h));
    ws.getColumn(i + 1).width = layout.widths[i] ?? 10;
  });
  ws.getRow(1).height = rowHeight(layout.headers.map((text, i) => ({ text, width: layout.widths[i] ?? 10 })), 2);
}

/** The line under a list, wrapped across the columns of its first printed page. */
export function putFootnote(ws: Worksheet, row: number, text: string, layout: TableLayout): void {
  const lastColumn = (layout.columnPageStarts[0] ?? layout.headers.length + 1) - 1;
  styleCell(put(ws, row, 1, text), { border: false, wrap: true });
  ws.mergeCells(row, 1, row, lastColumn);
  ws.getRow(row).height = rowHeight([{ text, width: layout.widths.slice(0, lastColumn).reduce((a, b) => a + b, 0) }]);
}

function writeTable(wb: Workbook, layout: TableLayout, rows: CellInput[][], opts: ListOptions): void {
  const ws = wb.addWorksheet(layout.name);
  putTableHeader(ws, layout);
  rows.forEach((values, r) => putBodyRow(ws, r + 2, values, layout));
  if (opts.footnote) putFootnote(ws, rows.length + 3, opts.footnote, layout);
  Object.assign(ws, listSetup(layout, opts.title));
  // a list with nobody in it (a respondent's, withheld) prints its first page only: the header and the reason
  const lastColumn = rows.length > 0 ? layout.headers.length : (layout.columnPageStarts[0] ?? layout.headers.length + 1) - 1;
  setColumnPageStarts(ws, layout.columnPageStarts.filter((c) => c <= lastColumn));
  setPrintArea(ws, rows.length + (opts.footnote ? 3 : 1), lastColumn);
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

/** 回答一覧 prints at this scale, a category of measures per page (the city columns repeated on each). */
export const ANSWERS_PRINT_SCALE = 90;

export function answersLayout(results: ResultsData, audience: ListOptions['audience'], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): TableLayout {
  const organiser = audience === 'organiser';
  const columns = fieldColumns('answers', audience, fields);
  const fixed = [...(organiser ? ['団体コード', '市名', '都道府県', '人口', '人口区分', '回答状況', '送信日時'] : ['市名', '人口区分']), ...columns.map((c) => c.column.header)];
  const fixedWidths = [...(organiser ? [9, 14, 9, 10, 24, 9, 16] : [11, 12]), ...columns.map((c) => c.column.width)];
  const frozenColumns = organiser ? 2 : 1;
  const widths = [...fixedWidths, ...results.measures.map(() => ANSWERS_MEASURE_WIDTH)];
  // On paper: the city's details, then one category of measures per page, each with the city columns repeated.
  const groups: ColumnGroup[] = [{ first: frozenColumns + 1, last: fixed.length, shareWithNext: true }];
  results.measures.forEach((m, i) => {
    const col = fixed.length + 1 + i;
    if (i > 0 && results.measures[i - 1].category === m.category) groups[groups.length - 1].last = col;
    else groups.push({ first: col, last: col });
  });
  const pageWidth = (printableArea('landscape').width * 100) / ANSWERS_PRINT_SCALE;
  return {
    name: '回答一覧',
    headers: [...fixed, ...results.measures.map((m) => m.label)],
    widths,
    frozenColumns,
    fit: ANSWERS_PRINT_SCALE,
    columnPageStarts: columnPageStarts(widths, groups, { pageWidth, repeatedColumns: frozenColumns }),
  };
}

/** A measure's column in 回答一覧: 実施済 fits, and the measure's name wraps four characters a line in the header. */
const ANSWERS_MEASURE_WIDTH = 9;

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
  // narrow enough to print on one landscape page at a readable scale: long texts wrap (the rows grow)
  const widths = [...(organiser ? [9] : []), 11, ...columns.map((c) => c.column.width), ...(organiser ? [16] : [])];
  return { name: '計画一覧', headers, widths, frozenColumns: organiser ? 2 : 1, fit: 'width', columnPageStarts: [] };
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
