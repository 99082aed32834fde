// GET /api/v1/surveys/:id/results: the published 2018 table reproduced from 48 responses, and the edge cases.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/database.js';
import { SYSTEM_ACTOR } from '../server/repositories/audit.js';
import { listMeasures } from '../server/repositories/surveys.js';
import { addSurveyParticipants, createSurvey } from '../server/services/surveys.js';
import { addRosterCities, buildPublishedResponses, HOST, insertResponse, inventedCityCode, type PublishedFixture } from './fixtures/build-published-responses.js';
import { PUBLISHED_2018_TABLE } from './fixtures/published-2018.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

let ctx: TestContext;
let auth: { authorization: string };
let db: Db;
let fixture: PublishedFixture;

beforeAll(async () => {
  ctx = await buildTestApp();
  db = ctx.database.db;
  auth = await loginOrganiser(ctx);
  fixture = await buildPublishedResponses(db);
});
afterAll(() => ctx.close());

async function results(surveyId: number, query = '') {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results${query}`, headers: auth });
  expect(res.statusCode).toBe(200);
  return res.json();
}

// Small surveys for the edge cases: two cities in the first band, one in the second, none in the third.
const SMALL = [
  { code: inventedCityCode(5001), name: '小甲市', prefecture: '試験県', population: 150000 },
  { code: inventedCityCode(5002), name: '小乙市', prefecture: '試験県', population: 290000 },
  { code: inventedCityCode(5003), name: '中丙市', prefecture: '試験県', population: 300000 },
];

async function smallSurvey(title: string): Promise<number> {
  await addRosterCities(db, [HOST, ...SMALL]);
  const survey = await createSurvey(db, { title, hostCityCode: HOST.code, deadline: '2018-10-31' }, SYSTEM_ACTOR);
  await addSurveyParticipants(db, survey.id, SMALL.map((c) => c.code), SYSTEM_ACTOR);
  return survey.id;
}

describe('the published 2018 table', () => {
  it('is reproduced exactly: every band count, every 総数 and every rate, over 48 respondents', async () => {
    const body = await results(fixture.surveyId);
    expect(body.respondents).toBe(48);
    expect(body.denominator).toBe(48);
    expect(body.bands.map((b: { label: string }) => b.label)).toEqual(['30万人未満の市', '30万人以上50万人未満の市', '50万人以上の市']);
    expect(body.bands.map((b: { respondents: number }) => b.respondents)).toEqual(fixture.bandSizes);
    expect(body.measures).toHaveLength(PUBLISHED_2018_TABLE.length);
    PUBLISHED_2018_TABLE.forEach((row, i) => {
      const m = body.measures[i];
      expect({ category: m.category, label: m.label }).toEqual({ category: row.category, label: row.label });
      expect(m.counts.map((c: { total: number }) => c.total)).toEqual(row.bandCounts);
      expect(m.total).toBe(row.total);
      expect(m.ratePercent).toBe(row.ratePercent);
      expect(m.implemented + m.studying).toBe(m.total);
      for (const c of m.counts) expect(c.implemented + c.studying).toBe(c.total);
    });
  });

  it('has the rates a reader checks first (31.25, 47.92, 64.58 … 2.08) and the API.md shape', async () => {
    const body = await results(fixture.surveyId);
    expect(body.measures.slice(0, 3).map((m: { ratePercent: number }) => m.ratePercent)).toEqual([31.25, 47.92, 64.58]);
    expect(body.measures.find((m: { label: string }) => m.label === '電子投票システムの導入').ratePercent).toBe(2.08);
    expect(body.measures[0]).toMatchObject({ code: 'M01', category: '自治体の対策', label: 'ICTガバナンスの強化', counts: [{ implemented: 1, studying: 0, total: 1 }, expect.any(Object), expect.any(Object)] });
    expect(body.surveyId).toBe(fixture.surveyId);
  });

  it('shows the host only in 本市, never in the counts', async () => {
    const body = await results(fixture.surveyId);
    expect(body.measures.slice(0, 3).map((m: { host: string }) => m.host)).toEqual(['implemented', 'studying', 'none']);
    expect(body.hostAnswered).toBe(true);
    // The host (band 2) answered 実施済 to M01, yet band 2 still has the published 11.
    expect(body.measures[0].counts[1].total).toBe(11);
  });

  it('is documented in the OpenAPI document', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/v1/surveys/{id}/results');
  });

  it('requires an organiser (401) and answers 404 for an unknown survey', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${fixture.surveyId}/results` })).statusCode).toBe(401);
    const missing = await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/999999/results', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/見つかりません/);
  });
});

