// Pages are routes too (issue #10 §3): a survey number that is not one — malformed or unknown — is the same
// Japanese 404 page on every console page of a survey, every failure a browser meets is a page and never a JSON
// body, and a form that fails its schema comes back with the Japanese message and what was typed. The API keeps
// API.md's JSON answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCity } from '../server/repositories/cities.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { Browser, createAccount, textOf } from './organiser-support.js';
import { invite, openDemoSurvey } from './respondent-fixtures.js';

let ctx: TestContext;
let organiser: Browser;
let respondent: Browser;
let api: { authorization: string };
let demoId: number;
const STAFF = { email: 'staff@city.nishinomiya.example.lg.jp', password: 'staff-password-123' };

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  api = await loginOrganiser(ctx);
  demoId = await openDemoSurvey(ctx, api);
  await createAccount(ctx, STAFF.email, STAFF.password, 'admin');
  organiser = new Browser(ctx);
  expect((await organiser.login(STAFF.email, STAFF.password)).statusCode).toBe(303);
  const [link] = await invite(ctx, api, demoId, ['012025']);
  respondent = new Browser(ctx);
  expect((await respondent.openLink(new URL(link.url).pathname)).statusCode).toBe(303);
});
afterAll(() => ctx.close());

const SURVEY_PAGES = ['', '/measures', '/participants', '/status?to=closed', '/invitations', '/mail-texts', '/reminders', '/dashboard', '/responses/012025', '/results', '/plans', '/plans/all.zip', '/outbox.zip'];
const NOT_A_SURVEY = ['abc', '0', '-1', '1.5', '99999999999', '999999'];

describe('a survey number that names no survey', () => {
  it('is the same Japanese 404 page on every page of a survey, malformed or unknown', async () => {
    for (const id of NOT_A_SURVEY) {
      for (const page of SURVEY_PAGES) {
        const res = await organiser.get(`/organiser/surveys/${id}${page}`);
        expect(res.statusCode, `${id}${page}`).toBe(404);
        expect(res.headers['content-type'], `${id}${page}`).toMatch(/^text\/html/);
        expect(textOf(res.body), `${id}${page}`).toContain('調査が見つかりません');
      }
    }
  });

  it('is the 404 page for a form posted to it as well (after the CSRF check, never JSON)', async () => {
    for (const id of ['abc', '999999']) {
      const res = await organiser.post(`/organiser/surveys/${id}/participants`, { cityCodes: '012025' }, '/organiser/surveys');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(textOf(res.body)).toContain('調査が見つかりません');
    }
  });

  it('without a session still sends the browser to the login page first', async () => {
    const res = await new Browser(ctx).get('/organiser/surveys/abc/dashboard');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('keeps the API contract: 404 JSON for an unknown survey, 400 JSON for a malformed number', async () => {
    for (const url of ['/api/v1/surveys/999999', '/api/v1/surveys/999999/responses', '/api/v1/surveys/999999/results', '/api/v1/surveys/999999/plan-documents']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: api });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ statusCode: 404, error: 'Not Found', message: '調査が見つかりません。' });
    }
    const malformed = await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/abc', headers: api });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ statusCode: 400, errors: [{ path: '/id' }] });
  });
});

describe('a browser never receives a JSON error body', () => {
  it('a respondent upload with an expired form is a page saying so, on the plan and the Excel pages', async () => {
    for (const url of ['/respond/plans', '/respond/questionnaire']) {
      const res = await respondent.postMultipart(url, { _csrf: 'not-the-token' }, { field: 'file', filename: 'plan.txt', data: Buffer.from('計画') });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(textOf(res.body), url).toContain('画面の有効期限が切れました');
    }
  });

  it('a malformed document number on the respondent pages is the 404 page', async () => {
    const remove = await respondent.post('/respond/plans/abc/remove', {}, '/respond');
    expect(remove.statusCode).toBe(404);
    expect(remove.headers['content-type']).toMatch(/^text\/html/);
    expect(textOf(remove.body)).toContain('ページが見つかりません');
    const download = await respondent.get('/respond/shared-plans/1e99');
    expect(download.statusCode).toBe(404);
    expect(download.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('a form that fails its schema comes back with the message and what was typed', () => {
  it('the survey settings: a title over 200 characters', async () => {
    const base = `/organiser/surveys/${demoId}`;
    const res = await organiser.post(base, { title: '調'.repeat(201), deadline: '2027-01-29', hostCityCode: '282049', bandThresholds: '300000, 500000', introText: '入力した依頼文です。' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const text = textOf(res.body);
    expect(text).toContain('200 文字以内で入力してください');
    expect(res.body).toContain('入力した依頼文です。');
    expect(res.body).toContain('調'.repeat(201));
    // nothing was saved
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${demoId}`, headers: api })).json().title).not.toBe('調'.repeat(201));
  });

  it('a city of the roster: a name over 100 characters', async () => {
    const before = await findCity(ctx.database.db, '012025');
    const res = await organiser.post('/organiser/roster/012025', { name: '函'.repeat(101), prefecture: '北海道', population: '251084', populationDate: '2020-10-01', email: 'joho@hakodate.example.lg.jp' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('100 文字以内で入力してください');
    expect(res.body).toContain('joho@hakodate.example.lg.jp');
    expect(await findCity(ctx.database.db, '012025')).toEqual(before);
  });

  it('the password form: a current password over 1,024 characters is a message on the form, not a crash', async () => {
    const res = await organiser.post('/organiser/password', { currentPassword: 'x'.repeat(2000), newPassword: 'a new password 123', newPasswordAgain: 'a new password 123' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('1024 文字以内で入力してください');
    expect(textOf(res.body)).toContain('パスワードの変更');
  });
});
