// The organiser's results workbook is written as a stream (issue #15). What a person sees when opening it must be
// what the in-memory builder (buildResultsWorkbook, covered by excel-results.test.ts) makes from the same data:
// the same sheets, cells, styles, merges, widths, heights, frozen panes and print settings, 游ゴシック as the
// default font, and the lists in the same order (the host city first) even when they span several pages.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResultsWorkbook } from '../exports/results-workbook.js';
import { workbookToBuffer } from '../exports/serialise.js';
import { organiserResultsWorkbookFile } from '../server/services/workbook-stream.js';
import { organiserWorkbookData } from '../server/services/workbooks.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

const NOW = new Date('2026-12-10T03:00:00Z');
const HOST = '282049';

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let measureCodes: string[];

async function readXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true, clock: () => NOW });
  auth = await loginOrganiser(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 'ストリーミング書き出しの確認調査', hostCityCode: HOST, deadline: '2026-12-18' } });
  surveyId = created.json().id;
  measureCodes = created.json().measures.map((m: { code: string }) => m.code);
  const cities = ['012025', '012041', '022012', '272035', '282014', '282022', '292010'];
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/participants`, headers: auth, payload: { cityCodes: cities } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'open' } });
  const invitations = (await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: auth, payload: { cityCodes: [HOST, ...cities.slice(0, 5)] } })).json();
  const token = (city: string) => invitations.find((i: { cityCode: string }) => i.cityCode === city).token;
  const body = (seed: number, notes: string) => ({
    contact: { department: '総務部 情報政策課 情報システム担当', personKana: 'ジョウホウ タロウ', phone: '06-6858-2525', email: `joho${seed}@city.example.lg.jp` },
    plan: { hasPlan: true, name: `第${seed}次情報化推進計画（デジタル・トランスフォーメーション推進）`, latestNumber: `第${seed}次`, updateCycleYears: 5, periodStart: 2016, periodEnd: 2020, nextPlan: 'update', notes },
    disclosure: (['public', 'anonymous', 'private'] as const)[seed % 3],
    measures: Object.fromEntries(measureCodes.map((c, i) => [c, (['implemented', 'studying', 'none'] as const)[(i + seed) % 3]])),
  });
  // the host and three cities submit, one keeps a draft, one opens nothing, two are not invited
  for (const [i, city] of [HOST, '012025', '022012', '282014'].entries()) {
    const headers = { authorization: `Bearer ${token(city)}` };
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: { ...body(i + 1, i === 2 ? '=SUM(A1) 次期計画は策定中' : ''), version: 0 } })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers })).statusCode).toBe(200);
  }
  const draft = { authorization: `Bearer ${token('012041')}` };
  expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: draft, payload: { ...body(5, ''), version: 0 } })).statusCode).toBe(200);
});
afterAll(() => ctx.close());

// As downloaded, and written from pages of two cities so that this small survey's lists span several pages.
describe.each([
  ['downloaded', undefined],
  ['written from pages of two cities', 2],
])('the streamed organiser workbook (%s) shows what the in-memory workbook shows', (_how, pageSize) => {
  let streamed: ExcelJS.Workbook;
  let inMemory: ExcelJS.Workbook;
  let streamedBytes: Buffer;

  beforeAll(async () => {
    if (pageSize === undefined) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results.xlsx`, headers: auth });
      expect(res.statusCode).toBe(200);
      streamedBytes = res.rawPayload;
    } else {
      streamedBytes = (await organiserResultsWorkbookFile(ctx.database.db, surveyId, NOW, { pageSize })).buffer;
    }
    streamed = await readXlsx(streamedBytes);
    inMemory = await readXlsx(await workbookToBuffer(buildResultsWorkbook(await organiserWorkbookData(ctx.database.db, surveyId, NOW))));
  });

  it('has the same sheets in the same order, and the same title and dates', () => {
    expect(streamed.worksheets.map((ws) => ws.name)).toEqual(['集計表', '内訳', '回答一覧', '計画一覧', '回答状況']);
    expect(streamed.worksheets.map((ws) => ws.name)).toEqual(inMemory.worksheets.map((ws) => ws.name));
    expect(streamed.title).toBe('ストリーミング書き出しの確認調査');
    expect(streamed.creator).toBe(inMemory.creator);
    expect(streamed.created).toEqual(inMemory.created);
  });

  it('every cell has the same value and the same look', () => {
    for (const expected of inMemory.worksheets) {
      const actual = streamed.getWorksheet(expected.name)!;
      expect(actual.rowCount, expected.name).toBe(expected.rowCount);
      expect(actual.columnCount, expected.name).toBe(expected.columnCount);
      for (let r = 1; r <= expected.rowCount; r++) {
        for (let c = 1; c <= expected.columnCount; c++) {
          const want = expected.getCell(r, c);
          const got = actual.getCell(r, c);
          const where = `${expected.name}!${want.address}`;
          expect(got.value, where).toEqual(want.value);
          expect({ font: got.font, fill: got.fill, border: got.border, alignment: got.alignment, numFmt: got.numFmt }, where).toEqual({
            font: want.font,
            fill: want.fill,
            border: want.border,
            alignment: want.alignment,
            numFmt: want.numFmt,
          });
        }
        expect(actual.getRow(r).height, `${expected.name} row ${r}`).toBe(expected.getRow(r).height);
      }
    }
  });

  it('has the same merged cells, column widths, frozen panes and print settings', () => {
    for (const expected of inMemory.worksheets) {
      const actual = streamed.getWorksheet(expected.name)!;
      expect([...(actual.model.merges ?? [])].sort(), expected.name).toEqual([...(expected.model.merges ?? [])].sort());
      for (let c = 1; c <= expected.columnCount; c++) expect(actual.getColumn(c).width, `${expected.name} column ${c}`).toBe(expected.getColumn(c).width);
      expect(actual.views, expected.name).toEqual(expected.views);
      const print = (ws: ExcelJS.Worksheet) => {
        const { paperSize, orientation, fitToPage, fitToWidth, fitToHeight, scale, pageOrder, printArea, printTitlesRow, printTitlesColumn, horizontalCentered, showGridLines, margins } = ws.pageSetup;
        return {
          paperSize, orientation, fitToPage, fitToWidth, fitToHeight, scale, pageOrder, printArea, printTitlesRow, printTitlesColumn, horizontalCentered, showGridLines, margins,
          header: ws.headerFooter.oddHeader,
          footer: ws.headerFooter.oddFooter,
        };
      };
      expect(print(actual), expected.name).toEqual(print(expected));
      expect(actual.properties.defaultRowHeight, expected.name).toBe(expected.properties.defaultRowHeight);
    }
  });

  it('breaks the printed pages at the same rows and columns (集計表 between its measures, 回答一覧 by category)', async () => {
    const breaks = async (bytes: Buffer) => {
      const zip = await JSZip.loadAsync(bytes);
      const found: string[] = [];
      for (let n = 1; n <= 5; n++) {
        const xml = await zip.file(`xl/worksheets/sheet${n}.xml`)!.async('string');
        found.push([...xml.matchAll(/<(rowBreaks|colBreaks)[^>]*>.*?<\/\1>/g)].map((m) => m[0]).join(''));
      }
      return found;
    };
    const inMemoryBytes = await workbookToBuffer(buildResultsWorkbook(await organiserWorkbookData(ctx.database.db, surveyId, NOW)));
    const expected = await breaks(inMemoryBytes);
    expect(expected[0]).toContain('<rowBreaks');
    expect(expected[2]).toContain('<colBreaks');
    expect(await breaks(streamedBytes)).toEqual(expected);
  });

  it('lists the host city first, then the others in city-code order, with the formula-like note made text', () => {
    const list = streamed.getWorksheet('回答一覧')!;
    const codes = Array.from({ length: list.rowCount - 1 }, (_, i) => String(list.getCell(i + 2, 1).value));
    expect(codes).toEqual([HOST, '012025', '012041', '022012', '272035', '282014', '282022', '292010']);
    expect(list.getCell(2, 2).value).toBe('西宮市（本市）');
    const plans = streamed.getWorksheet('計画一覧')!;
    const notes: string[] = [];
    plans.eachRow((row, n) => n > 1 && notes.push(String(row.getCell(10).value ?? '')));
    expect(notes).toContain("'=SUM(A1) 次期計画は策定中");
    const progress = streamed.getWorksheet('回答状況')!;
    expect(progress.getCell(progress.rowCount, 1).value).toBe('照会先 8 団体（本市を含む）、送信済 4 団体');
  });

  it('has 游ゴシック as the workbook default font', async () => {
    const styles = await (await JSZip.loadAsync(streamedBytes)).file('xl/styles.xml')!.async('string');
    expect(styles).toMatch(/<fonts[^>]*><font><sz val="10"\/><color theme="1"\/><name val="游ゴシック"\/>/);
  });
});
