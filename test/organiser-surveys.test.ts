// Survey set-up and tracking in the console: copy a round, settings, measures, participants, status moves
// with confirmation, the dashboard, an organiser's correction of a city's answers, and the audit page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/repositories/audit.js';
import { findSurvey, listMeasures, listParticipants } from '../server/repositories/surveys.js';
import { getResponse } from '../server/services/responses.js';
import { buildTestApp, type TestContext } from './helper.js';
import { Browser, createAccount, textOf } from './organiser-support.js';

let ctx: TestContext;
let browser: Browser;
let demoId: number;
let roundId: number;
const STAFF = 'staff@city.nishinomiya.example.lg.jp';

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  await createAccount(ctx, STAFF, 'staff-password-123', 'staff');
  browser = new Browser(ctx);
  await browser.login(STAFF, 'staff-password-123');
  demoId = Number(/href="\/organiser\/surveys\/(\d+)"/.exec((await browser.get('/organiser/surveys')).body)![1]);
});
afterAll(() => ctx.close());

describe('a new round by copying the previous one', () => {
  it('copies measures with their codes, participants, intro and mail texts, and remembers where it came from', async () => {
    await browser.post(`/organiser/surveys/${demoId}/mail-texts/invitation`, { subject: '{{cityName}}様 依頼', body: 'リンク: {{url}}' }, `/organiser/surveys/${demoId}/mail-texts`);
    const res = await browser.post('/organiser/surveys', { source: String(demoId), title: '令和8年度 中核市情報化推進計画調査', deadline: '2027-01-29', hostCityCode: '' });
    expect(res.statusCode).toBe(303);
    roundId = Number(/\/organiser\/surveys\/(\d+)/.exec(res.headers.location as string)![1]);
    const db = ctx.database.db;
    const [demo, round] = [await findSurvey(db, demoId), await findSurvey(db, roundId)];
    expect(round).toMatchObject({ title: '令和8年度 中核市情報化推進計画調査', deadline: '2027-01-29', status: 'draft', copied_from_survey_id: demoId, host_city_code: demo!.host_city_code, intro_text: demo!.intro_text, invitation_subject: '{{cityName}}様 依頼' });
    const codes = async (id: number) => (await listMeasures(db, id)).map((m) => `${m.code} ${m.label}`);
    expect(await codes(roundId)).toEqual(await codes(demoId));
    expect((await listMeasures(db, roundId))).toHaveLength(46);
    const cities = async (id: number) => (await listParticipants(db, id)).map((p) => p.city_code);
    expect(await cities(roundId)).toEqual(await cities(demoId));
    const page = await browser.get(res.headers.location as string);
    expect(textOf(page.body)).toContain(`調査 ${demoId} をコピーして作成`);
    const audit = await listAudit(db, { entity: 'survey', entityId: String(roundId) });
    expect(audit.find((a) => a.action === 'copy')?.actor).toBe(STAFF);
  });

  it('settings are edited through the form, and a bad threshold is explained', async () => {
    const ok = await browser.post(`/organiser/surveys/${roundId}`, { title: '令和8年度 調査', deadline: '2027-02-26', hostCityCode: '282049', bandThresholds: '300,000, 500000', introText: '今年もご協力をお願いします。' });
    expect(ok.statusCode).toBe(303);
    expect(await findSurvey(ctx.database.db, roundId)).toMatchObject({ title: '令和8年度 調査', deadline: '2027-02-26', band_thresholds: [300000, 500000], intro_text: '今年もご協力をお願いします。' });
    const bad = await browser.post(`/organiser/surveys/${roundId}`, { title: '令和8年度 調査', deadline: '2027-02-26', hostCityCode: '282049', bandThresholds: '500000, 300000', introText: '' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('人口区分の境界は小さい順に');
  });
});

describe('measures', () => {
  it('adds, renames, reorders and retires; a retired measure leaves the form but keeps its answers', async () => {
    const base = `/organiser/surveys/${roundId}/measures`;
    expect((await browser.post(base, { code: 'M47', category: 'インフラ', label: '生成AIの活用' })).statusCode).toBe(303);
    expect((await browser.post(base, { code: 'M47', category: 'インフラ', label: '重複' })).statusCode).toBe(400);
    await browser.post(`${base}/M47`, { action: 'rename', category: 'インフラ', label: '生成AIの業務活用' }, base);
    await browser.post(`${base}/M47`, { action: 'up' }, base);
    const measures = await listMeasures(ctx.database.db, roundId);
    expect(measures.map((m) => m.code).slice(-2)).toEqual(['M47', 'M46']);
    expect(measures.find((m) => m.code === 'M47')!.label).toBe('生成AIの業務活用');

    // an answer keyed in for M02 (still 準備中) before it is retired
    const answered = await browser.post(`/organiser/surveys/${roundId}/responses/272272`, { version: '0', action: 'save', m_M02: 'implemented' }, `/organiser/surveys/${roundId}/responses/272272`);
    expect(answered.statusCode).toBe(303);
    await browser.post(`${base}/M02`, { action: 'retire' }, base);
    const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${roundId}`, headers: { cookie: browser.cookieHeader } });
    expect(api.json().measures.map((m: { code: string }) => m.code)).not.toContain('M02');
    const page = await browser.get(base);
    expect(textOf(page.body)).toMatch(/廃止した対策 .*M02 .* 1 M02 を復活/);
    const stored = await ctx.database.db.selectFrom('response_answers').innerJoin('measures', 'measures.id', 'response_answers.measure_id').select(['measures.code', 'response_answers.answer']).where('measures.survey_id', '=', roundId).execute();
    expect(stored).toContainEqual({ code: 'M02', answer: 'implemented' });
    const audit = await listAudit(ctx.database.db, { entity: 'measure', surveyId: roundId });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['add-measure', 'measure:rename', 'measure:up', 'measure:retire']));

    // once open, the controls are gone and the page says why; a crafted post is refused
    await ctx.database.db.updateTable('surveys').set({ status: 'open' }).where('id', '=', roundId).execute();
    const open = await browser.get(base);
    expect(textOf(open.body)).toContain('対策の追加・廃止・並べ替えはできません');
    expect(open.body).not.toContain('を廃止</button>');
    const refused = await browser.post(`${base}/M03`, { action: 'retire', _csrf: /name="_csrf" value="([^"]+)"/.exec(open.body)![1] });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('準備中');
  });
});

describe('participants and status', () => {
  it('shows each participant with its population snapshot and band, and adds all roster cities with one click', async () => {
    const fresh = await browser.post('/organiser/surveys', { source: 'template', title: '試験調査', deadline: '2027-01-29', hostCityCode: '282049' });
    const id = /\/organiser\/surveys\/(\d+)/.exec(fresh.headers.location as string)![1];
    const add = await browser.post(`/organiser/surveys/${id}/participants`, { all: 'roster' });
    expect(textOf((await browser.get(add.headers.location as string)).body)).toContain('61 団体を追加しました（照会先団体は 62 団体）');
    const page = await browser.get(`/organiser/surveys/${id}/participants`);
    expect(textOf(page.body)).toMatch(/282049 兵庫県 西宮市（本市） 485,587 2020年10月1日 30万人以上50万人未満の市/);
  });

  it('status moves need a confirmation step and follow API.md', async () => {
    const id = roundId;
    const confirm = await browser.get(`/organiser/surveys/${id}/status?to=closed`);
    expect(confirm.statusCode).toBe(200);
    expect(textOf(confirm.body)).toContain('「回答受付中」から「締切」に変更します');
    // only 東大阪市 has saved anything (a draft, named above): every other city but 本市 is named as without an
    // answer, and 本市's missing answer is said
    const others = (await listParticipants(ctx.database.db, id)).filter((p) => p.city_code !== '282049');
    expect(textOf(confirm.body)).toContain('東大阪市: 一時保存中（未送信）');
    expect(textOf(confirm.body)).toContain(`回答のない団体があります（${others.length - 1} 団体）`);
    expect(textOf(confirm.body)).toContain('函館市、旭川市');
    expect(textOf(confirm.body)).toContain('本市の回答がまだありません');
    expect((await findSurvey(ctx.database.db, id))!.status).toBe('open');
    await browser.post(`/organiser/surveys/${id}/status`, { to: 'closed' }, `/organiser/surveys/${id}/status?to=closed`);
    expect((await findSurvey(ctx.database.db, id))!.status).toBe('closed');
    expect(textOf((await browser.get(`/organiser/surveys/${id}`)).body)).toContain('再開（回答受付を再開）');
    const refused = await browser.post(`/organiser/surveys/${id}/status`, { to: 'draft' }, `/organiser/surveys/${id}`);
    expect(refused.statusCode).toBe(409);
    expect(textOf(refused.body)).toContain('変更することはできません');
    await browser.post(`/organiser/surveys/${id}/status`, { to: 'open' }, `/organiser/surveys/${id}/status?to=open`);
    expect((await findSurvey(ctx.database.db, id))!.status).toBe('open');
  });
});

describe('tracking and corrections', () => {
  it('an organiser keys in a city answer from a fax; the dashboard counts it by band; the audit log shows it', async () => {
    const url = `/organiser/surveys/${roundId}/responses/292010`;
    const measures = await listMeasures(ctx.database.db, roundId);
    const fields: Record<string, string> = {
      version: '0', action: 'submit', department: '総務部 情報政策課', personKana: 'ナラ ハナコ', phone: '0742-34-1111', email: 'joho@nara.example.lg.jp',
      hasPlan: 'no', disclosure: 'anonymous',
    };
    for (const m of measures) fields[`m_${m.code}`] = 'none';
    fields.m_M01 = 'implemented';
    const incomplete = await browser.post(url, { ...fields, disclosure: '' }, url);
    expect(incomplete.statusCode).toBe(422);
    expect(textOf(incomplete.body)).toContain('送信できません');
    const res = await browser.post(url, fields, url);
    expect(res.statusCode).toBe(303);
    const state = await getResponse(ctx.database.db, roundId, '292010');
    expect(state.status).toBe('submitted');
    expect(state.answers.measures.M01).toBe('implemented');

    const dash = await browser.get(`/organiser/surveys/${roundId}/dashboard`);
    const text = textOf(dash.body);
    expect(text).toMatch(/回答済 1 \/ 61 団体/);
    // the headline leaves 本市 out; the filter counts every row of the table below it, 本市 included, and says so
    expect(text).toContain('状況で絞り込む（団体数は本市を含みます）');
    expect(text).toMatch(/30万人以上50万人未満の市 \d+ 1 /);
    const filtered = textOf((await browser.get(`/organiser/surveys/${roundId}/dashboard?status=submitted`)).body);
    expect(filtered).toContain('「回答済」の団体（1 団体）');
    expect(filtered).toContain('奈良市');

    const stale = await browser.post(url, { ...fields, version: '0', action: 'save' }, url);
    expect(stale.statusCode).toBe(409);

    const audit = textOf((await browser.get(`/organiser/audit?entity=response&surveyId=${roundId}&actor=staff`)).body);
    expect(audit).toContain(`回答 奈良市（調査 ${roundId}）`);
    // the operation in Japanese, who did it by name, and the fields it changed
    expect(audit).toContain('送信');
    expect(audit).toMatch(/担当部署: （未回答） → 総務部 情報政策課/);
    const none = textOf((await browser.get('/organiser/audit?entity=response&from=2000-01-01&to=2000-01-02')).body);
    expect(none).toContain('該当する記録はありません');
  });
});
