// Roster import (団体名簿の取込): decodes a CSV (UTF-8 with/without BOM, or Shift_JIS as Japanese Excel saves
// it) or an .xlsx into rows, matches the headers loosely and lists every row's problems. No I/O, no database.
import { cityCodeProblem } from './city-code.js';
import { isEmail, normaliseKana } from './normalise.js';

export interface RosterRow {
  code: string;
  prefecture: string;
  name: string;
  population: number;
  populationDate: string | null;
  email: string | null;
  /** 市名カナ (katakana); undefined when the file has no such column (the roster keeps what it has) */
  nameKana?: string | null;
}

export interface ImportedRow {
  /** the row number as the spreadsheet shows it (the header is row 1) */
  rowNumber: number;
  raw: Record<RosterField, string>;
  /** null when the row has a problem */
  city: RosterRow | null;
  problems: string[];
}

export interface RosterImport {
  rows: ImportedRow[];
  /** problems with the file as a whole (unreadable, missing columns) */
  fileProblems: string[];
  encoding?: 'utf-8' | 'shift_jis' | 'xlsx';
}

export type RosterField = 'code' | 'prefecture' | 'name' | 'population' | 'populationDate' | 'email' | 'nameKana';

export const ROSTER_COLUMNS: Record<RosterField, string> = {
  code: '団体コード',
  prefecture: '都道府県',
  name: '市名',
  population: '人口',
  populationDate: '人口基準日',
  email: '照会先メールアドレス',
  nameKana: '市名カナ',
};

/** The columns of a roster export, in the order the import reads them back (CSV and .xlsx alike). */
export const ROSTER_EXPORT_FIELDS: RosterField[] = ['code', 'prefecture', 'name', 'nameKana', 'population', 'populationDate', 'email'];

/** One city as an export row, aligned with ROSTER_EXPORT_FIELDS (population as a number, the rest as text). */
export function rosterExportRow(c: { code: string; prefecture: string; name: string; name_kana: string | null; population: number; population_date: string | null; email: string | null }): Array<string | number> {
  const values: Record<RosterField, string | number> = {
    code: c.code,
    prefecture: c.prefecture,
    name: c.name,
    nameKana: c.name_kana ?? '',
    population: c.population,
    populationDate: c.population_date ?? '',
    email: c.email ?? '',
  };
  return ROSTER_EXPORT_FIELDS.map((f) => values[f]);
}

const HEADER_ALIASES: Record<RosterField, string[]> = {
  code: ['団体コード', '全国地方公共団体コード', '地方公共団体コード', 'コード'],
  prefecture: ['都道府県', '都道府県名'],
  name: ['市名', '団体名', '市区町村名', '市町村名'],
  population: ['人口', '人口(人)'],
  populationDate: ['人口基準日', '基準日'],
  email: ['照会先メールアドレス', 'メールアドレス', '照会先メール', 'メール', 'email', 'e-mail'],
  nameKana: ['市名カナ', '市名（カナ）', '団体名カナ', '市区町村名カナ', 'カナ', 'フリガナ', 'ふりがな', 'よみがな', '読み'],
};

/**
 * A city's reading as the roster keeps it: NFKC, then normaliseKana (half-width ｶﾅ and ひらがな → カタカナ), spaces removed;
 * null when empty; undefined when it is not a reading (only kana and ー).
 */
export function normaliseNameKana(input: string): string | null | undefined {
  const s = normaliseKana(input.normalize('NFKC')).replace(/ /g, '');
  if (s === '') return null;
  return /^[\u30a1-\u30f6ー]{1,50}$/.test(s) ? s : undefined;
}

/** NFKC (full-width → half-width), spaces removed, lower case: how headers and numbers are compared. */
export function loose(value: string): string {
  return value.normalize('NFKC').replace(/[\s\u3000]+/g, '').toLowerCase();
}

/** A roster lists cities (Japan has about 1,700 municipalities): a header and up to 5,000 rows of up to 30 columns. */
export const ROSTER_MAX_ROWS = 5_000;
export const ROSTER_MAX_COLUMNS = 30;

/** A problem with the file as a whole, in Japanese, for the person who uploaded it. */
export class RosterFileProblem extends Error {}

const tooManyRows = () => new RosterFileProblem(`行が多すぎるため読み取りませんでした（見出しのほか ${ROSTER_MAX_ROWS.toLocaleString('en-US')} 行まで）。団体の行だけを残して保存し直してください。`);
const tooManyColumns = (row: number) => new RosterFileProblem(`${row} 行目の列が多すぎるため読み取りませんでした（${ROSTER_MAX_COLUMNS} 列まで）。必要な列だけを残して保存し直してください。`);

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks, CRLF or LF. With limits, throws RosterFileProblem beyond them. */
export function parseCsv(text: string, limits?: { maxRows: number; maxColumns: number }): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
    if (limits && row.length > limits.maxColumns) throw tooManyColumns(rows.length + 1);
  };
  const endRow = () => {
    rows.push(row);
    row = [];
    if (limits && rows.length > limits.maxRows) throw tooManyRows();
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    endField();
    endRow();
  }
  return rows;
}

