// The respondent API (API.md «Respondent») and invitations: tokens, draft/submit, normalisation, concurrency, access.
import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emlOf } from '../server/services/mailings.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { ASAHIKAWA, completeAnswer, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

/** The text of a single-part .eml as a mail client shows it (base64 or quoted-printable decoded). */
function emlText(eml: string): string {
  const at = eml.indexOf('\r\n\r\n');
  const head = eml.slice(0, at);
  const body = eml.slice(at + 4);
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let hakodate: { authorization: string };
let asahikawa: { authorization: string };
let measureCodes: string[];

const inject = (opts: InjectOptions) => ctx.app.inject(opts);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  const issued = await invite(ctx, auth, surveyId, [HAKODATE, ASAHIKAWA]);
  hakodate = bearer(issued[0].token);
  asahikawa = bearer(issued[1].token);
  const survey = (await inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json();
  measureCodes = survey.measures.map((m: { code: string }) => m.code);
});
afterAll(() => ctx.close());

describe('invitations', () => {
  it('issues one link per city with a long random token, stored only as its sha256 hash', async () => {
    const [item] = await invite(ctx, auth, surveyId, ['022012']);
    expect(item.cityCode).toBe('022012');
    expect(Buffer.from(item.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(item.url).toBe(`http://survey.example.lg.jp/r/${item.token}`);
    const rows = await ctx.database.db.selectFrom('invitations').select('token_hash').where('city_code', '=', '022012').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash('sha256').update(item.token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(item.token);
  });

  it('a new invitation revokes the old link: the old token gets 401, its page 410', async () => {
    const [first] = await invite(ctx, auth, surveyId, ['022039']);
    expect((await inject({ method: 'GET', url: '/api/v1/response', headers: bearer(first.token) })).statusCode).toBe(200);
    const [second] = await invite(ctx, auth, surveyId, ['022039']);
    expect(second.token).not.toBe(first.token);
    expect((await inject({ method: 'GET', url: '/api/v1/response', headers: bearer(first.token) })).statusCode).toBe(401);
    expect((await inject({ method: 'GET', url: '/api/v1/response', headers: bearer(second.token) })).statusCode).toBe(200);
    const page = await inject({ method: 'GET', url: `/r/${first.token}` });
    expect(page.statusCode).toBe(410);
  });

  it('without cityCodes, issues links to every participant that has none', async () => {
    const res = await inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: auth, payload: {} });
    expect(res.statusCode).toBe(201);
    const codes = res.json().map((i: { cityCode: string }) => i.cityCode);
    expect(codes).not.toContain(HAKODATE);
    expect(codes).toContain('282049');
    expect(codes.length).toBe(62 - 4);
  });

  it('a city that does not take part is a 400 naming the entry', async () => {
    await inject({ method: 'PUT', url: '/api/v1/cities', headers: auth, payload: [{ code: '131016', name: '千代田区', prefecture: '東京都', population: 66680 }] });
    const res = await inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: auth, payload: { cityCodes: [HAKODATE, '131016'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/cityCodes/1');
  });

  it('send: true mails the link to the city and reports a city without an address', async () => {
    await inject({ method: 'PUT', url: '/api/v1/cities', headers: auth, payload: [{ code: '032018', name: '盛岡市', prefecture: '岩手県', population: 289731, email: 'joho@city.morioka.example.lg.jp' }] });
    const items = await invite(ctx, auth, surveyId, ['032018', '052019'], true);
    expect(items[0].mail).toMatchObject({ status: 'outbox', to: 'joho@city.morioka.example.lg.jp' });
    expect(items[1].mail).toMatchObject({ status: 'no_address', to: null });
    expect(items[1].mail!.message).toContain('メールアドレスが登録されていない');
    const mails = await ctx.database.db.selectFrom('mail_messages').selectAll().where('city_code', '=', '032018').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0].kind).toBe('invitation');
    // the stored body holds no usable token; the link is put back when the mail is exported or sent
    expect(mails[0].body).not.toContain(items[0].token);
    const eml = (await emlOf(ctx.database.db, ctx.app.links, mails[0], 'no-reply@example.lg.jp'))!.toString('utf8');
    expect(emlText(eml)).toContain(items[0].url);
    expect(mails[0].subject).toContain('盛岡市');
    expect(mails[0].body).toContain('西宮市');
  });

  it('organiser routes refuse a respondent token, and respondent routes refuse an organiser token', async () => {
    expect([401, 403]).toContain((await inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers: hakodate })).statusCode);
    expect([401, 403]).toContain((await inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: hakodate, payload: {} })).statusCode);
    expect((await inject({ method: 'GET', url: '/api/v1/response', headers: auth })).statusCode).toBe(401);
    expect((await inject({ method: 'GET', url: '/api/v1/response' })).statusCode).toBe(401);
  });
});

