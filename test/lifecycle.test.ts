// A round's numbers are never wrong and no respondent loses work (issue #11): submitted answers keep counting
// while a city edits, publications are frozen editions, personal links survive reminders, corrections after
// closing need a reason, measures are fixed once the survey is open, results go only to cities that answered.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptRecipients } from '../server/services/response-summary.js';
import { emlOf } from '../server/services/mailings.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser } from './organiser-support.js';
import { ASAHIKAWA, completeAnswer, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

const AOMORI = '022012';
let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let measureCodes: string[];
const tokens: Record<string, string> = {};
const bearer = (city: string) => ({ authorization: `Bearer ${tokens[city]}` });

async function api(method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) {
  return ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}
const results = async () => (await api('GET', `/api/v1/surveys/${surveyId}/results`, auth)).json();
const m01 = (r: { measures: Array<{ code: string; total: number; implemented: number }> }) => r.measures.find((m) => m.code === 'M01')!;
const setStatus = (status: string) => api('PATCH', `/api/v1/surveys/${surveyId}`, auth, { status });

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  measureCodes = (await api('GET', `/api/v1/surveys/${surveyId}`, auth)).json().measures.map((m: { code: string }) => m.code);
  for (const item of await invite(ctx, auth, surveyId, [HAKODATE, ASAHIKAWA, AOMORI])) tokens[item.cityCode] = item.token;
  // 函館 and 旭川 submit M01 実施済; 青森 only saves a draft
  for (const city of [HAKODATE, ASAHIKAWA]) {
    expect((await api('PUT', '/api/v1/response', bearer(city), { version: 0, ...completeAnswer(measureCodes), measures: { ...completeAnswer(measureCodes).measures, M01: 'implemented' } })).statusCode).toBe(200);
    expect((await api('POST', '/api/v1/response/submit', bearer(city))).statusCode).toBe(200);
  }
  await api('PUT', '/api/v1/response', bearer(AOMORI), { version: 0, contact: { department: '青森の部署' } });
});
afterAll(() => ctx.close());

describe('submitted answers keep counting until they are replaced', () => {
  it('a draft saved after submitting keeps the city counted with its submitted answers', async () => {
    const before = await results();
    expect(before.respondents).toBe(2);
    expect(m01(before).implemented).toBe(2);
    const current = (await api('GET', '/api/v1/response', bearer(HAKODATE))).json();
    const put = await api('PUT', '/api/v1/response', bearer(HAKODATE), { version: current.version, measures: { M01: 'none' } });
    expect(put.json()).toMatchObject({ status: 'submitted', hasUnsubmittedChanges: true });
    const after = await results();
    expect(after.respondents).toBe(2);
    expect(m01(after).implemented).toBe(2);
    const read = (await api('GET', '/api/v1/response', bearer(HAKODATE))).json();
    expect(read).toMatchObject({ status: 'submitted', hasUnsubmittedChanges: true });
    expect(read.answers.measures.M01).toBe('none');
    const list = (await api('GET', `/api/v1/surveys/${surveyId}/responses`, auth)).json();
    expect(list.find((r: { cityCode: string }) => r.cityCode === HAKODATE)).toMatchObject({ status: 'submitted', hasUnsubmittedChanges: true });
    expect(list.find((r: { cityCode: string }) => r.cityCode === AOMORI)).toMatchObject({ status: 'draft', hasUnsubmittedChanges: false });
  });

  it('the form says so plainly and offers to discard the changes', async () => {
    const browser = new Browser(ctx);
    await browser.openLink(`/r/${tokens[HAKODATE]}`);
    const form = await browser.get('/respond');
    expect(form.body).toContain('送信済みの回答が集計に使われています。変更は「回答を送信」を押すまで集計に反映されません');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1];
    const discarded = await browser.post('/respond/discard', { version }, '/respond');
    expect(discarded.statusCode).toBe(303);
    const read = (await api('GET', '/api/v1/response', bearer(HAKODATE))).json();
    expect(read).toMatchObject({ status: 'submitted', hasUnsubmittedChanges: false });
    expect(read.answers.measures.M01).toBe('implemented');
  });

  it('submitting again replaces the counted answers', async () => {
    const current = (await api('GET', '/api/v1/response', bearer(HAKODATE))).json();
    await api('PUT', '/api/v1/response', bearer(HAKODATE), { version: current.version, measures: { M01: 'studying' } });
    expect(m01(await results()).implemented).toBe(2);
    expect((await api('POST', '/api/v1/response/submit', bearer(HAKODATE))).statusCode).toBe(200);
    const r = await results();
    expect(m01(r).implemented).toBe(1);
    expect(m01(r).total).toBe(2);
  });

  it('an organiser correction saved as a draft does not change the counted answers; 代理入力・送信 does', async () => {
    await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M01: 'none' } });
    expect(m01(await results()).total).toBe(2);
    await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M01: 'none' }, submit: true });
    expect(m01(await results()).total).toBe(1);
  });

  it('an API client can answer 計画なし: hasPlan false is stored as false, not null', async () => {
    const current = (await api('GET', '/api/v1/response', bearer(AOMORI))).json();
    const put = await api('PUT', '/api/v1/response', bearer(AOMORI), { version: current.version, plan: { hasPlan: false } });
    expect(put.statusCode).toBe(200);
    expect((await api('GET', '/api/v1/response', bearer(AOMORI))).json().answers.plan.hasPlan).toBe(false);
  });
});

