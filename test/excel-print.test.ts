// Workbooks that print (issue #13): the print set-up read back from the written files — A4, orientation, fit,
// print areas, repeated title rows and columns, manual page breaks, the survey title and page numbers, and row
// heights that hold wrapped Japanese text — and, where LibreOffice is installed, the pages of the PDF it prints.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuestionnaire } from '../exports/questionnaire.js';
import { buildRespondentWorkbook } from '../exports/respondent-workbook.js';
import { buildResultsWorkbook } from '../exports/results-workbook.js';
import { writeResultsWorkbook } from '../exports/results-workbook-stream.js';
import { workbookToBuffer } from '../exports/serialise.js';
import { cellText, MEASURES, participants, resultsFor, SURVEY } from './excel-fixtures.js';

const run = promisify(execFile);
const LONG_MEASURE = 'ユニバーサルデザインに基づいた機器・システム';
/** Two lines of 10 pt text need at least this many points (a line of 10 pt type is at least 14 pt apart). */
const TWO_LINES = 28;

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** The XML of a sheet, found by its name through workbook.xml and its relationships. */
async function sheetXml(buffer: Buffer, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const book = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const rId = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="([^"]+)"`).exec(book)![1];
  const target = new RegExp(`<Relationship [^>]*Id="${rId}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rId}"`).exec(rels)![1];
  return zip.file(`xl/${target.replace(/^\/?xl\//, '')}`)!.async('string');
}