const ERAS: Array<[RegExp, number]> = [
  [/^(令和|r)/, 2018],
  [/^(平成|h)/, 1988],
  [/^(昭和|s)/, 1925],
];

/** '2020-10-01', '2020/10/1', '2020年10月1日', '令和2年10月1日', 'R2.10.1', '令和元年…' → 'YYYY-MM-DD', else null. */
export function parseRosterDate(input: string): string | null {
  let s = loose(input).replace(/元年/, '1年');
  let yearOffset = 0;
  for (const [era, offset] of ERAS) {
    if (era.test(s)) {
      s = s.replace(era, '');
      yearOffset = offset;
      break;
    }
  }
  const m = /^(\d{1,4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]) + yearOffset, Number(m[2]), Number(m[3])];
  if (yearOffset === 0 && m[1].length !== 4) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** '１２３，４５６人' → 123456; null when it is not a whole number. */
export function parsePopulation(input: string): number | null {
  const s = loose(input).replace(/[,，、人]/g, '');
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}


function matchHeaders(header: string[]): { columns: Partial<Record<RosterField, number>>; missing: RosterField[] } {
  const columns: Partial<Record<RosterField, number>> = {};
  header.forEach((h, i) => {
    const key = loose(h);
    for (const field of Object.keys(HEADER_ALIASES) as RosterField[]) {
      if (columns[field] === undefined && HEADER_ALIASES[field].some((a) => loose(a) === key)) columns[field] = i;
    }
  });
  const required: RosterField[] = ['code', 'prefecture', 'name', 'population'];
  return { columns, missing: required.filter((f) => columns[f] === undefined) };
}

/** Checks every data row; problems are Japanese sentences. */
export function checkRosterRows(table: string[][]): RosterImport {
  const headerIndex = table.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerIndex < 0) return { rows: [], fileProblems: ['ファイルにデータがありません'] };
  const { columns, missing } = matchHeaders(table[headerIndex]);
  if (missing.length > 0) {
    return {
      rows: [],
      fileProblems: [`1 行目（見出し）に次の列が見つかりません: ${missing.map((f) => ROSTER_COLUMNS[f]).join('、')}`],
    };
  }
  const firstRow = new Map<string, number>();
  const rows: ImportedRow[] = [];
  table.forEach((cells, i) => {
    if (i <= headerIndex || cells.every((c) => c.trim() === '')) return;
    const rowNumber = i + 1;
    const get = (f: RosterField) => (columns[f] === undefined ? '' : (cells[columns[f]!] ?? '').trim());
    const raw = { code: get('code'), prefecture: get('prefecture'), name: get('name'), population: get('population'), populationDate: get('populationDate'), email: get('email'), nameKana: get('nameKana') };
    const problems: string[] = [];
    let code = loose(raw.code);
    if (/^\d{5}$/.test(code)) code = `0${code}`; // Excel drops the leading zero of 北海道・青森県 codes
    const codeProblem = cityCodeProblem(code);
    if (codeProblem) problems.push(codeProblem);
    else if (firstRow.has(code)) problems.push(`団体コード「${code}」が ${firstRow.get(code)} 行目と重複しています`);
    else firstRow.set(code, rowNumber);
    const name = raw.name.normalize('NFKC');
    const prefecture = raw.prefecture.normalize('NFKC');
    if (name === '') problems.push('市名が空です');
    else if (name.length > 100) problems.push('市名が長すぎます（100 文字まで）');
    if (prefecture === '') problems.push('都道府県が空です');
    else if (prefecture.length > 10) problems.push('都道府県が長すぎます（10 文字まで）');
    const population = parsePopulation(raw.population);
    if (population === null) problems.push(`人口「${raw.population}」が数値ではありません`);
    const populationDate = raw.populationDate === '' ? null : parseRosterDate(raw.populationDate);
    if (raw.populationDate !== '' && populationDate === null) problems.push(`人口基準日「${raw.populationDate}」を日付として読み取れません（例: 令和2年10月1日、2020年10月1日）`);
    const email = raw.email === '' ? null : raw.email.normalize('NFKC');
    if (email !== null && !isEmail(email)) problems.push(`照会先メールアドレス「${raw.email}」の形式が正しくありません`);
    const nameKana = columns.nameKana === undefined ? undefined : normaliseNameKana(raw.nameKana);
    if (columns.nameKana !== undefined && nameKana === undefined) problems.push(`市名カナ「${raw.nameKana}」はカタカナまたはひらがなで入力してください`);
    rows.push({
      rowNumber,
      raw,
      problems,
      city: problems.length === 0 ? { code, prefecture, name, population: population!, populationDate, email, ...(columns.nameKana === undefined ? {} : { nameKana }) } : null,
    });
  });
  if (rows.length === 0) return { rows, fileProblems: ['見出しの下にデータの行がありません'] };
  return { rows, fileProblems: [] };
}

export function importIsClean(result: RosterImport): boolean {
  return result.fileProblems.length === 0 && result.rows.every((r) => r.problems.length === 0);
}