describe('nobody\'s typing is lost', () => {
  it('a submit with an impossible period saves everything else (a reload shows it) and marks the period, never a 500', async () => {
    const browser = new Browser(ctx);
    await browser.openLink(`/r/${tokens[AOMORI]}`);
    const res = await browser.post('/respond', { action: 'submit', planName: '青森市情報化推進計画', periodStart: '平成26年度', periodEnd: 'H25', version: /name="version" value="(\d+)"/.exec((await browser.get('/respond')).body)![1] }, '/respond');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#f-periodEnd"');
    expect(res.body).toContain('value="H25"');
    // the page says the period itself was not saved (it is kept as a pair), rather than only 「誤りのない項目は一時保存しました」
    expect(res.body).toContain('計画期間は開始年度と終了年度を組にして保存するため、今回は保存していません。');
    const reload = await browser.get('/respond');
    expect(reload.body).toContain('value="青森市情報化推進計画"');
    expect(reload.body).not.toContain('value="平成26年度"');
  });
});

/** What a browser sends when the page's form is submitted with its defaults: hidden inputs and checked radios. */
function defaultFormFields(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form method="post" action="${action}">([\\s\\S]*?)</form>`).exec(html)![1];
  const fields: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[unescape(m[1])] = unescape(m[2]);
  for (const m of form.matchAll(/<input type="radio"[^>]*name="([^"]+)" value="([^"]+)" checked>/g)) fields[unescape(m[1])] = m[2];
  return fields;
}

describe('two people editing the same city', () => {
  it('the second save gets both versions; the default choice keeps what the first saved and what the second typed', async () => {
    const first = new Browser(ctx);
    const second = new Browser(ctx);
    await first.openLink(`/r/${tokens[AOMORI]}`);
    await second.openLink(`/r/${tokens[AOMORI]}`);
    const secondForm = await second.get('/respond'); // opened before the first person saves
    const version = /name="version" value="(\d+)"/.exec(secondForm.body)![1];
    await first.post('/respond', { action: 'save', version, m_M04: 'studying' }, '/respond');
    const conflict = await second.post('/respond', { action: 'save', version, department: '二人目の部署' }, '/respond');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('二人目の部署');
    const merged = await second.post('/respond/merge', { ...defaultFormFields(conflict.body, '/respond/merge'), choice: 'merge' }, '/respond');
    expect(merged.statusCode).toBe(303);
    const saved = (await api('GET', '/api/v1/response', bearer(AOMORI))).json();
    expect(saved.answers.contact.department).toBe('二人目の部署');
    expect(saved.answers.measures.M04).toBe('studying');
  });
});

describe('two people editing, each changing a different filled-in field', () => {
  it('the merge keeps both changes: a field only the other changed is not reverted to what this person had loaded', async () => {
    const first = new Browser(ctx);
    const second = new Browser(ctx);
    await first.openLink(`/r/${tokens[AOMORI]}`);
    await second.openLink(`/r/${tokens[AOMORI]}`);
    const loaded = (await api('GET', '/api/v1/response', bearer(AOMORI))).json();
    expect(loaded.answers.contact.department).toBe('二人目の部署');
    // the second person's browser sends every field of the form as it was loaded, with their one change
    const { valuesFromAnswers, hiddenInputs } = await import('../server/routes/pages/respondent/form.js');
    const { getResponse } = await import('../server/services/responses.js');
    const state = await getResponse(ctx.database.db, surveyId, AOMORI);
    const formOf = (changes: Record<string, string>) => ({ ...Object.fromEntries(hiddenInputs(valuesFromAnswers(state.model)).map((f) => [f.name, f.value])), ...changes, version: String(loaded.version) });
    await first.post('/respond', { ...formOf({ department: '一人目が直した部署' }), action: 'save' }, '/respond');
    const conflict = await second.post('/respond', { ...formOf({ m_M05: 'implemented' }), action: 'save' }, '/respond');
    expect(conflict.statusCode).toBe(409);
    const merged = await second.post('/respond/merge', { ...defaultFormFields(conflict.body, '/respond/merge'), choice: 'merge' }, '/respond');
    expect(merged.statusCode).toBe(303);
    const saved = (await api('GET', '/api/v1/response', bearer(AOMORI))).json();
    expect(saved.answers.contact.department).toBe('一人目が直した部署');
    expect(saved.answers.measures.M05).toBe('implemented');
  });
});

describe('personal links survive reminders', () => {
  it('a reminder re-sends the same link, and the link keeps working', async () => {
    const res = await api('POST', `/api/v1/surveys/${surveyId}/reminders`, auth, { cityCodes: [AOMORI] });
    expect(res.statusCode).toBe(201);
    const [reminder] = res.json();
    expect(reminder.url).toBe(`http://survey.example.lg.jp/r/${tokens[AOMORI]}`);
    expect((await api('GET', '/api/v1/response', bearer(AOMORI))).statusCode).toBe(200);
  });

  it('without cityCodes a reminder goes to every participant that has not submitted (not to the host)', async () => {
    const res = await api('POST', `/api/v1/surveys/${surveyId}/reminders`, auth, {});
    const codes = res.json().map((r: { cityCode: string }) => r.cityCode);
    expect(codes).toContain(AOMORI);
    expect(codes).not.toContain(HAKODATE);
    expect(codes).not.toContain('282049');
  });

  it('a mail scanner fetching the link (GET) does not count as 閲覧済', async () => {
    await ctx.database.db.updateTable('invitations').set({ opened_at: null }).where('city_code', '=', AOMORI).execute();
    const page = await ctx.app.inject({ method: 'GET', url: `/r/${tokens[AOMORI]}` });
    expect(page.statusCode).toBe(200);
    const [inv] = await ctx.database.db.selectFrom('invitations').select('opened_at').where('city_code', '=', AOMORI).where('revoked_at', 'is', null).execute();
    expect(inv.opened_at).toBeNull();
  });
});

