// Roster import: Shift_JIS CSV as Japanese Excel saves it, UTF-8 with BOM, .xlsx; the preview lists every
// row's problem with its row number and nothing is written until a clean file is confirmed.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRosterRows, parseCsv, parseRosterDate, parsePopulation } from '../server/domain/roster-import.js';
import { decodeCsv } from '../server/lib/roster-file.js';
import { listAudit } from '../server/repositories/audit.js';
import { findCity, listCities } from '../server/repositories/cities.js';
import { buildTestApp, type TestContext } from './helper.js';
import { Browser, createAccount, textOf } from './organiser-support.js';

let ctx: TestContext;
let browser: Browser;

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  await createAccount(ctx, 'staff@city.example.lg.jp', 'staff-password-123', 'staff');
  browser = new Browser(ctx);
  await browser.login('staff@city.example.lg.jp', 'staff-password-123');
});
afterAll(() => ctx.close());

const CLEAN_CSV = [
  '団体コード,都道府県,市名,人口,人口基準日,照会先メールアドレス',
  '282049,兵庫県,西宮市,"４８０，１２３",令和5年10月1日,joho@nishinomiya.example.lg.jp',
  '012025,北海道,函館市,"251,084",2023/10/1,',
  '272272,大阪府,東大阪市,493940,R5.10.1,joho@higashiosaka.example.lg.jp',
].join('\r\n');

describe('reading roster files (pure)', () => {
  it('decodes Shift_JIS bytes and UTF-8 with a BOM to the same text', () => {
    const sjis = decodeCsv(iconv.encode(CLEAN_CSV, 'Shift_JIS'));
    const bom = decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CLEAN_CSV, 'utf8')]));
    expect(sjis.encoding).toBe('shift_jis');
    expect(bom.encoding).toBe('utf-8');
    expect(sjis.text).toBe(CLEAN_CSV);
    expect(bom.text).toBe(CLEAN_CSV);
  });

  it('matches headers loosely and reads full-width numbers and 和暦 dates', () => {
    const table = parseCsv(CLEAN_CSV.replace('照会先メールアドレス', '照会先 メール アドレス').replace('団体コード', '団体ｺｰﾄﾞ'));
    const result = checkRosterRows(table);
    expect(result.fileProblems).toEqual([]);
    expect(result.rows.map((r) => r.city)).toEqual([
      { code: '282049', prefecture: '兵庫県', name: '西宮市', population: 480123, populationDate: '2023-10-01', email: 'joho@nishinomiya.example.lg.jp' },
      { code: '012025', prefecture: '北海道', name: '函館市', population: 251084, populationDate: '2023-10-01', email: null },
      { code: '272272', prefecture: '大阪府', name: '東大阪市', population: 493940, populationDate: '2023-10-01', email: 'joho@higashiosaka.example.lg.jp' },
    ]);
    expect(parseRosterDate('平成30年9月30日')).toBe('2018-09-30');
    expect(parseRosterDate('令和元年5月1日')).toBe('2019-05-01');
    expect(parseRosterDate('2023-02-30')).toBeNull();
    expect(parsePopulation('12万')).toBeNull();
  });

  it('names a missing column', () => {
    expect(checkRosterRows([['団体コード', '市名', '人口']]).fileProblems[0]).toContain('都道府県');
  });
});

