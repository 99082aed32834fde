// The respondent's pages: personal link → session cookie, the form (save / submit / errors / conflict),
// confirmation, read-only after closing, CSRF, escaping, and the receipt mail over SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { completeAnswer, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';
import { Browser, findCsrfToken } from './support/browser.js';
import { startMailCapture } from './support/mail-capture.js';

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let token: string;
let measureCodes: string[];
let browser: Browser;

const page = (url: string) => browser.get(url);
const cookieHeader = () => browser.cookieHeader;
const csrfOf = (html: string) => findCsrfToken(html) ?? '';
/** Opens the personal link as a person does: its page, then the 「回答画面を開く」 button (a POST). */
const openLink = (url: string) => browser.openLink(url);
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

/** Posts the form as a browser would: fields from `values`, the page's CSRF token and version. */
async function post(values: Record<string, string>, opts: { csrf?: string | null; version?: string } = {}) {
  const form = await page('/respond');
  const fields: Record<string, string> = { ...values, version: opts.version ?? versionOf(form.body) };
  if (opts.csrf !== null) fields._csrf = opts.csrf ?? csrfOf(form.body);
  return browser.postForm('/respond', fields);
}

function formValues(): Record<string, string> {
  const a = completeAnswer(measureCodes);
  return {
    department: a.contact.department,
    personKana: a.contact.personKana,
    phone: a.contact.phone,
    email: a.contact.email,
    hasPlan: 'yes',
    planName: a.plan.name,
    latestNumber: '第4次',
    updateCycleYears: '５',
    periodStart: '平成26年度',
    periodEnd: '平成30年度',
    nextPlan: 'update',
    notes: '',
    disclosure: 'public',
    ...Object.fromEntries(Object.entries(a.measures).map(([code, v]) => [`m_${code}`, v])),
  };
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  browser = new Browser(ctx);
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  [{ token }] = await invite(ctx, auth, surveyId, [HAKODATE]);
  const survey = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json();
  measureCodes = survey.measures.map((m: { code: string }) => m.code);
});
afterAll(() => ctx.close());

describe('the personal link', () => {
  it('an unknown link shows a Japanese page with 404 and nothing else', async () => {
    const res = await page('/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('リンクが見つかりません');
    expect(res.body).toContain('照会元');
    expect(res.body).not.toContain('函館');
  });

  it('a GET of the link (as a mail scanner does) shows the survey and the city with a button, and changes nothing', async () => {
    const res = await page(`/r/${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('函館市');
    expect(res.body).toContain('回答画面を開く');
    expect(res.body).toContain(`action="/r/${token}"`);
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('respondent_session=')]));
    const [inv] = await ctx.database.db.selectFrom('invitations').select('opened_at').where('city_code', '=', HAKODATE).execute();
    expect(inv.opened_at).toBeNull();
  });

  it('pressing its button records the first opening, sets an httpOnly SameSite=Lax cookie and redirects to /respond', async () => {
    const res = await openLink(`/r/${token}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/respond');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('respondent_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]);
    const survey = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json();
    expect(expires).toBeGreaterThan(Date.parse(`${survey.deadline}T23:59:59+09:00`));
    const [inv] = await ctx.database.db.selectFrom('invitations').select('opened_at').where('city_code', '=', HAKODATE).execute();
    expect(inv.opened_at).not.toBeNull();
    await openLink(`/r/${token}`);
    const [again] = await ctx.database.db.selectFrom('invitations').select('opened_at').where('city_code', '=', HAKODATE).execute();
    expect(again.opened_at!.getTime()).toBe(inv.opened_at!.getTime());
  });

  it('the JSON API accepts the session cookie only with a CSRF token on writes', async () => {
    const headers = { cookie: cookieHeader(), 'content-type': 'application/json' };
    const read = await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers });
    expect(read.statusCode).toBe(200);
    const forged = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: { version: read.json().version, contact: { department: '偽' } } });
    expect(forged.statusCode).toBe(403);
    const csrf = csrfOf((await page('/respond')).body);
    const ok = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: { ...headers, cookie: cookieHeader(), 'x-csrf-token': csrf }, payload: { version: read.json().version, contact: { department: '本物' } } });
    expect(ok.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers: { cookie: cookieHeader() } })).statusCode).toBe(401);
  });

  it('/respond without the cookie explains how to open the form (401)', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/respond', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('依頼メールに記載された');
  });
});