describe('closing and publishing freeze what they should', () => {
  it('after closing, a correction needs a reason (422 without, audited with it)', async () => {
    expect((await setStatus('closed')).statusCode).toBe(200);
    const without = await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M02: 'none' }, submit: true });
    expect(without.statusCode).toBe(422);
    expect(without.json().errors[0].path).toBe('/reason');
    const withReason = await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M02: 'none' }, submit: true, reason: '電話で訂正の連絡があったため' });
    expect(withReason.statusCode).toBe(200);
    const audit = await ctx.database.db.selectFrom('audit_log').select('after').where('entity_id', '=', `${surveyId}:${ASAHIKAWA}`).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.after)).toContain('電話で訂正の連絡があったため');
    // respondents cannot change anything after closing
    expect((await api('PUT', '/api/v1/response', bearer(AOMORI), { version: 99, contact: { department: 'x' } })).statusCode).toBe(403);
  });

  it('on the correction form, a missing 修正理由 is named at the top (linked to the field) and beside the field, and nothing typed is lost', async () => {
    const staff = new Browser(ctx);
    expect((await staff.login(ORGANISER.email, ORGANISER.password)).statusCode).toBe(303);
    const url = `/organiser/surveys/${surveyId}/responses/${ASAHIKAWA}`;
    const page = await staff.get(url);
    // the city's answers as they stand, with the reading typed in ひらがな and the cycle in kanji
    const current = (await api('GET', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth)).json().answers;
    const fields = {
      version: /name="version" value="(\d+)"/.exec(page.body)![1],
      department: current.contact.department,
      personKana: 'あさひかわ　はなこ',
      phone: current.contact.phone,
      email: current.contact.email,
      hasPlan: current.plan.hasPlan ? 'yes' : 'no',
      planName: current.plan.name,
      latestNumber: String(current.plan.latestNumber ?? ''),
      updateCycleYears: '五年ごと',
      periodStart: String(current.plan.periodStart ?? ''),
      periodEnd: String(current.plan.periodEnd ?? ''),
      nextPlan: current.plan.nextPlan ?? '',
      notes: current.plan.notes,
      disclosure: current.disclosure,
      ...Object.fromEntries(Object.entries(current.measures as Record<string, string>).map(([code, v]) => [`m_${code}`, v])),
      action: 'submit',
    };
    const refused = await staff.post(url, { ...fields, reason: '' }, url);
    expect(refused.statusCode).toBe(422);
    const html = refused.body;
    // the summary comes before the answers shown above the form, and its link goes to the reason field
    const summaryAt = html.indexOf('class="error-summary"');
    expect(summaryAt).toBeGreaterThan(-1);
    expect(summaryAt).toBeLessThan(html.indexOf('<h2>回答の内容</h2>'));
    expect(html).toContain('<a href="#f-reason">修正理由を入力してください。</a>');
    expect(html).toMatch(/<p class="field-error" id="f-reason-error">.*修正理由を入力してください。<\/p>\s*<textarea id="f-reason" name="reason"[^>]*aria-describedby="f-reason-hint f-reason-error" aria-invalid="true">/);
    expect(html).toContain('value="あさひかわ　はなこ"');
    expect(html).toContain('value="五年ごと"');
    // with a reason, the same form is saved: ひらがな as カタカナ, 「五年ごと」 as 5
    const saved = await staff.post(url, { ...fields, reason: 'FAX で訂正の連絡があったため' }, url);
    expect(saved.statusCode).toBe(303);
    const read = (await api('GET', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth)).json();
    expect(read.answers.contact.personKana).toBe('アサヒカワ ハナコ');
    expect(read.answers.plan.updateCycleYears).toBe(5);
  });

  it('publishing freezes the results respondents receive: live changes do not reach them until published again', async () => {
    expect((await setStatus('published')).statusCode).toBe(200);
    const first = await api('GET', '/api/v1/response/results', bearer(HAKODATE));
    expect(first.statusCode).toBe(200);
    expect(first.json().edition).toBe(1);
    const firstTotal = m01(first.json()).total;
    expect(firstTotal).toBe(1);
    // a correction while published is refused: the publication must be withdrawn first
    expect((await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M01: 'implemented' }, submit: true, reason: 'x' })).statusCode).toBe(409);
    // withdraw (published → closed), correct, publish again as 第2版
    expect((await setStatus('closed')).statusCode).toBe(200);
    expect((await api('GET', '/api/v1/response/results', bearer(HAKODATE))).statusCode).toBe(403);
    await api('PUT', `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, auth, { measures: { M01: 'implemented' }, submit: true, reason: '集計誤りの訂正' });
    expect(m01(await results()).total).toBe(2);
    expect((await setStatus('published')).statusCode).toBe(200);
    const second = (await api('GET', '/api/v1/response/results', bearer(HAKODATE))).json();
    expect(second.edition).toBe(2);
    expect(m01(second).total).toBe(2);
    // the printed workbook says which edition it is
    const xlsx = await api('GET', '/api/v1/response/results.xlsx', bearer(HAKODATE));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(String(wb.getWorksheet('集計表')!.getCell('A1').value)).toContain('第2版');
  });

  it('the respondent results page names the edition and when it was published', async () => {
    const browser = new Browser(ctx);
    await browser.openLink(`/r/${tokens[HAKODATE]}`);
    const page = await browser.get('/respond/results');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('第2版');
    expect(page.body).toContain('公表');
    // both cities that answered chose 市名を伏せれば公表してよい: the plan periods are withheld, and the paragraph says
    // only that (not that A市・B市 are shown or that 公表しない cities are left out)
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('回答団体数が少ないため、団体ごとの計画期間は表示していません（計画期間の回答がある団体: 2 団体、期間の回答がない団体: 0 団体）。');
    expect(text).not.toContain('A市・B市… と表記');
    expect(text).not.toContain('公表しない団体');
    expect(page.body).not.toContain('団体ごとの計画期間</caption>');
  });

  it('a city that never submitted cannot see the results, and gets a page saying why', async () => {
    expect((await api('GET', '/api/v1/response/results', bearer(AOMORI))).statusCode).toBe(403);
    expect((await api('GET', '/api/v1/response/results.xlsx', bearer(AOMORI))).statusCode).toBe(403);
    const browser = new Browser(ctx);
    await browser.openLink(`/r/${tokens[AOMORI]}`);
    const page = await browser.get('/respond/results');
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('回答を送信した団体');
  });

  it('the results mail carries each city its own personal link', async () => {
    const res = await api('POST', `/api/v1/surveys/${surveyId}/results/notify`, auth);
    expect(res.statusCode).toBe(200);
    const [mail] = await ctx.database.db.selectFrom('mail_messages').selectAll().where('kind', '=', 'results').where('city_code', '=', HAKODATE).execute();
    expect(mail.body).not.toContain(tokens[HAKODATE]);
    const eml = (await emlOf(ctx.database.db, ctx.app.links, mail, 'no-reply@example.lg.jp'))!.toString('utf8');
    const at = eml.indexOf('\r\n\r\n');
    const text = /base64/i.test(eml.slice(0, at)) ? Buffer.from(eml.slice(at + 4).replace(/\s+/g, ''), 'base64').toString('utf8') : eml;
    expect(text.replace(/=\r?\n/g, '')).toContain(`/r/${tokens[HAKODATE]}`);
  });
});

describe('measures are fixed once the survey is open', () => {
  it('adding, retiring or reordering after draft is a 409; correcting a label is allowed while closed', async () => {
    const created = (await api('POST', '/api/v1/surveys', auth, { title: '対策の確認', hostCityCode: '282049', deadline: '2027-01-22' })).json();
    const id = created.id;
    const add = await api('POST', `/api/v1/surveys/${id}/measures`, auth, { code: 'M47', category: '自治体の対策', label: '生成AIの活用' });
    expect(add.statusCode).toBe(201);
    const measures = (await api('GET', `/api/v1/surveys/${id}`, auth)).json().measures as Array<{ code: string; category: string }>;
    const at = measures.findIndex((m) => m.code === 'M47');
    // at the end of its own category, not at the end of the survey: the category appears once
    expect(measures[at - 1].category).toBe('自治体の対策');
    expect(measures[at + 1].category).not.toBe('自治体の対策');
    const categories = measures.map((m) => m.category).filter((c, i, all) => all.indexOf(c) === i);
    expect(categories).toHaveLength(4);
    const typo = await api('POST', `/api/v1/surveys/${id}/measures`, auth, { code: 'M48', category: '自治体の対作', label: 'x' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors[0].path).toBe('/category');
    await api('PATCH', `/api/v1/surveys/${id}`, auth, { status: 'open' });
    expect((await api('POST', `/api/v1/surveys/${id}/measures`, auth, { code: 'M49', category: '自治体の対策', label: 'x' })).statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/surveys/${id}/measures/M01`, auth, { retired: true })).statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/surveys/${id}/measures/M02`, auth, { after: null })).statusCode).toBe(409);
    await api('PATCH', `/api/v1/surveys/${id}`, auth, { status: 'closed' });
    const rename = await api('PATCH', `/api/v1/surveys/${id}/measures/M01`, auth, { label: 'ICTガバナンスの強化（訂正）' });
    expect(rename.statusCode).toBe(200);
    expect(rename.json().label).toBe('ICTガバナンスの強化（訂正）');
  });
});

describe('receipts', () => {
  it('go to the roster address, and to the typed contact only within its mail domain', () => {
    expect(receiptRecipients('joho@city.hakodate.example.lg.jp', 'tanto@city.hakodate.example.lg.jp')).toEqual(['joho@city.hakodate.example.lg.jp', 'tanto@city.hakodate.example.lg.jp']);
    expect(receiptRecipients('joho@city.hakodate.example.lg.jp', 'victim@example.com')).toEqual(['joho@city.hakodate.example.lg.jp']);
    expect(receiptRecipients(null, 'victim@example.com')).toEqual([]);
  });
});

describe('request logs', () => {
  it('never hold a personal link token', async () => {
    const { PassThrough } = await import('node:stream');
    const { buildApp } = await import('../server/app.js');
    const { openTestDatabase, testConfig } = await import('./helper.js');
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const database = await openTestDatabase();
    const app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { database, logStream: stream });
    try {
      const token = 'A'.repeat(43);
      await app.inject({ method: 'GET', url: `/r/${token}` });
      await app.inject({ method: 'POST', url: `/r/${token}` });
      const log = lines.join('');
      expect(log).toContain('/r/[非表示]');
      expect(log).not.toContain(token);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('the contact block of the mails', () => {
  it('is the survey\'s own 担当部署, 電話 and メール, not the generated admin address', async () => {
    const bad = await api('PATCH', `/api/v1/surveys/${surveyId}`, auth, { contactEmail: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/contactEmail');
    const ok = await api('PATCH', `/api/v1/surveys/${surveyId}`, auth, { contactDepartment: '総務局 情報管理部 情報企画課', contactPhone: '0798-35-3151', contactEmail: 'joho@nishi.example.lg.jp' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().contact).toEqual({ department: '総務局 情報管理部 情報企画課', phone: '0798-35-3151', email: 'joho@nishi.example.lg.jp' });
    await api('PUT', '/api/v1/cities', auth, [{ code: AOMORI, name: '青森市', prefecture: '青森県', population: 275192, email: 'joho@city.aomori.example.lg.jp' }]);
    await api('POST', `/api/v1/surveys/${surveyId}/reminders`, auth, { cityCodes: [AOMORI], send: true });
    const mail = await ctx.database.db.selectFrom('mail_messages').selectAll().where('kind', '=', 'reminder').where('city_code', '=', AOMORI).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail.body).toContain('総務局 情報管理部 情報企画課');
    expect(mail.body).toContain('電話: 0798-35-3151');
    expect(mail.body).toContain('メール: joho@nishi.example.lg.jp');
  });
});
