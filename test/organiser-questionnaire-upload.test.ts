// The organiser takes in a city's returned Excel questionnaire from the console: the same preview of changes,
// errors by cell and confirmation as the respondent's page; saved as the city's draft and audited.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/repositories/audit.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser, findCsrfToken } from './support/browser.js';
import { textOf } from './organiser-support.js';

const TOYONAKA = '272035';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let ctx: TestContext;
let auth: { authorization: string };
let browser: Browser;
let surveyId: number;
let base: string;

/** The questionnaire as the city returns it: downloaded by the organiser, filled in by the city. */
async function returnedWorkbook(department: string, m01: string): Promise<Buffer> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses/${TOYONAKA}/questionnaire.xlsx`, headers: auth });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  wb.getWorksheet('調査票')!.eachRow((row) => {
    if (row.getCell(1).value === '1-2') row.getCell(4).value = department;
    if (row.getCell(3).value === 'M01') row.getCell(4).value = m01;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (fields: Record<string, string>, file?: Buffer) =>
  browser.postMultipart(`${base}/questionnaire`, fields, file && { field: 'file', filename: '調査票_豊中市.xlsx', data: file, contentType: XLSX });

const response = async () => (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses/${TOYONAKA}`, headers: auth })).json();

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  browser = new Browser(ctx);
  await browser.login(ORGANISER.email, ORGANISER.password);
  surveyId = (await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: '代理取込の確認', hostCityCode: '282049', deadline: '2026-12-18' } })).json().id;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/participants`, headers: auth, payload: { cityCodes: [TOYONAKA] } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'open' } });
  base = `/organiser/surveys/${surveyId}/responses/${TOYONAKA}`;
});
afterAll(() => ctx.close());

describe('the organiser uploads a city\'s returned questionnaire', () => {
  it('the city\'s page links to the upload page, which offers the download and a labelled file field', async () => {
    expect((await browser.get(base)).body).toContain(`href="${base}/questionnaire"`);
    const page = await browser.get(`${base}/questionnaire`);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('豊中市の調査票（Excel）を取り込む');
    expect(page.body).toContain(`href="/api/v1/surveys/${surveyId}/responses/${TOYONAKA}/questionnaire.xlsx"`);
    expect(page.body).toMatch(/<label for="f-file">/);
    expect(page.body).not.toContain('id="f-reason"'); // no reason is asked while the survey is open
  });

  it('shows the changes first, saves them on confirmation, and the audit log names the organiser', async () => {
    const csrf = findCsrfToken((await browser.get(`${base}/questionnaire`)).body)!;
    const preview = await upload({ _csrf: csrf }, await returnedWorkbook('市長公室 情報政策課', '検討中'));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.body).toContain('変更点の確認（2 件）');
    expect(textOf(preview.body)).toMatch(/担当部署 調査票!D\d+ （未回答） 市長公室 情報政策課/);
    expect((await response()).version).toBe(0);

    const workbook = /name="workbook" value="([^"]+)"/.exec(preview.body)![1];
    const confirmed = await upload({ _csrf: findCsrfToken(preview.body)!, version: '0', workbook, confirm: '1' });
    expect(confirmed.statusCode).toBe(303);
    expect(textOf((await browser.get(confirmed.headers.location as string)).body)).toContain('調査票の内容を豊中市の回答として一時保存しました（2 件の変更）。');
    const saved = await response();
    expect(saved).toMatchObject({ status: 'draft', version: 1 });
    expect(saved.answers.contact.department).toBe('市長公室 情報政策課');
    expect(saved.answers.measures.M01).toBe('studying');
    const entry = (await listAudit(ctx.database.db, { entity: 'response', entityId: `${surveyId}:${TOYONAKA}` }))[0];
    expect(entry).toMatchObject({ actor: ORGANISER.email, action: 'save' });
  });

  it('an invalid answer is listed with its cell, and nothing is saved', async () => {
    const csrf = findCsrfToken((await browser.get(`${base}/questionnaire`)).body)!;
    const res = await upload({ _csrf: csrf }, await returnedWorkbook('市長公室 情報政策課', 'たぶん'));
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toMatch(/調査票を受け付けられませんでした（\d+ 件）/);
    expect(res.body).toMatch(/調査票!D\d+/);
    expect((await response()).version).toBe(1);
  });

  it('a questionnaire of an older version is refused with the fields saved since', async () => {
    const old = await returnedWorkbook('総務部', '実施済'); // made at version 1
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/surveys/${surveyId}/responses/${TOYONAKA}`, headers: auth, payload: { contact: { department: '別の画面で保存' } } });
    const csrf = findCsrfToken((await browser.get(`${base}/questionnaire`)).body)!;
    const res = await upload({ _csrf: csrf }, old);
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain('保存できませんでした（他の画面で更新されています）');
    // what to do, not 「調査票を修正してから」: the sheet has no error, it is older than the saved answer
    expect(textOf(res.body)).toContain('回答画面から調査票をダウンロードし直して、記入し直してください。');
    expect(textOf(res.body)).not.toContain('調査票を修正してから');
    expect((await response()).answers.contact.department).toBe('別の画面で保存');
  });

  it('after the deadline the page asks for the reason, and a confirmation without one is refused', async () => {
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'closed' } });
    const page = await browser.get(`${base}/questionnaire`);
    expect(page.body).toContain('id="f-reason"');
    const preview = await upload({ _csrf: findCsrfToken(page.body)! }, await returnedWorkbook('市長公室', '実施済'));
    expect(preview.statusCode).toBe(200);
    const workbook = /name="workbook" value="([^"]+)"/.exec(preview.body)![1];
    const version = String((await response()).version);
    const refused = await upload({ _csrf: findCsrfToken(preview.body)!, version, workbook, confirm: '1' });
    expect(refused.statusCode).toBe(422);
    expect(textOf(refused.body)).toContain('修正理由を入力してください');
    const withReason = await upload({ _csrf: findCsrfToken(preview.body)!, version, workbook, confirm: '1', reason: 'FAX で届いた調査票の取込' });
    expect(withReason.statusCode).toBe(303);
    const entry = (await listAudit(ctx.database.db, { entity: 'response', entityId: `${surveyId}:${TOYONAKA}` }))[0];
    expect((entry.after as { reason?: string }).reason).toBe('FAX で届いた調査票の取込');
  });
});
