// The respondent's Excel page: download link, upload → preview of changes → confirm, errors by cell.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { Browser, findCsrfToken } from './support/browser.js';

const TOYONAKA = '272035';
let ctx: TestContext;
let token: string;
let browser: Browser;

const page = (url: string) => browser.get(url);
const cookieHeader = () => browser.cookieHeader;
const csrfOf = (html: string) => findCsrfToken(html) ?? '';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Posts the questionnaire page's multipart form: these fields, and the workbook as its file when given. */
const postForm = (fields: Record<string, string>, file?: Buffer) =>
  browser.postMultipart('/respond/questionnaire', fields, file && { field: 'file', filename: '調査票.xlsx', data: file, contentType: XLSX });

async function filledWorkbook(measureAnswer: string): Promise<Buffer> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/questionnaire.xlsx', headers: { cookie: cookieHeader() } });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('調査票')!;
  ws.eachRow((row) => {
    if (row.getCell(1).value === '1-2') row.getCell(4).value = '市長公室 情報政策課';
    if (row.getCell(3).value === 'M01') row.getCell(4).value = measureAnswer;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  browser = new Browser(ctx);
  const auth = await loginOrganiser(ctx);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 'Excel 画面の確認', hostCityCode: '282049', deadline: '2026-12-18' } });
  const id = created.json().id;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/participants`, headers: auth, payload: { cityCodes: [TOYONAKA] } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${id}`, headers: auth, payload: { status: 'open' } });
  token = (await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/invitations`, headers: auth, payload: { cityCodes: [TOYONAKA] } })).json()[0].token;
  await browser.openLink(`/r/${token}`);
});
afterAll(() => ctx.close());

describe('Excel questionnaire page', () => {
  it('offers the download and an upload form with a labelled file field', async () => {
    const res = await page('/respond/questionnaire');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/api/v1/response/questionnaire.xlsx"');
    expect(res.body).toMatch(/<label for="f-file">/);
    expect(res.body).toContain('enctype="multipart/form-data"');
  });

  it('without the session cookie it explains how to open the page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/respond/questionnaire', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(401);
  });

  it('an upload shows the changes first; confirming saves them', async () => {
    const csrf = csrfOf((await page('/respond/questionnaire')).body);
    const preview = await postForm({ _csrf: csrf }, await filledWorkbook('検討中'));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('変更点の確認（2 件）');
    expect(preview.body).toContain('市長公室 情報政策課');
    const before = await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } });
    expect(before.json().version).toBe(0);

    const workbook = /name="workbook" value="([^"]+)"/.exec(preview.body)![1];
    const confirmed = await postForm({ _csrf: csrfOf(preview.body), version: '0', workbook, confirm: '1' });
    expect(confirmed.statusCode).toBe(303);
    expect((await page(confirmed.headers.location as string)).body).toContain('一時保存しました');
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(after).toMatchObject({ status: 'draft', version: 1 });
    expect(after.answers.contact.department).toBe('市長公室 情報政策課');
    expect(after.answers.measures.M01).toBe('studying');
  });

  it('an invalid answer is listed with its cell in the error summary, and nothing is saved', async () => {
    const csrf = csrfOf((await page('/respond/questionnaire')).body);
    const res = await postForm({ _csrf: csrf }, await filledWorkbook('実施中'));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toMatch(/調査票!D[0-9]+: 「実施中」は選択肢にありません/);
  });

  it('a questionnaire downloaded before the answer was saved again says to download it anew, not to correct it', async () => {
    const old = await filledWorkbook('未実施');
    const bearer = { authorization: `Bearer ${token}` };
    const { version, answers } = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer })).json();
    const saved = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { ...answers, contact: { ...answers.contact, department: '別の担当者が保存' }, version } });
    expect(saved.statusCode).toBe(200);
    const res = await postForm({ _csrf: csrfOf((await page('/respond/questionnaire')).body) }, old);
    expect(res.statusCode).toBe(409);
    const text = res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('回答画面から調査票をダウンロードし直して、記入し直してください。');
    expect(text).not.toContain('調査票を修正してから');
  });

  it('refuses an upload without the CSRF token', async () => {
    const res = await postForm({}, await filledWorkbook('実施済'));
    expect(res.statusCode).toBe(403);
  });
});
