// 市名カナ in the roster (issue 12 §2: an anonymous city's reading and romaji are masked too): seeded for the
// 62 中核市, accepted by PUT /api/v1/cities (optional; absent keeps the stored one), and carried by the roster's
// CSV export and import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCity } from '../server/repositories/cities.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { Browser, createAccount } from './organiser-support.js';

let ctx: TestContext;
let api: { authorization: string };
const HIMEJI = { code: '282014', name: '姫路市', prefecture: '兵庫県', population: 530495 };

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  api = await loginOrganiser(ctx);
});
afterAll(() => ctx.close());

const cities = async () => (await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: api })).json() as Array<{ code: string; nameKana: string | null }>;

describe('市名カナ', () => {
  it('the seeded roster carries the reading of all 62 中核市', async () => {
    const list = await cities();
    expect(list).toHaveLength(62);
    expect(list.every((c) => typeof c.nameKana === 'string' && /^[ァ-ヶー]+シ$/.test(c.nameKana))).toBe(true);
    expect(list.find((c) => c.code === '282014')!.nameKana).toBe('ヒメジシ');
    expect(list.find((c) => c.code === '072036')!.nameKana).toBe('コオリヤマシ');
  });

  it('PUT /api/v1/cities takes nameKana in hiragana or half-width kana, keeps it when absent, and refuses romaji with 400', async () => {
    const put = (body: object[]) => ctx.app.inject({ method: 'PUT', url: '/api/v1/cities', headers: api, payload: body });
    expect((await put([{ ...HIMEJI, nameKana: 'ひめじ し' }])).statusCode).toBe(200);
    expect((await findCity(ctx.database.db, HIMEJI.code))!.name_kana).toBe('ヒメジシ');
    expect((await put([{ ...HIMEJI, nameKana: 'ﾋﾒｼﾞｼ' }])).statusCode).toBe(200);
    expect((await findCity(ctx.database.db, HIMEJI.code))!.name_kana).toBe('ヒメジシ');
    expect((await put([{ ...HIMEJI, population: 530000 }])).statusCode).toBe(200);
    expect((await findCity(ctx.database.db, HIMEJI.code))).toMatchObject({ population: 530000, name_kana: 'ヒメジシ' });
    const bad = await put([{ ...HIMEJI, nameKana: 'Himeji' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: '/0/nameKana', message: expect.stringContaining('カタカナ') });
  });

  it('the roster CSV export has a 市名カナ column that the import reads back', async () => {
    await createAccount(ctx, 'staff@city.example.lg.jp', 'staff-password-123', 'staff');
    const browser = new Browser(ctx);
    await browser.login('staff@city.example.lg.jp', 'staff-password-123');
    const exported = await browser.get('/organiser/roster/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.headers['cache-control']).toContain('no-store');
    const lines = exported.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('団体コード,都道府県,市名,市名カナ,人口,人口基準日,照会先メールアドレス');
    expect(lines).toContain('282014,兵庫県,姫路市,ヒメジシ,530000,,'); // the PUT above gave no populationDate
    const edited = [lines[0], lines.find((l) => l.startsWith('282014,'))!.replace('ヒメジシ', 'ひめじし'), lines.find((l) => l.startsWith('282022,'))!.replace('アマガサキシ', '')].join('\r\n');
    const preview = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: 'roster.csv', data: Buffer.from(edited) });
    expect(preview.statusCode).toBe(200);
    const rows = /name="rows" value="([^"]*)"/.exec(preview.body)![1].replace(/&quot;/g, '"').replace(/&#x3D;/g, '=');
    const done = await browser.post('/organiser/roster/import/confirm', { rows }, '/organiser/roster/import');
    expect(done.statusCode).toBe(303);
    expect((await findCity(ctx.database.db, '282014'))!.name_kana).toBe('ヒメジシ');
    expect((await findCity(ctx.database.db, '282022'))!.name_kana).toBeNull();
    const wrong = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: 'roster.csv', data: Buffer.from(`${lines[0]}\r\n282014,兵庫県,姫路市,Himeji,530000,,`) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('市名カナ「Himeji」はカタカナまたはひらがなで入力してください');
  });

  it('the city page edits the reading, and refuses romaji with the field named', async () => {
    const browser = new Browser(ctx);
    await browser.login('staff@city.example.lg.jp', 'staff-password-123');
    const page = await browser.get('/organiser/roster/282049');
    expect(page.body).toContain('value="ニシノミヤシ"');
    const form = { prefecture: '兵庫県', name: '西宮市', population: '485587', populationDate: '2020-10-01', email: '' };
    expect((await browser.post('/organiser/roster/282049', { ...form, nameKana: 'にしのみやし' })).statusCode).toBe(303);
    expect((await findCity(ctx.database.db, '282049'))!.name_kana).toBe('ニシノミヤシ');
    const wrong = await browser.post('/organiser/roster/282049', { ...form, nameKana: 'Nishinomiya' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('市名カナはカタカナまたはひらがなで入力してください');
    expect((await findCity(ctx.database.db, '282049'))!.name_kana).toBe('ニシノミヤシ');
  });

  it('a roster file without the 市名カナ column keeps the readings', async () => {
    const browser = new Browser(ctx);
    await browser.login('staff@city.example.lg.jp', 'staff-password-123');
    const csv = '団体コード,都道府県,市名,人口\r\n282031,兵庫県,明石市,303601\r\n';
    const preview = await browser.upload('/organiser/roster/import', '/organiser/roster/import', { field: 'file', filename: 'roster.csv', data: Buffer.from(csv) });
    const rows = /name="rows" value="([^"]*)"/.exec(preview.body)![1].replace(/&quot;/g, '"').replace(/&#x3D;/g, '=');
    expect((await browser.post('/organiser/roster/import/confirm', { rows }, '/organiser/roster/import')).statusCode).toBe(303);
    expect((await findCity(ctx.database.db, '282031'))!.name_kana).toBe('アカシシ');
  });
});