describe('edge cases', () => {
  it('no submitted responses: zero respondents and null rates (a draft does not count)', async () => {
    const id = await smallSurvey('回答なし');
    await insertResponse(db, { surveyId: id, cityCode: SMALL[0].code, status: 'draft', answers: { M01: 'implemented' } });
    const body = await results(id);
    expect(body.respondents).toBe(0);
    expect(body.denominator).toBe(0);
    expect(body.measures.every((m: { ratePercent: null; total: number }) => m.ratePercent === null && m.total === 0)).toBe(true);
  });

  it('the host has not answered: host is null; a band with no cities has zeros', async () => {
    const id = await smallSurvey('本市未回答');
    await insertResponse(db, { surveyId: id, cityCode: SMALL[0].code, answers: { M01: 'implemented', M02: 'studying' } });
    await insertResponse(db, { surveyId: id, cityCode: SMALL[2].code, answers: { M01: 'studying', M02: 'none' } });
    await insertResponse(db, { surveyId: id, cityCode: HOST.code, status: 'draft', answers: { M01: 'implemented' } });
    const body = await results(id);
    expect(body.hostAnswered).toBe(false);
    expect(body.measures.every((m: { host: null }) => m.host === null)).toBe(true);
    expect(body.bands.map((b: { respondents: number }) => b.respondents)).toEqual([1, 1, 0]);
    expect(body.measures[0].counts).toEqual([
      { implemented: 1, studying: 0, total: 1 },
      { implemented: 0, studying: 1, total: 1 },
      { implemented: 0, studying: 0, total: 0 },
    ]);
    expect(body.measures[0].ratePercent).toBe(100);
    expect(body.measures[1]).toMatchObject({ implemented: 0, studying: 1, total: 1, ratePercent: 50 });
  });

  it('a measure added after some cities submitted: their missing answer counts as neither, and answered says how many', async () => {
    const id = await smallSurvey('対策の追加');
    await insertResponse(db, { surveyId: id, cityCode: SMALL[0].code, answers: { M01: 'implemented' } });
    await insertResponse(db, { surveyId: id, cityCode: SMALL[1].code, answers: { M01: 'implemented' } });
    await db.insertInto('measures').values({ survey_id: id, code: 'M47', category: 'インフラ', label: '生成AIの活用', position: 47 }).execute();
    await insertResponse(db, { surveyId: id, cityCode: SMALL[2].code, answers: { M01: 'none', M47: 'studying' } });
    const body = await results(id);
    const added = body.measures.find((m: { code: string }) => m.code === 'M47');
    expect(body.measures.at(-1).code).toBe('M47');
    expect(added).toMatchObject({ answered: 1, total: 1, studying: 1, ratePercent: 33.33 });
    expect(body.measures[0]).toMatchObject({ answered: 3, total: 2, ratePercent: 66.67 });
  });

  it('a retired measure is left out, unless includeRetired=true', async () => {
    const id = await smallSurvey('対策の廃止');
    await insertResponse(db, { surveyId: id, cityCode: SMALL[0].code, answers: { M01: 'implemented', M02: 'implemented' } });
    await db.updateTable('measures').set({ retired_at: sql`now()` }).where('survey_id', '=', id).where('code', '=', 'M02').execute();
    const body = await results(id);
    expect(body.measures.map((m: { code: string }) => m.code)).not.toContain('M02');
    expect(body.measures).toHaveLength(45);
    const all = await results(id, '?includeRetired=true');
    expect(all.measures.find((m: { code: string }) => m.code === 'M02')).toMatchObject({ retired: true, total: 1 });
  });

  it('round over round: each measure carries its change against the round it was copied from, matched by code', async () => {
    const earlier = await smallSurvey('前回');
    await insertResponse(db, { surveyId: earlier, cityCode: SMALL[0].code, answers: { M01: 'implemented', M02: 'none' } });
    await insertResponse(db, { surveyId: earlier, cityCode: SMALL[1].code, answers: { M01: 'none', M02: 'none' } });
    const later = await smallSurvey('今回');
    await db.updateTable('surveys').set({ copied_from_survey_id: earlier }).where('id', '=', later).execute();
    await db.insertInto('measures').values({ survey_id: later, code: 'M47', category: 'インフラ', label: '生成AIの活用', position: 47 }).execute();
    for (const city of SMALL) await insertResponse(db, { surveyId: later, cityCode: city.code, answers: { M01: 'implemented', M02: city === SMALL[0] ? 'studying' : 'none', M47: 'none' } });
    const body = await results(later);
    expect(body.previousRound).toMatchObject({ surveyId: earlier, title: '前回', respondents: 2 });
    expect(body.measures[0]).toMatchObject({ ratePercent: 100, previousRatePercent: 50, rateChange: 50, newThisRound: false });
    expect(body.measures[1]).toMatchObject({ ratePercent: 33.33, previousRatePercent: 0, rateChange: 33.33 });
    expect(body.measures.find((m: { code: string }) => m.code === 'M47')).toMatchObject({ newThisRound: true, previousRatePercent: null, rateChange: null });
    const measures = await listMeasures(db, earlier);
    expect((await results(earlier)).previousRound).toBeNull();
    expect(measures).toHaveLength(46);
  });

  it('a round copied from one that nobody answered has no 前回比 (a rate of 0 against no respondents says nothing)', async () => {
    const earlier = await smallSurvey('回答のなかった前回');
    const later = await smallSurvey('今回（前回は回答なし）');
    await db.updateTable('surveys').set({ copied_from_survey_id: earlier }).where('id', '=', later).execute();
    await insertResponse(db, { surveyId: later, cityCode: SMALL[0].code, answers: { M01: 'implemented' } });
    const body = await results(later);
    expect(body.previousRound).toBeNull();
    expect(body.measures[0]).toMatchObject({ ratePercent: 100, previousRatePercent: null, rateChange: null });
  });
});