describe('the form', () => {
  it('shows 質問1–3 and every measure as a named group, the city name read-only, the intro on top', async () => {
    const res = await page('/respond');
    expect(res.statusCode).toBe(200);
    for (const text of ['質問1', '質問2', '質問3', '函館市', '担当者名（カナ）', '電話番号（直通）', '他計画へ統合', '市名を伏せれば公表してよい', '貴団体の状況を御教示ください']) {
      expect(res.body).toContain(text);
    }
    expect(res.body.match(/<fieldset class="measure-row/g)).toHaveLength(46);
    expect(res.body).toContain('<legend id="m-M01-legend">ICTガバナンスの強化</legend>');
    expect(res.body).not.toMatch(/name="cityName"/);
  });

  it('offers the Excel questionnaire as another way to answer, and no results links before 結果公表', async () => {
    const res = await page('/respond');
    expect(res.body).toContain('<a href="/respond/questionnaire">Excel の調査票で回答する</a>');
    expect((await page('/respond/questionnaire')).statusCode).toBe(200);
    expect(res.body).not.toContain('/respond/results');
  });

  it('a POST without the CSRF token is refused', async () => {
    const res = await post({ department: 'x', action: 'save' }, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('画面の有効期限が切れました');
    // what was typed is shown so that it can be entered again
    expect(res.body).toContain('保存できなかった入力内容');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.answers.contact.department).not.toBe('x');
  });

  it('一時保存 keeps a partial answer and says so', async () => {
    const res = await post({ department: '総務部 情報政策課', personKana: 'ﾊｺﾀﾞﾃ', periodStart: 'H26', action: 'save' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/respond?saved=1');
    const form = await page('/respond?saved=1');
    expect(form.body).toContain('一時保存しました');
    expect(form.body).toContain('value="ハコダテ"');
    expect(form.body).toContain('value="2014"');
    expect(form.body).toContain('一時保存中');
  });

  it('ひらがな in 担当者名（カナ） is saved as カタカナ and 「五年ごと」 as a 5-year cycle, instead of being refused', async () => {
    const res = await post({ department: '総務部 情報政策課', personKana: 'はこだて　はなこ', updateCycleYears: '五年ごと', action: 'save' });
    expect(res.statusCode).toBe(303);
    const form = await page('/respond?saved=1');
    expect(form.body).toContain('value="ハコダテ ハナコ"');
    expect(form.body).toContain('id="f-updateCycleYears" name="updateCycleYears" value="5"');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.answers.contact.personKana).toBe('ハコダテ ハナコ');
    expect(api.answers.plan.updateCycleYears).toBe(5);
    // the API takes the same: 「五年」 and ひらがな
    const put = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` }, payload: { version: api.version, contact: { personKana: 'はこだて たろう' }, plan: { updateCycleYears: '十年' } } });
    expect(put.statusCode).toBe(200);
    const after = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(after.answers.contact.personKana).toBe('ハコダテ タロウ');
    expect(after.answers.plan.updateCycleYears).toBe(10);
  });

  it('回答を送信 with gaps shows every error in a summary linking to the field, keeps the input, marks the fields, and saves what can be saved', async () => {
    const values: Record<string, string> = { ...formValues(), phone: '12', periodEnd: '', m_M07: '', department: '<script>alert(1)</script>', action: 'submit' };
    const res = await post(values);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toContain('href="#f-phone"');
    expect(res.body).toContain('href="#f-periodEnd"');
    expect(res.body).toContain('href="#m-M07-implemented"');
    expect(res.body).toMatch(/id="f-phone" name="phone" value="12"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('誤りのない項目は一時保存しました');
    // a reload shows what was typed (the fields that could be stored), not empty fields
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.status).toBe('draft');
    expect(api.answers.contact.department).toBe('<script>alert(1)</script>');
    expect(api.answers.plan.name).toBe(values.planName);
    const reload = await page('/respond');
    expect(reload.body).toContain(`value="${values.planName}"`);
    await post({ department: '総務部 情報政策課', action: 'save' });
  });

  it('a NUL typed into a text field is a Japanese 400 that shows what was typed, never a failure of the service', async () => {
    for (const field of ['department', 'personKana', 'planName', 'notes']) {
      const res = await post({ [field]: 'ab\u0000c', action: 'save' });
      expect(res.statusCode, field).toBe(400);
      expect(res.body, field).toContain('保存できない値（制御文字');
      expect(res.body, field).toContain('保存できなかった入力内容');
    }
    const api = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` }, payload: { contact: { department: 'ab\u0000c' }, version: 1_000_000 } });
    expect(api.statusCode).toBeLessThan(500);
  });

  it('a save from a stale page gets the conflict page with both versions side by side; nothing is overwritten', async () => {
    const res = await post({ ...formValues(), department: '古い画面からの入力', action: 'save' }, { version: '0' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('他の画面で更新されています');
    const row = /<tr>\s*<th scope="row">担当部署[\s\S]*?<\/th>([\s\S]*?)<\/tr>/.exec(res.body)?.[1] ?? '';
    // both changed the department since the version this page was loaded at (0): marked as such
    expect(res.body).toContain('あなたも別の方も変更しています');
    expect(row).toContain('古い画面からの入力');
    expect(row).toContain('総務部 情報政策課');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.answers.contact.department).toBe('総務部 情報政策課');
  });

  it('a complete answer submits and shows a printable confirmation; the API returns what was typed', async () => {
    const res = await post({ ...formValues(), action: 'submit' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/respond/confirmation');
    const confirmation = await page('/respond/confirmation');
    expect(confirmation.body).toContain('回答を送信しました');
    expect(confirmation.body).toContain('2014年度（平成26年度）');
    expect(confirmation.body).toContain('ハコダテ ハナコ');
    expect(confirmation.body).toContain('href="/respond"');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.status).toBe('submitted');
    expect(api.answers.contact.phone).toBe('0138-21-3111');
    expect(api.answers.plan).toMatchObject({ latestNumber: '第4次', updateCycleYears: 5, periodStart: 2014, periodEnd: 2018, hasPlan: true });
    expect(api.answers.measures).toEqual(completeAnswer(measureCodes).measures);
  });

  it('after the survey closes the form is read-only with the summary, and posts are refused', async () => {
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'closed' } });
    const res = await page('/respond');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<form');
    expect(res.body).toContain('回答の修正はできません');
    expect(res.body).toContain('函館市情報化推進計画');
    const csrf = csrfOf((await page('/respond')).body);
    expect(csrf).toBe('');
    // the personal link no longer asks for answers by a deadline: it says the survey's stage and offers the summary
    const link = await page(`/r/${token}`);
    expect(link.body).not.toContain('回答期限');
    expect(link.body).toContain('<dt>調査の状況</dt><dd>締切</dd>');
    expect(link.body).toContain('回答の受付は終了しました');
    expect(link.body).toContain('>回答の内容を見る</button>');
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'open' } });
    expect((await page(`/r/${token}`)).body).toContain('>回答画面を開く</button>');
  });
});