describe('a respondent answers through the API', () => {
  it('before the first save: not_started, version 0, empty answers, the survey and the city', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'not_started', version: 0, city: { code: HAKODATE, name: '函館市' }, survey: { id: surveyId, status: 'open' } });
    expect(body.survey.measures).toHaveLength(46);
    expect(body.answers).toEqual({
      contact: { department: '', personKana: '', phone: '', email: '' },
      plan: { hasPlan: null, name: '', latestNumber: null, updateCycleYears: null, updateCycleIrregular: false, periodStart: null, periodEnd: null, nextPlan: null, notes: '' },
      disclosure: null,
      measures: {},
    });
  });

  it('PUT saves a draft, normalised: 和暦 → 西暦, 第四次 → "第4次", full-width phone, half-width kana', async () => {
    const res = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 0, ...completeAnswer(measureCodes.slice(0, 10)) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'draft', version: 1, hasUnsubmittedChanges: false });
    const body = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(body.status).toBe('draft');
    expect(body.version).toBe(1);
    expect(body.answers.contact).toEqual({ department: '総務部 情報政策課', personKana: 'ハコダテ ハナコ', phone: '0138-21-3111', email: 'johoseisaku@city.hakodate.example.lg.jp' });
    expect(body.answers.plan).toMatchObject({ hasPlan: true, latestNumber: '第4次', updateCycleYears: 5, periodStart: 2014, periodEnd: 2018, nextPlan: 'update' });
    expect(Object.keys(body.answers.measures)).toHaveLength(10);
    expect(body.answers.measures.M01).toBe('implemented');
  });

  it('a stale version gets 409 with a Japanese message, and nothing is overwritten', async () => {
    const res = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 0, contact: { department: '上書き' } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/先に保存/);
    const body = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(body.answers.contact.department).toBe('総務部 情報政策課');
    expect(body.version).toBe(1);
  });

  it('PUT without a version is a 400 naming /version', async () => {
    const res = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { contact: { department: 'x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/version', message: expect.stringMatching(/version/) }]);
  });

  it('values that cannot be stored are a 400 with paths: unreadable year, end before start, cycle out of 1–20', async () => {
    const bad = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 1, plan: { periodStart: '平成かな', updateCycleYears: 21, latestNumber: '最新' } } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/plan/latestNumber', '/plan/periodStart', '/plan/updateCycleYears']);
    const order = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 1, plan: { periodStart: 'R2', periodEnd: 2019 } } });
    expect(order.statusCode).toBe(400);
    expect(order.json().errors).toEqual([{ path: '/plan/periodEnd', message: expect.stringContaining('終了年度') }]);
  });

  it('submit with missing answers is a 422 listing every missing one by path', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/response/submit', headers: hakodate });
    expect(res.statusCode).toBe(422);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('/measures/M11');
    expect(paths).toContain('/measures/M46');
    expect(paths).not.toContain('/measures/M01');
    expect(paths).toHaveLength(36);
    expect(res.json().errors[0].message).toMatch(/選んでください/);
  });

  it('submit checks formats too: kana, phone, e-mail', async () => {
    const saved = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 1, contact: { personKana: '函館 花子', phone: '12-34', email: 'not-an-address' } } });
    expect(saved.statusCode).toBe(200);
    const res = await inject({ method: 'POST', url: '/api/v1/response/submit', headers: hakodate });
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths.slice(0, 3)).toEqual(['/contact/personKana', '/contact/phone', '/contact/email']);
  });

  it('a complete answer submits; the organiser sees it submitted; the API returns exactly what was entered', async () => {
    const current = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    const answer = completeAnswer(measureCodes);
    const put = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: current.version, ...answer } });
    expect(put.statusCode).toBe(200);
    const submit = await inject({ method: 'POST', url: '/api/v1/response/submit', headers: hakodate });
    expect(submit.statusCode).toBe(200);
    expect(submit.json().status).toBe('submitted');
    expect(Date.parse(submit.json().submittedAt)).not.toBeNaN();
    const body = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(body.status).toBe('submitted');
    expect(body.answers.measures).toEqual(answer.measures);
    expect(body.answers.disclosure).toBe('anonymous');
    const list = (await inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers: auth })).json();
    expect(list.find((r: { cityCode: string }) => r.cityCode === HAKODATE)).toMatchObject({ cityName: '函館市', status: 'submitted', submittedAt: submit.json().submittedAt });
    expect(list.find((r: { cityCode: string }) => r.cityCode === ASAHIKAWA)).toMatchObject({ status: 'not_started', submittedAt: null });
  });

  it('editing after submission and submitting again is allowed while open', async () => {
    const current = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    const put = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: current.version, measures: { M01: 'none' }, plan: { updateCycleYears: null, updateCycleIrregular: true } } });
    // after the first submission the status stays submitted; the change waits for the next submission
    expect(put.json()).toMatchObject({ status: 'submitted', hasUnsubmittedChanges: true });
    const again = await inject({ method: 'POST', url: '/api/v1/response/submit', headers: hakodate });
    expect(again.statusCode).toBe(200);
    const body = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(body.answers.measures.M01).toBe('none');
    expect(body.answers.plan).toMatchObject({ updateCycleYears: null, updateCycleIrregular: true });
    expect(body.status).toBe('submitted');
    expect(body.hasUnsubmittedChanges).toBe(false);
  });

  it("a city never sees or changes another city's response", async () => {
    const other = (await inject({ method: 'GET', url: '/api/v1/response', headers: asahikawa })).json();
    expect(other.city.code).toBe(ASAHIKAWA);
    expect(other.status).toBe('not_started');
    expect(JSON.stringify(other)).not.toContain('函館');
    await inject({ method: 'PUT', url: '/api/v1/response', headers: asahikawa, payload: { version: 0, contact: { department: '旭川の部署' } } });
    const mine = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(mine.answers.contact.department).toBe('総務部 情報政策課');
  });

  it('a body over the size limit is refused with 413', async () => {
    const res = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: 1, plan: { notes: 'あ'.repeat(600_000) } } });
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/大きすぎます/);
  });
});

