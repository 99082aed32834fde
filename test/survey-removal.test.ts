// Taking things back during a round: removing a city from the participants (its link stops working, an answer
// is removed only after confirmation, the audit log keeps what was removed), deleting a survey never opened, and
// the participants page's band counts without the host city.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/repositories/audit.js';
import { findResponse } from '../server/repositories/responses.js';
import { findSurvey, listParticipants } from '../server/repositories/surveys.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser, textOf } from './organiser-support.js';
import { ASAHIKAWA, completeAnswer, HAKODATE, invite } from './respondent-fixtures.js';

const NISHINOMIYA = '282049';
const HIMEJI = '282014';
const TOYONAKA = '272035';

let ctx: TestContext;
let auth: { authorization: string };
let browser: Browser;
let surveyId: number;

async function newSurvey(title: string, cityCodes: string[]): Promise<number> {
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title, hostCityCode: NISHINOMIYA, deadline: '2027-01-29' } });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as number;
  if (cityCodes.length > 0) expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/participants`, headers: auth, payload: { cityCodes } })).statusCode).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  browser = new Browser(ctx);
  await browser.login(ORGANISER.email, ORGANISER.password);
  surveyId = await newSurvey('令和8年度 中核市情報化推進計画調査', [HAKODATE, ASAHIKAWA, HIMEJI, TOYONAKA]);
  expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: auth, payload: { status: 'open' } })).statusCode).toBe(200);
});
afterAll(() => ctx.close());

const codes = async (id: number) => (await listParticipants(ctx.database.db, id)).map((p) => p.city_code);

describe('the participants page counts the host apart', () => {
  it('band counts leave 本市 out and name it separately', async () => {
    const id = await newSurvey('人口区分の確認', [HAKODATE, ASAHIKAWA]);
    const text = textOf((await browser.get(`/organiser/surveys/${id}/participants`)).body);
    // 函館市 251,084 人 → 30万人未満; 旭川市 329,306 人 → 30万人以上50万人未満; 西宮市 485,587 人 is the host
    expect(text).toContain('30万人未満の市: 1 団体');
    expect(text).toContain('30万人以上50万人未満の市: 1 団体');
    expect(text).toContain('50万人以上の市: 0 団体');
    expect(text).toContain('照会先（本市を除く）: 2 団体。このほかに本市（西宮市、30万人以上50万人未満の市）');
  });
});

describe('removing a participant', () => {
  it('a city without answers is removed at once; its personal link is refused from then on', async () => {
    const [link] = await invite(ctx, auth, surveyId, [HAKODATE]);
    const respondent = new Browser(ctx);
    await respondent.openLink(link.url);
    expect((await respondent.get('/respond')).statusCode).toBe(200);

    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/${HAKODATE}`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ participants: 4 });
    expect(await codes(surveyId)).not.toContain(HAKODATE);

    const page = await ctx.app.inject({ method: 'GET', url: link.url, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(textOf(page.body)).toContain('このリンクは無効です');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${link.token}` } })).statusCode).toBe(401);
    // the session the respondent had opened is over too
    const form = await respondent.get('/respond');
    expect(form.statusCode).toBe(401);
    expect(textOf(form.body)).toContain('回答画面を開けません');

    const entry = (await listAudit(ctx.database.db, { entity: 'participant', entityId: `${surveyId}:${HAKODATE}` }))[0];
    expect(entry).toMatchObject({ action: 'remove-participant', actor: ORGANISER.email, survey_id: surveyId });
    expect(entry.before).toMatchObject({ cityCode: HAKODATE, cityName: '函館市', population: 251084, band: '30万人未満の市', response: null });
    expect(entry.after).toMatchObject({ linkRevoked: true, confirmed: false });
  });

  it('a city that has answered is removed only with confirm=true, and the audit log keeps its answers', async () => {
    const [link] = await invite(ctx, auth, surveyId, [ASAHIKAWA]);
    const bearer = { authorization: `Bearer ${link.token}` };
    const measures = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer })).json().survey.measures.map((m: { code: string }) => m.code);
    const saved = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { version: 0, ...completeAnswer(measures) } });
    expect(saved.statusCode).toBe(200);

    const refused = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/${ASAHIKAWA}`, headers: auth });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('「旭川市」には一時保存中の回答があります');
    expect(refused.json().message).toContain('confirm=true');
    expect(await codes(surveyId)).toContain(ASAHIKAWA);

    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/${ASAHIKAWA}?confirm=true`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(await findResponse(ctx.database.db, surveyId, ASAHIKAWA)).toBeUndefined();
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer })).statusCode).toBe(401);

    const entry = (await listAudit(ctx.database.db, { entity: 'participant', entityId: `${surveyId}:${ASAHIKAWA}` }))[0];
    const before = entry.before as { cityName: string; response: { status: string; answers: { contact: { department: string }; measures: Record<string, string> } } };
    expect(before.cityName).toBe('旭川市');
    expect(before.response.status).toBe('draft');
    expect(before.response.answers.contact.department).toBe('総務部 情報政策課');
    expect(before.response.answers.measures[measures[0]]).toBe('implemented');
    expect(entry.after).toMatchObject({ confirmed: true });

    const audit = textOf((await browser.get(`/organiser/audit?city=${ASAHIKAWA}`)).body);
    expect(audit).toContain('照会先団体から外す（旭川市。一時保存中の回答を削除）');
  });

  it('the host city cannot be removed, not even with confirm', async () => {
    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/${NISHINOMIYA}?confirm=true`, headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('本市のため、照会先団体から外せません');
    expect(await codes(surveyId)).toContain(NISHINOMIYA);
    const page = textOf((await browser.get(`/organiser/surveys/${surveyId}/participants`)).body);
    expect(page).toContain('（本市は外せません）');
  });

  it('a city that is not taking part is a 404, a wrong check digit a 400', async () => {
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/${HAKODATE}`, headers: auth })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}/participants/282040`, headers: auth })).statusCode).toBe(400);
  });

  it('on the page: the confirmation names the answer that will be deleted, and the city is removed after it', async () => {
    const [link] = await invite(ctx, auth, surveyId, [HIMEJI]);
    const bearer = { authorization: `Bearer ${link.token}` };
    await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { version: 0, contact: { department: '情報政策課' } } });
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: bearer })).statusCode).toBe(422);
    const list = await browser.get(`/organiser/surveys/${surveyId}/participants`);
    expect(list.body).toContain(`href="/organiser/surveys/${surveyId}/participants/${HIMEJI}/remove"`);
    const confirm = await browser.get(`/organiser/surveys/${surveyId}/participants/${HIMEJI}/remove`);
    expect(textOf(confirm.body)).toContain('「姫路市」には一時保存中の回答があります');
    const done = await browser.post(`/organiser/surveys/${surveyId}/participants/${HIMEJI}/remove`, { confirm: 'yes' }, `/organiser/surveys/${surveyId}/participants/${HIMEJI}/remove`);
    expect(done.statusCode).toBe(303);
    const after = textOf((await browser.get(done.headers.location as string)).body);
    expect(after).toContain('「姫路市」を照会先団体から外しました（照会先団体は 2 団体）');
    expect(await codes(surveyId)).toEqual([TOYONAKA, NISHINOMIYA]);
  });

  it('mail not yet sent to a removed city is dropped; mail already sent stays on record', async () => {
    const id = await newSurvey('メールの取り消し', [HAKODATE, ASAHIKAWA]);
    const cities = (await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: auth })).json().filter((c: { code: string }) => [HAKODATE, ASAHIKAWA].includes(c.code));
    await ctx.app.inject({ method: 'PUT', url: '/api/v1/cities', headers: auth, payload: cities.map((c: object & { code: string }) => ({ ...c, email: `joho-${c.code}@example.lg.jp` })) });
    const sent = await invite(ctx, auth, id, [HAKODATE, ASAHIKAWA], true);
    expect(sent.map((s) => s.mail?.status)).toEqual(['outbox', 'outbox']); // no SMTP in this test: the 送信トレイ
    const mail = () => ctx.database.db.selectFrom('mail_messages').select(['city_code', 'status']).where('survey_id', '=', id).orderBy('city_code').execute();
    expect(await mail()).toEqual([{ city_code: HAKODATE, status: 'outbox' }, { city_code: ASAHIKAWA, status: 'outbox' }]);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${id}/participants/${HAKODATE}`, headers: auth })).statusCode).toBe(200);
    expect(await mail()).toEqual([{ city_code: ASAHIKAWA, status: 'outbox' }]);
    const entry = (await listAudit(ctx.database.db, { entity: 'participant', entityId: `${id}:${HAKODATE}` }))[0];
    expect(entry.after).toMatchObject({ unsentMailCancelled: 1 });
  });

  it('the OpenAPI document describes both DELETE routes', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const remove = doc.paths['/api/v1/surveys/{id}/participants/{cityCode}'].delete;
    expect(remove.summary).toContain('照会先団体から外す');
    expect(remove.description).toContain('?confirm=true');
    expect(Object.keys(remove.responses)).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(doc.paths['/api/v1/surveys/{id}'].delete.summary).toContain('準備中の調査のみ');
  });

  it('a city without answers needs no confirmation on the page either', async () => {
    const confirm = await browser.get(`/organiser/surveys/${surveyId}/participants/${TOYONAKA}/remove`);
    expect(textOf(confirm.body)).not.toContain('この団体には回答があります');
    const done = await browser.post(`/organiser/surveys/${surveyId}/participants/${TOYONAKA}/remove`, {}, `/organiser/surveys/${surveyId}/participants/${TOYONAKA}/remove`);
    expect(done.statusCode).toBe(303);
    expect(await codes(surveyId)).toEqual([NISHINOMIYA]);
  });
});

describe('deleting a survey', () => {
  it('a survey that has been opened cannot be deleted (409)', async () => {
    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${surveyId}`, headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('一度も公開していない（準備中の）調査だけです');
    expect(await findSurvey(ctx.database.db, surveyId)).toBeDefined();
    const page = await browser.get(`/organiser/surveys/${surveyId}`);
    expect(page.body).not.toContain(`/organiser/surveys/${surveyId}/delete`);
  });

  it('a draft is deleted through the API; its links are refused and the audit log keeps what it was', async () => {
    const id = await newSurvey('削除する調査', [HAKODATE]);
    const [link] = await invite(ctx, auth, id, [HAKODATE]);
    expect((await ctx.app.inject({ method: 'GET', url: link.url })).statusCode).toBe(200);
    const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/surveys/${id}`, headers: auth });
    expect(res.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}`, headers: auth })).statusCode).toBe(404);
    const page = await ctx.app.inject({ method: 'GET', url: link.url, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(textOf(page.body)).toContain('調査を削除した');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${link.token}` } })).statusCode).toBe(401);
    const entry = (await listAudit(ctx.database.db, { entity: 'survey', entityId: String(id) })).find((e) => e.action === 'delete');
    expect(entry?.before).toMatchObject({ title: '削除する調査', deadline: '2027-01-29', hostCityName: '西宮市', participants: 2 });
  });

  it('a draft is deleted from its page after a confirmation', async () => {
    const id = await newSurvey('画面から削除する調査', []);
    const settings = await browser.get(`/organiser/surveys/${id}`);
    expect(settings.body).toContain(`href="/organiser/surveys/${id}/delete"`);
    expect(textOf((await browser.get(`/organiser/surveys/${id}/delete`)).body)).toContain('削除は取り消せません');
    const done = await browser.post(`/organiser/surveys/${id}/delete`, {}, `/organiser/surveys/${id}/delete`);
    expect(done.statusCode).toBe(303);
    expect(textOf((await browser.get(done.headers.location as string)).body)).toContain('調査「画面から削除する調査」を削除しました');
    expect(await findSurvey(ctx.database.db, id)).toBeUndefined();
    expect((await browser.get(`/organiser/surveys/${id}`)).statusCode).toBe(404);
  });
});