describe('importing through the console', () => {
  it('a Shift_JIS CSV with bad rows is previewed with row numbers and nothing is written', async () => {
    const before = await findCity(ctx.database.db, '282049');
    const bad = [
      '団体コード,都道府県,市名,人口,人口基準日,照会先メールアドレス',
      '282049,兵庫県,西宮市,485587,2023-10-01,new@nishinomiya.example.lg.jp',
      '282048,兵庫県,誤りの市,100000,2023-10-01,',
      '012025,北海道,函館市,約25万,2023-10-01,',
      '282049,兵庫県,西宮市（重複）,485587,2023-10-01,',
    ].join('\r\n');
    const res = await browser.upload('/organiser/roster/import', '/organiser/roster/import', {
      field: 'file',
      filename: '名簿.csv',
      data: iconv.encode(bad, 'Shift_JIS'),
    });
    expect(res.statusCode).toBe(422);
    const text = textOf(res.body);
    expect(text).toContain('Shift_JIS');
    expect(text).toContain('3 行に誤りがあります');
    // the rows in error are named at the top, before the table
    expect(text).toContain('「3 行目、4 行目、5 行目」に誤りがあります。');
    expect(text.indexOf('「3 行目、4 行目、5 行目」')).toBeLessThan(text.indexOf('取込内容の確認'));
    expect(res.body).toContain('<a href="#row-4">4 行目</a>: 人口「約25万」が数値ではありません');
    // prefecture names are kept on one line
    expect(res.body).toContain('<th scope="col" class="nowrap">都道府県</th>');
    expect(res.body).toContain('<td class="nowrap">兵庫県</td>');
    const css = (await browser.get('/assets/site.css')).body;
    expect(css).toContain('.nowrap { white-space: nowrap; }');
    expect(text).toMatch(/ 3 282048 .*検査数字が正しくありません（末尾は 9 のはずです）/);
    expect(text).toMatch(/ 4 012025 .*人口「約25万」が数値ではありません/);
    expect(text).toMatch(/ 5 282049 .*2 行目と重複しています/);
    expect(res.body).not.toContain('action="/organiser/roster/import/confirm"');
    expect(await findCity(ctx.database.db, '282049')).toEqual(before);
  });

  it('a clean Shift_JIS CSV is previewed, then written in one go on confirmation and audited', async () => {
    const preview = await browser.upload('/organiser/roster/import', '/organiser/roster/import', {
      field: 'file',
      filename: 'roster.csv',
      data: iconv.encode(CLEAN_CSV, 'Shift_JIS'),
    });
    expect(preview.statusCode).toBe(200);
    expect(textOf(preview.body)).toContain('3 団体を取り込む');
    expect((await findCity(ctx.database.db, '282049'))!.population).not.toBe(480123);
    const rows = /name="rows" value="([^"]*)"/.exec(preview.body)![1].replace(/&quot;/g, '"').replace(/&#x3D;/g, '=');
    const done = await browser.post('/organiser/roster/import/confirm', { rows }, '/organiser/roster/import');
    expect(done.statusCode).toBe(303);
    expect(textOf((await browser.get(done.headers.location as string)).body)).toContain('3 団体を取り込みました');
    expect(await findCity(ctx.database.db, '282049')).toMatchObject({ name: '西宮市', population: 480123, population_date: '2023-10-01', email: 'joho@nishinomiya.example.lg.jp' });
    const audit = await listAudit(ctx.database.db, { entity: 'city', entityId: '282049' });
    expect(audit[0]).toMatchObject({ action: 'update', actor: 'staff@city.example.lg.jp' });
  });

  it('the preview shows each value as it will be saved: full-width letters, digits and ＠ made half-width', async () => {
    const csv = ['団体コード,都道府県,市名,人口,人口基準日,照会先メールアドレス', '２８２０４９,兵庫県,西宮市,４８０，１２３,令和５年１０月１日,ＪＯＨＯ＠ｎｉｓｈｉｎｏｍｉｙａ．ｅｘａｍｐｌｅ．ｌｇ．ｊｐ'].join('\r\n');
    const preview = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: 'roster.csv', data: iconv.encode(csv, 'Shift_JIS') });
    expect(preview.statusCode).toBe(200);
    const row = textOf(/<tr id="row-2"[\s\S]*?<\/tr>/.exec(preview.body)![0]);
    expect(row).toContain('282049 兵庫県 西宮市 480,123 2023-10-01 JOHO@nishinomiya.example.lg.jp');
    expect(preview.body).not.toContain('＠');
  });

  it('an .xlsx roster is read from its first sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名簿');
    ws.addRow(['団体コード', '都道府県', '市名', '人口', '人口基準日', '照会先メールアドレス']);
    ws.addRow(['202011', '長野県', '長野市', 372760, new Date(Date.UTC(2023, 9, 1)), 'joho@nagano.example.lg.jp']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: 'roster.xlsx', data });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toMatch(/ 2 202011 長野県 長野市 372,760 2023-10-01 .* (新規|変更)/);
  });

  it('editing one city saves it and is audited', async () => {
    const res = await browser.post('/organiser/roster/272272', { prefecture: '大阪府', name: '東大阪市', population: '480,000', populationDate: '2024-01-01', email: '' });
    expect(res.statusCode).toBe(303);
    expect(await findCity(ctx.database.db, '272272')).toMatchObject({ population: 480000, email: null });
    const bad = await browser.post('/organiser/roster/272272', { prefecture: '大阪府', name: '東大阪市', population: 'たくさん', populationDate: '', email: '' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('人口は数値で入力してください');
    const audit = await listAudit(ctx.database.db, { entity: 'city', entityId: '272272' });
    expect(audit[0].actor).toBe('staff@city.example.lg.jp');
  });

  it('the roster exported as .xlsx, in the import\'s own columns, imports back to the same roster', async () => {
    const roster = async () => (await listCities(ctx.database.db)).map(({ updated_at: _at, ...c }) => c);
    const before = await roster();
    const exported = await browser.get('/organiser/roster/export.xlsx');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['団体コード', '都道府県', '市名', '市名カナ', '人口', '人口基準日', '照会先メールアドレス']);
    expect(ws.rowCount).toBe(before.length + 1);
    const hakodate = ws.getRow(before.findIndex((c) => c.code === '012025') + 2);
    expect(hakodate.getCell(1).value).toBe('012025'); // text: Excel keeps the leading zero
    expect(hakodate.getCell(5).value).toBe(251084);

    // edit two cities after the export, then import the exported file: they are changed back, nothing else moves
    await browser.post('/organiser/roster/282014', { prefecture: '兵庫県', name: '姫路市', population: '500000', populationDate: '', email: 'changed@himeji.example.lg.jp', nameKana: 'ヒメジ' });
    await browser.post('/organiser/roster/012041', { prefecture: '北海道', name: '旭川市', population: '1', populationDate: '2025-01-01', email: '', nameKana: '' });
    expect(await roster()).not.toEqual(before);
    const preview = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: '団体名簿.xlsx', data: exported.rawPayload });
    expect(preview.statusCode).toBe(200);
    expect(textOf(preview.body)).toContain(`${before.length} 行（新規 0、変更 2）`);
    const rows = /name="rows" value="([^"]*)"/.exec(preview.body)![1].replace(/&quot;/g, '"').replace(/&#x3D;/g, '=');
    expect((await browser.post('/organiser/roster/import/confirm', { rows }, '/organiser/roster/import')).statusCode).toBe(303);
    expect(await roster()).toEqual(before);
  });
});
