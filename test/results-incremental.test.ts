// The results after a change are counted response by response (issue #15, services/results-cache.ts): whatever
// cities save, submit, drop their changes or leave the survey, and whichever instance asks, the results are those
// of a full recount (computeResults, the grouped count over every answer).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/database.js';
import type { Answer } from '../server/domain/glossary.js';
import { SYSTEM_ACTOR } from '../server/repositories/audit.js';
import { listMeasures } from '../server/repositories/surveys.js';
import { discardChanges, saveResponse } from '../server/services/responses.js';
import { ResultsCache } from '../server/services/results-cache.js';
import { computeResults } from '../server/services/results.js';
import { removeParticipant } from '../server/services/survey-removal.js';
import { addSurveyParticipants, createSurvey, patchSurvey } from '../server/services/surveys.js';
import { addRosterCities, HOST, inventedCityCode } from './fixtures/build-published-responses.js';
import { buildTestApp, type TestContext } from './helper.js';
import { completeAnswer } from './respondent-fixtures.js';
import { FUZZ_RUNS } from './support/fuzz-runs.js';

let ctx: TestContext;
let db: Db;

beforeAll(async () => {
  ctx = await buildTestApp();
  db = ctx.database.db;
});
afterAll(() => ctx.close());

// Two cities in each default band (30万未満 / 30万以上50万未満 / 50万以上).
const CITIES = [150000, 250000, 350000, 450000, 550000, 650000].map((population, i) => ({ code: inventedCityCode(7001 + i), name: `集計${i + 1}市`, prefecture: '試験県', population }));

async function newSurvey(title: string): Promise<{ id: number; codes: string[] }> {
  await addRosterCities(db, [HOST, ...CITIES]);
  const survey = await createSurvey(db, { title, hostCityCode: HOST.code, deadline: '2030-10-31' }, SYSTEM_ACTOR);
  await addSurveyParticipants(db, survey.id, [HOST.code, ...CITIES.map((c) => c.code)], SYSTEM_ACTOR);
  return { id: survey.id, codes: (await listMeasures(db, survey.id)).map((m) => m.code) };
}

function answers(codes: string[], pick: (i: number) => Answer | undefined) {
  const base = completeAnswer(codes);
  const measures: Record<string, Answer> = {};
  codes.forEach((code, i) => {
    const a = pick(i);
    if (a) measures[code] = a;
  });
  return { ...base, measures };
}

const save = (surveyId: number, cityCode: string, input: ReturnType<typeof answers>, submit: boolean) =>
  saveResponse(db, { surveyId, cityCode, input, submit, actor: SYSTEM_ACTOR, now: new Date() });

/** What each instance serves equals a full recount, with and without retired measures. */
async function expectSameAsFullRecount(surveyId: number, caches: ResultsCache[]) {
  for (const includeRetired of [false, true]) {
    const reference = await computeResults(db, surveyId, { includeRetired });
    for (const cache of caches) expect(await cache.get(db, surveyId, { includeRetired })).toEqual(reference);
  }
  return computeResults(db, surveyId);
}