describe('results of unchanged data', () => {
  it('are not counted again, and a submission, a renamed measure or new band limits are seen at the very next request', async () => {
    const id = await smallSurvey('集計の再利用');
    await insertResponse(db, { surveyId: id, cityCode: SMALL[0].code, answers: { M01: 'implemented' } });
    const first = await results(id);
    const computed = ctx.app.resultsCache.computed;
    expect(await results(id)).toEqual(first);
    expect(ctx.app.resultsCache.computed).toBe(computed);

    await insertResponse(db, { surveyId: id, cityCode: SMALL[1].code, answers: { M01: 'studying' } });
    const second = await results(id);
    expect(second.respondents).toBe(2);
    expect(second.measures[0].counts[0]).toEqual({ implemented: 1, studying: 1, total: 2 });

    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${id}/measures/M01`, headers: auth, payload: { label: 'ICTガバナンスの強化（名称修正）' } });
    expect(renamed.statusCode).toBe(200);
    expect((await results(id)).measures[0].label).toBe('ICTガバナンスの強化（名称修正）');

    // 小乙市 (290,000) moves to the second band when the first ends at 250,000
    const rebanded = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${id}`, headers: auth, payload: { bandThresholds: [250000, 500000] } });
    expect(rebanded.statusCode).toBe(200);
    const third = await results(id);
    expect(third.bands.map((b: { respondents: number }) => b.respondents)).toEqual([1, 1, 0]);
    expect(third.measures[0].counts.map((c: { total: number }) => c.total)).toEqual([1, 1, 0]);
  });
});
