// Issue 12 §2 on the running app: the round of the finding (3 public, 2 anonymous, 1 private city, all in one
// band) published, and everything a respondent can fetch — the results page, GET /api/v1/response/results,
// the results workbook — gathered and attacked: band counts minus the listed cities. Nothing is isolated,
// the private city and the anonymous cities' names, readings and romaji appear nowhere.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_GROUP_MESSAGE } from '../server/domain/disclosure-control.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

let ctx: TestContext;
let organiser: { authorization: string };
let surveyId: number;
let measureCodes: string[];
const tokens: Record<string, string> = {};
// all in 30万人以上50万人未満の市 (seeded populations)
const PUBLIC = ['272035', '272051', '272108']; // 豊中市, 吹田市, 枚方市
const ANONYMOUS = { '282022': ['尼崎', 'あまがさき', 'AMAGASAKI'], '272078': ['高槻', 'たかつき', 'Takatsuki'] } as Record<string, string[]>;
const PRIVATE = '282031'; // 明石市

function response(code: string, disclosure: string, seed: number, planName: string, notes: string) {
  return {
    contact: { department: `部署${code}`, personKana: 'タントウ', phone: '000-0000-0000', email: `c${code}@example.lg.jp` },
    plan: { hasPlan: true, name: planName, latestNumber: '第2次', updateCycleYears: 5, periodStart: 2016 + (seed % 3), periodEnd: 2020 + (seed % 3), nextPlan: 'update', notes },
    disclosure,
    measures: Object.fromEntries(measureCodes.map((c, i) => [c, (['implemented', 'studying', 'none'] as const)[(i * 2 + seed) % 3]])),
  };
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  organiser = await loginOrganiser(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: organiser, payload: { title: '差分攻撃の確認', hostCityCode: '282049', deadline: '2027-01-29' } });
  surveyId = created.json().id;
  measureCodes = created.json().measures.map((m: { code: string }) => m.code);
  const cities = [...PUBLIC, ...Object.keys(ANONYMOUS), PRIVATE];
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/participants`, headers: organiser, payload: { cityCodes: cities } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: organiser, payload: { status: 'open' } });
  for (const inv of (await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: organiser, payload: {} })).json()) tokens[inv.cityCode] = inv.token;
  let seed = 0;
  for (const code of cities) {
    const disclosure = PUBLIC.includes(code) ? 'public' : code === PRIVATE ? 'private' : 'anonymous';
    const words = ANONYMOUS[code] ?? ['明石', 'あかし', 'AKASHI'];
    const body = response(code, disclosure, seed++, `${words[0]}市情報化計画 ${words[1]}`, `${words[2]} DX`);
    const put = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${tokens[code]}` }, payload: { ...body, version: 0 } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: { authorization: `Bearer ${tokens[code]}` } })).statusCode).toBe(200);
  }
  for (const status of ['closed', 'published']) {
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: organiser, payload: { status } })).statusCode).toBe(200);
  }
});
afterAll(() => ctx.close());

async function respondentCookie(code: string): Promise<string> {
  // the personal link: a GET that sets the session (today) or a page whose button POSTs (the lifecycle issue)
  let res = await ctx.app.inject({ method: 'GET', url: `/r/${tokens[code]}` });
  if (!res.cookies.some((c) => c.name.startsWith('respondent'))) res = await ctx.app.inject({ method: 'POST', url: `/r/${tokens[code]}` });
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('what a public city receives after publication', () => {
  it('lets nobody be worked out: no per-city list in the band, and no hidden name in any reading', async () => {
    const viewer = PUBLIC[0];
    const bearer = { authorization: `Bearer ${tokens[viewer]}` };
    const json = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results', headers: bearer });
    const xlsx = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: bearer });
    const page = await ctx.app.inject({ method: 'GET', url: '/respond/results', headers: { cookie: await respondentCookie(viewer), accept: 'text/html' } });
    expect(xlsx.statusCode).toBe(200);
    expect(page.statusCode).toBe(200);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
    // the attack: the band's count minus the cities listed in it
    const band = '30万人以上50万人未満の市';
    const answers = wb.getWorksheet('回答一覧')!;
    let listedInBand = 0;
    answers.eachRow((row, n) => {
      if (n > 1 && row.getCell(2).value === band) listedInBand++;
    });
    expect(listedInBand).toBe(0);
    expect(cells.join('\n')).toContain(SMALL_GROUP_MESSAGE);
    expect(page.body).not.toMatch(/豊中市|吹田市|枚方市/); // not even the public cities are listed: that would locate A市 and B市

    const everything = [json.statusCode === 200 ? json.body : '', page.body, ...cells].join('\n');
    for (const words of [...Object.values(ANONYMOUS), ['明石', 'あかし', 'AKASHI']]) {
      for (const w of words) expect(everything.toLowerCase(), w).not.toContain(w.toLowerCase());
    }
    for (const code of [...Object.keys(ANONYMOUS), PRIVATE]) expect(everything).not.toContain(`部署${code}`);
    // the 集計表 as published stays: six respondents in the band
    const table = wb.getWorksheet('集計表')!;
    expect(table.getRow(3).values).toContain(band);
    if (json.statusCode === 200) expect(json.json().bands.find((b: { label: string }) => b.label === band).respondents).toBe(6);
  });
});