describe('receipt mail', () => {
  it('on submit, a receipt with the summary goes to the roster address and the contact address of the same domain, once per real change', async () => {
    const smtp = await startMailCapture();
    const mailCtx = await buildTestApp({ seed: true, env: { SMTP_URL: smtp.url } });
    try {
      const mailAuth = await loginOrganiser(mailCtx);
      await mailCtx.app.inject({ method: 'PUT', url: '/api/v1/cities', headers: mailAuth, payload: [{ code: HAKODATE, name: '函館市', prefecture: '北海道', population: 251084, email: 'joho@city.hakodate.example.lg.jp' }] });
      const id = await openDemoSurvey(mailCtx, mailAuth);
      const [{ token: t }] = await invite(mailCtx, mailAuth, id, [HAKODATE]);
      const headers = { authorization: `Bearer ${t}` };
      await mailCtx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: { version: 0, ...completeAnswer(measureCodes) } });
      const res = await mailCtx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers });
      expect(res.statusCode).toBe(200);
      await smtp.waitFor(1, 30_000);
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0].rcptTo).toEqual(['joho@city.hakodate.example.lg.jp', 'johoseisaku@city.hakodate.example.lg.jp']);
      // a repeated submit of the same answers sends no second receipt
      expect((await mailCtx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers })).statusCode).toBe(200);
      const receipts = () => mailCtx.database.db.selectFrom('mail_messages').selectAll().where('kind', '=', 'receipt').execute();
      for (let i = 0; i < 100 && (await receipts())[0]?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 100));
      const rows = await receipts();
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('sent');
      expect(rows[0].subject).toContain('受け付けました');
      expect(rows[0].body).toContain('ICTガバナンスの強化: 実施済');
      expect(rows[0].body).toContain('函館市情報化推進計画');
    } finally {
      await mailCtx.close();
      await smtp.close();
    }
  });
});