describe('the organiser keys in and corrects answers', () => {
  it('PUT /surveys/:id/responses/:cityCode with submit: true stores, submits and leaves an audit entry', async () => {
    const res = await inject({ method: 'PUT', url: `/api/v1/surveys/${surveyId}/responses/${ASAHIKAWA}`, headers: auth, payload: { ...completeAnswer(measureCodes), submit: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ cityCode: ASAHIKAWA, status: 'submitted' });
    const audit = await ctx.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'response').where('entity_id', '=', `${surveyId}:${ASAHIKAWA}`).orderBy('id', 'desc').execute();
    expect(audit[0]).toMatchObject({ actor_type: 'organiser', action: 'submit' });
  });

  it('an organiser correction with submit: true still needs every answer (422)', async () => {
    const res = await inject({ method: 'PUT', url: `/api/v1/surveys/${surveyId}/responses/022012`, headers: auth, payload: { contact: { department: '企画課' }, submit: true } });
    expect(res.statusCode).toBe(422);
  });
});

describe('after the survey closes', () => {
  it('saving and submitting are refused with 403; reading still works', async () => {
    await inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'closed' } });
    const current = (await inject({ method: 'GET', url: '/api/v1/response', headers: hakodate })).json();
    expect(current.survey.status).toBe('closed');
    const put = await inject({ method: 'PUT', url: '/api/v1/response', headers: hakodate, payload: { version: current.version, contact: { department: 'x' } } });
    expect(put.statusCode).toBe(403);
    expect(put.json().message).toMatch(/受付は終了/);
    expect((await inject({ method: 'POST', url: '/api/v1/response/submit', headers: hakodate })).statusCode).toBe(403);
  });
});