describe('results after a change', () => {
  it('follow saves, submissions, dropped changes and a city leaving, on two instances, counting only the changed response', async () => {
    const { id, codes } = await newSurvey('逐次集計');
    const one = ctx.app.resultsCache;
    const other = new ResultsCache(); // a second app instance on the same database
    const [a, b, c] = CITIES.map((x) => x.code);
    const allImplemented = answers(codes, () => 'implemented');

    await save(id, a, allImplemented, true);
    let r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(1);
    expect(r.measures[0].counts[0]).toEqual({ implemented: 1, studying: 0, total: 1 });
    const fullRecounts = one.fullRecounts;
    const recounted = one.responsesRecounted;

    // a draft is not counted; neither are the changes saved after a submission
    await save(id, b, allImplemented, false);
    await save(id, a, answers(codes, () => 'none'), false);
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(1);
    expect(r.measures[0].implemented).toBe(1);

    // the changes submitted: only now are they counted
    await save(id, a, answers(codes, (i) => (i === 0 ? 'studying' : 'none')), true);
    await save(id, b, allImplemented, true);
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(2);
    expect(r.measures[0].counts[0]).toEqual({ implemented: 1, studying: 1, total: 2 });
    expect(r.measures[1]).toMatchObject({ implemented: 1, total: 1, answered: 2 });

    // changes saved and dropped again; the host city's own answers are shown but never counted
    await save(id, b, answers(codes, () => 'studying'), false);
    await discardChanges(db, { surveyId: id, cityCode: b, actor: SYSTEM_ACTOR, now: new Date() });
    await save(id, HOST.code, allImplemented, true);
    await save(id, c, answers(codes, () => 'studying'), true);
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(3);
    expect(r.hostAnswered).toBe(true);
    expect(r.measures[0].host).toBe('implemented');
    expect(r.bands.map((x) => x.respondents)).toEqual([2, 1, 0]);

    // only the responses saved since the previous request were counted again (a; a and b; b, the host and c),
    // never all of them
    expect(one.fullRecounts).toBe(fullRecounts);
    expect(one.responsesRecounted - recounted).toBe(6);

    // a city leaving takes its answers with it
    await removeParticipant(db, { surveyId: id, cityCode: a, confirm: true, actor: SYSTEM_ACTOR });
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(2);
    expect(r.bands.map((x) => x.respondents)).toEqual([1, 1, 0]);
    expect(r.measures[0].counts[0]).toEqual({ implemented: 1, studying: 0, total: 1 });
  });

  it('follow new band limits, a retired measure and a response changed behind the app’s back (in SQL)', async () => {
    const { id, codes } = await newSurvey('構造の変更');
    const one = ctx.app.resultsCache;
    const other = new ResultsCache();
    for (const [i, city] of CITIES.entries()) await save(id, city.code, answers(codes, (j) => (['implemented', 'studying', 'none'] as const)[(i + j) % 3]), true);
    await expectSameAsFullRecount(id, [one, other]);

    // 集計2市 (250,000) moves to the second band when the first ends at 200,000
    await patchSurvey(db, id, { bandThresholds: [200000, 500000] }, SYSTEM_ACTOR, new Date());
    let r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.bands.map((x) => x.respondents)).toEqual([1, 3, 2]);

    await db.updateTable('measures').set({ retired_at: new Date() }).where('survey_id', '=', id).where('code', '=', codes[0]).execute();
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.measures.map((m) => m.code)).not.toContain(codes[0]);

    // a response set back to draft (no route does this; the counts follow the database, not the app's own writes)
    const [row] = (await sql<{ id: number }>`select id from responses where survey_id = ${id} and city_code = ${CITIES[5].code}`.execute(db)).rows;
    await sql`update responses set status = 'draft', version = version + 1 where id = ${row.id}`.execute(db);
    r = await expectSameAsFullRecount(id, [one, other]);
    expect(r.respondents).toBe(5);
    expect(r.bands.map((x) => x.respondents)).toEqual([1, 3, 1]);
  });
});

/** A small seeded generator (mulberry32), so a failing sequence can be run again from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FUZZ_RUNS steps when it is set; a short sequence by default (each step is a save and three full recounts).
const STEPS = process.env.FUZZ_RUNS ? FUZZ_RUNS : 40;
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

describe('a random sequence of changes', () => {
  it(`gives, after every step and on either instance, the results of a full recount (seed ${SEED}, ${STEPS} steps)`, async () => {
    const { id, codes } = await newSurvey('無作為の変更');
    const next = random(SEED);
    const pickOf = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const instances = [ctx.app.resultsCache, new ResultsCache()];
    const participants = new Set([HOST.code, ...CITIES.map((c) => c.code)]);
    const choices: Array<Answer | undefined> = ['implemented', 'studying', 'none', undefined];
    for (let step = 0; step < STEPS; step++) {
      const city = pickOf([HOST.code, ...CITIES.map((c) => c.code)]);
      const action = next();
      if (!participants.has(city)) {
        await addSurveyParticipants(db, id, [city], SYSTEM_ACTOR);
        participants.add(city);
      } else if (action < 0.05 && city !== HOST.code) {
        // the host city cannot leave its own survey
        await removeParticipant(db, { surveyId: id, cityCode: city, confirm: true, actor: SYSTEM_ACTOR });
        participants.delete(city);
      } else if (action < 0.15) {
        await discardChanges(db, { surveyId: id, cityCode: city, actor: SYSTEM_ACTOR, now: new Date() }).catch(() => undefined); // 404/409 when there is nothing to drop
      } else {
        // a few measures changed, submitted (every measure answered) or saved (some left unanswered)
        const submit = action < 0.6;
        const input = answers(codes, (i) => (i < 6 ? pickOf(submit ? choices.slice(0, 3) : choices) : 'none'));
        await save(id, city, input, submit);
      }
      // ask one instance or both, so that each falls behind by several changes at times
      const asked = next() < 0.5 ? instances : [pickOf(instances)];
      const reference = await computeResults(db, id);
      for (const cache of asked) expect(await cache.get(db, id), `step ${step}`).toEqual(reference);
    }
    await expectSameAsFullRecount(id, instances);
  });
});