/** The first row (or column) of each printed page after the first, from <rowBreaks>/<colBreaks> (a break's id is the last one before it). */
function pageStarts(xml: string, tag: 'rowBreaks' | 'colBreaks'): number[] {
  const element = new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`).exec(xml)?.[1] ?? '';
  return [...element.matchAll(/<brk [^>]*id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]) + 1);
}

function rowOf(ws: ExcelJS.Worksheet, col: number, text: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (cellText(ws.getCell(r, col)) === text) return r;
  throw new Error(`${ws.name}: no row with 「${text}」`);
}

const list = participants();
const results = resultsFor(list);
const organiserFile = () => workbookToBuffer(buildResultsWorkbook({ survey: SURVEY, results, participants: list }));
const respondentFile = () => workbookToBuffer(buildRespondentWorkbook({ survey: SURVEY, results, participants: list, cityCode: '272035' }));
async function streamedFile(): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await writeResultsWorkbook(out, SURVEY, results, (async function* () { yield list.slice(0, 3); yield list.slice(3); })());
  await ended;
  return Buffer.concat(chunks);
}
function questionnaireFile() {
  const toyonaka = list[1];
  return workbookToBuffer(buildQuestionnaire({
    survey: { id: 7, title: SURVEY.title, deadline: '2026-12-18', hostCityName: '西宮市' },
    city: { code: toyonaka.cityCode, name: toyonaka.cityName },
    measures: MEASURES,
    answers: toyonaka.answers!,
    signature: 'abc123',
    version: 3,
  }));
}

/** The first column of each category's measures in 回答一覧 (after the organiser's 13 columns of details). */
const categoryFirstColumns = (details: number) => MEASURES.flatMap((m, i) => (i === 0 || MEASURES[i - 1].category !== m.category ? [details + 1 + i] : []));

describe.each([
  ['in memory', organiserFile],
  ['streamed', streamedFile],
])('the organiser workbook (%s) prints', (_how, file) => {
  let buffer: Buffer;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    buffer = await file();
    wb = await load(buffer);
  });

  it('集計表: A4 landscape one page wide, title rows repeated, the table and its legend as print area, title and page numbers', () => {
    const ws = wb.getWorksheet('集計表')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:3' });
    const lastRow = rowOf(ws, 1, '回答団体数: 4（30万人未満の市 0、30万人以上50万人未満の市 3、50万人以上の市 1）。本市は集計に含みません。');
    expect(ws.pageSetup.printArea).toBe(`A1:H${lastRow}`);
    expect(ws.headerFooter.oddHeader).toContain('中核市情報化推進計画調査');
    expect(ws.headerFooter.oddFooter).toContain('&P / &N');
  });

  it('集計表: the long measure name has a row of two lines, a short one a row of one', () => {
    const ws = wb.getWorksheet('集計表')!;
    expect(ws.getRow(rowOf(ws, 2, LONG_MEASURE)).height).toBeGreaterThanOrEqual(TWO_LINES);
    expect(ws.getCell(rowOf(ws, 2, LONG_MEASURE), 2).alignment.wrapText).toBe(true);
    const short = ws.getRow(rowOf(ws, 2, 'ICTガバナンスの強化')).height;
    expect(short).toBeGreaterThanOrEqual(14);
    expect(short).toBeLessThan(TWO_LINES);
  });

  it('集計表: one page break inside the 46 measures, the legend after it, and the category named again at the head of page 2', async () => {
    const ws = wb.getWorksheet('集計表')!;
    const starts = pageStarts(await sheetXml(buffer, '集計表'), 'rowBreaks');
    expect(starts).toHaveLength(1);
    const [page2] = starts;
    expect(page2).toBeGreaterThan(4);
    expect(page2).toBeLessThanOrEqual(3 + MEASURES.length);
    expect(rowOf(ws, 1, '表中：')).toBeGreaterThan(page2);
    const measure = MEASURES[page2 - 4];
    expect(cellText(ws.getCell(page2, 1))).toBe(measure.category);
    expect(ws.getCell(page2, 1).master.address).toBe(`A${page2}`);
  });

  it('回答一覧: one row per city, printed at 90 % with a category of measures per page and the city columns repeated', async () => {
    const ws = wb.getWorksheet('回答一覧')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', scale: 90, printTitlesRow: '1:1', printTitlesColumn: 'A:B' });
    expect(ws.pageSetup.fitToPage).toBeFalsy();
    expect(ws.pageSetup.printArea).toBe(`A1:${ws.getColumn(13 + MEASURES.length).letter}${1 + list.length}`);
    const starts = pageStarts(await sheetXml(buffer, '回答一覧'), 'colBreaks');
    // every category starts a page
    for (const c of categoryFirstColumns(13)) expect(starts).toContain(c);
    // 地域 (16 measures) is too wide for one page: it takes two; the 13 columns of details take two pages too
    const chiiki = MEASURES.findIndex((m) => m.category === '地域') + 14;
    expect(starts.filter((c) => c > chiiki && c < chiiki + 16)).toHaveLength(1);
    expect(starts.filter((c) => c < 14)).toHaveLength(1);
    expect(starts).toHaveLength(6);
    // the header row holds the longest measure name wrapped in its narrow column (four characters a line: six lines)
    expect(ws.getRow(1).height).toBeGreaterThanOrEqual(6 * 14);
  });

  it('計画一覧: one page wide, grid lines printed, the long texts wrapped in rows tall enough', () => {
    const ws = wb.getWorksheet('計画一覧')!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1', showGridLines: true });
    expect(ws.pageSetup.printArea).toBe(`A1:L${ws.rowCount}`);
    const draft = rowOf(ws, 2, '奈良市');
    expect(cellText(ws.getCell(draft, 12))).toBe('一時保存中（未送信のため集計外）');
    expect(ws.getCell(draft, 12).alignment.wrapText).toBe(true);
    expect(ws.getRow(draft).height).toBeGreaterThanOrEqual(TWO_LINES);
  });

  it('内訳 and 回答状況: A4 landscape one page wide, titles repeated, print areas', () => {
    const breakdown = wb.getWorksheet('内訳')!;
    expect(breakdown.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:2', printArea: `A1:J${2 + MEASURES.length}` });
    expect(breakdown.getRow(rowOf(breakdown, 2, LONG_MEASURE)).height).toBeGreaterThanOrEqual(TWO_LINES);
    const progress = wb.getWorksheet('回答状況')!;
    expect(progress.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:1', printArea: `A1:I${list.length + 3}` });
  });
});

describe('the respondent workbook and the questionnaire print', () => {
  it('respondent: 集計表 with 貴市 has its legend lines in the print area; an empty 回答一覧 prints only its first page', async () => {
    const buffer = await respondentFile();
    const wb = await load(buffer);
    const summary = wb.getWorksheet('集計表')!;
    const note = rowOf(summary, 1, '貴市欄の太字・網掛け: 貴市と同じ人口区分で最も多い回答と異なる対策');
    expect(summary.pageSetup.printArea).toBe(`A1:I${note}`);
    expect(pageStarts(await sheetXml(buffer, '集計表'), 'rowBreaks')).toHaveLength(1);
    const answers = wb.getWorksheet('回答一覧')!;
    expect(answers.pageSetup).toMatchObject({ scale: 90, printTitlesColumn: 'A:A' });
    // nobody is listed (too few cities that may be named): the header, the first category and the reason print
    expect(cellText(answers.getCell(2, 1))).toBe('');
    const firstPageEnd = categoryFirstColumns(3)[1] - 1;
    expect(answers.pageSetup.printArea).toBe(`A1:${answers.getColumn(firstPageEnd).letter}3`);
    expect(pageStarts(await sheetXml(buffer, '回答一覧'), 'colBreaks')).toEqual([]);
    expect(answers.getCell(3, 1).master.address).toBe('A3');
    expect(answers.getCell(3, firstPageEnd).master.address).toBe('A3');
  });

  it('調査票: A4 portrait one page wide, the measure table header repeated, wrapped questions in rows tall enough', async () => {
    const wb = await load(await questionnaireFile());
    const ws = wb.getWorksheet('調査票')!;
    const header = rowOf(ws, 2, '対策');
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${header}:${header}` });
    expect(ws.pageSetup.printArea).toBe(`A1:D${rowOf(ws, 1, '質問は以上です。ご協力ありがとうございました。')}`);
    const disclosure = rowOf(ws, 1, '3-1');
    expect(ws.getRow(disclosure).height).toBeGreaterThanOrEqual(TWO_LINES);
    // the instructions wrap inside the page instead of running past column D
    const instruction = rowOf(ws, 1, '記入後、回答画面の「Excel の調査票で回答する」からこのファイルをアップロードすると、回答が一時保存されます。送信は回答画面で行ってください。');
    expect(ws.getCell(instruction, 1).alignment.wrapText).toBe(true);
    expect(ws.getRow(instruction).height).toBeGreaterThanOrEqual(TWO_LINES);
  });
});

