// Issue 12 §3: results.xlsx cost over a second of CPU per call and anyone signed in could hammer it. The file
// is now kept per survey data version (a changed answer makes a new one) and limited per organiser.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleResponse } from '../bench/sample-response.js';
import { RESULTS_XLSX_LIMIT_PER_MINUTE } from '../server/routes/api/organiser/workbooks.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

let ctx: TestContext;
let organiser: { authorization: string };
let measureCodes: string[];
const CITY = '282022'; // 尼崎市, a participant of the seeded survey

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  organiser = await loginOrganiser(ctx);
  measureCodes = (await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser })).json().measures.map((m: { code: string }) => m.code);
});
afterAll(() => ctx.close());

const download = (headers: Record<string, string>) => ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/1/results.xlsx', headers });

async function answerRowOf(payload: Buffer, cityName: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('回答一覧')!;
  for (let r = 2; r <= ws.rowCount; r++) if (String(ws.getCell(r, 2).value ?? '').startsWith(cityName)) return ws.getRow(r);
  return undefined;
}

describe('results.xlsx', () => {
  it('an unchanged survey is served from the cache; a changed answer makes a new file that shows it', async () => {
    const first = await download(organiser);
    expect(first.statusCode).toBe(200);
    const builds = ctx.app.resultsWorkbookCache.builds;
    const second = await download(organiser);
    expect(second.statusCode).toBe(200);
    expect(ctx.app.resultsWorkbookCache.builds).toBe(builds);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);

    const response = sampleResponse(measureCodes, 4);
    const put = await ctx.app.inject({ method: 'PUT', url: `/api/v1/surveys/1/responses/${CITY}`, headers: organiser, payload: { ...response, submit: true } });
    expect(put.statusCode, put.body).toBe(200);
    const third = await download(organiser);
    expect(ctx.app.resultsWorkbookCache.builds).toBe(builds + 1);
    const row = await answerRowOf(third.rawPayload, '尼崎市');
    expect(row?.values).toContain(response.contact.email);
  });

  it(`one organiser gets ${RESULTS_XLSX_LIMIT_PER_MINUTE} downloads a minute, then 429 with Retry-After; another organiser is not held up`, async () => {
    const hammer = await loginOrganiser(ctx, { email: 'hammer@city.nishinomiya.example.lg.jp', password: 'hammer-password-123', role: 'staff' });
    const statuses: number[] = [];
    for (let i = 0; i < RESULTS_XLSX_LIMIT_PER_MINUTE + 3; i++) statuses.push((await download(hammer)).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RESULTS_XLSX_LIMIT_PER_MINUTE);
    expect(statuses.slice(RESULTS_XLSX_LIMIT_PER_MINUTE)).toEqual([429, 429, 429]);
    const refused = await download(hammer);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ statusCode: 429, message: expect.stringContaining('1 分間に') });
    const other = await loginOrganiser(ctx, { email: 'other@city.nishinomiya.example.lg.jp', password: 'other-password-123', role: 'staff' });
    expect((await download(other)).statusCode).toBe(200);
  });
});