// LibreOffice prints the workbooks to PDF; each page's header names its sheet (&A), so pages are counted per sheet.
const installed = (command: string, versionFlag: string) => run(command, [versionFlag]).then(() => true, () => false);
const soffice = (await installed('soffice', '--version')) && (await installed('pdfinfo', '-v'));
describe.skipIf(!soffice)('printed with LibreOffice', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'print-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The text of each printed page of a workbook. */
  async function printed(name: string, buffer: Buffer): Promise<string[]> {
    await writeFile(join(dir, `${name}.xlsx`), buffer);
    // a profile of its own, so that conversions running side by side do not wait on each other's lock
    await run('soffice', [`-env:UserInstallation=file://${join(dir, `profile-${name}`)}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, `${name}.xlsx`)], { timeout: 120_000 });
    const pdf = join(dir, `${name}.pdf`);
    const info = (await run('pdfinfo', [pdf])).stdout;
    const count = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const pages: string[] = [];
    for (let p = 1; p <= count; p++) pages.push((await run('pdftotext', ['-f', String(p), '-l', String(p), '-layout', pdf, '-'])).stdout);
    return pages;
  }
  const ofSheet = (pages: string[], sheet: string) => pages.filter((text) => text.trimStart().split('\n')[0].trimEnd().endsWith(sheet));

  it('the organiser 集計表 prints on 2 A4 pages: 46 measures in the default three bands, the legend with the last measures', async () => {
    const pages = await printed('organiser', await organiserFile());
    const summary = ofSheet(pages, '集計表');
    expect(summary).toHaveLength(2);
    expect(summary[0]).toContain('ICTガバナンスの強化');
    expect(summary[1]).toContain('メルマガの導入');
    expect(summary[1]).toContain('表中');
    expect(summary[1]).toContain('回答団体数');
    summary.forEach((page, i) => expect(page).toMatch(new RegExp(`${i + 1} / \\d+`)));
    // 回答一覧: the list of 7 cities is one page tall and seven wide (its column breaks), none overflowing
    const answers = ofSheet(pages, '回答一覧');
    expect(answers).toHaveLength(7);
    for (const page of answers) expect(page).toContain('西宮市（本市）');
    expect(ofSheet(pages, '計画一覧')).toHaveLength(1);
  }, 180_000);

  it('the respondent 集計表 (with 貴市) prints on 2 pages, and the questionnaire on 2', async () => {
    const respondent = await printed('respondent', await respondentFile());
    expect(ofSheet(respondent, '集計表')).toHaveLength(2);
    expect(ofSheet(respondent, '集計表')[1]).toContain('貴市欄の太字');
    expect(ofSheet(respondent, '回答一覧')).toHaveLength(1);
    const questionnaire = await printed('questionnaire', await questionnaireFile());
    expect(ofSheet(questionnaire, '調査票')).toHaveLength(2);
    expect(ofSheet(questionnaire, '調査票')[1]).toContain('実施状況');
  }, 180_000);
});
