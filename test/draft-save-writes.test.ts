// Draft saves write only what changed (issue #15): the answers of a save go to the database in one statement,
// rows of unchanged answers are left as they were (their xmin, the transaction that last wrote a row, stays),
// a cleared answer is one deleted row, and a save takes three statements (no transaction) instead of a dozen.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { type DatabaseHandle } from '../server/db/database.js';
import { seedDatabase } from '../server/db/seed.js';
import { loginOrganiser, openTestDatabase, type TestContext, testConfig } from './helper.js';
import { completeAnswer, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

/** Counts the statements the app sends (BEGIN and COMMIT are not statements Kysely compiles, so they are not counted). */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return args.result;
  }
}

let ctx: TestContext;
let database: DatabaseHandle;
const counter = new StatementCounter();
let respondent: { authorization: string };
let measureCodes: string[];
let version = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDatabase(database.db, { today: new Date('2026-11-21T00:00:00Z') });
  const app = await buildApp(testConfig(), { database: { ...database, db: database.db.withPlugin(counter) } });
  await app.ready();
  ctx = { app, database, config: testConfig(), close: async () => (await app.close(), await database.close()) };
  const auth = await loginOrganiser(ctx);
  const surveyId = await openDemoSurvey(ctx, auth);
  const [issued] = await invite(ctx, auth, surveyId, [HAKODATE]);
  respondent = { authorization: `Bearer ${issued.token}` };
  const survey = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json();
  measureCodes = survey.measures.map((m: { code: string }) => m.code);
});
afterAll(() => ctx.close());

async function putDraft(body: Record<string, unknown>) {
  counter.count = 0;
  const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: respondent, payload: { ...body, version } });
  expect(res.statusCode, res.body).toBe(200);
  version = res.json().version;
  const statements = counter.count;
  const read = await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: respondent });
  return { body: read.json(), statements };
}

/** measure code → [answer, xmin] of Hakodate's stored answers, read straight from the table. */
async function storedRows(): Promise<Map<string, [string, string]>> {
  const { rows } = await database.db.executeQuery<{ code: string; answer: string; xmin: string }>({
    sql: `select m.code, ra.answer, ra.xmin::text as xmin from response_answers ra join measures m on m.id = ra.measure_id
          join responses r on r.id = ra.response_id where r.city_code = $1`,
    parameters: [HAKODATE],
    query: { kind: 'RawNode' } as never,
    queryId: { queryId: 'stored-rows' },
  });
  return new Map(rows.map((r) => [r.code, [r.answer, r.xmin]]));
}

describe('a draft save writes only what changed', () => {
  it('the first save stores all 46 answers', async () => {
    const { body } = await putDraft(completeAnswer(measureCodes));
    const rows = await storedRows();
    expect(rows.size).toBe(46);
    expect(Object.keys(body.answers.measures)).toHaveLength(46);
  });

  it('changing one answer rewrites that one row; the other 45 rows are untouched', async () => {
    const beforeRows = await storedRows();
    const code = measureCodes[0];
    const was = beforeRows.get(code)![0];
    const now = was === 'implemented' ? 'studying' : 'implemented';
    const { body, statements } = await putDraft({ measures: { [code]: now } });
    expect(body.answers.measures[code]).toBe(now);
    const afterRows = await storedRows();
    expect(afterRows.size).toBe(46);
    expect(afterRows.get(code)![0]).toBe(now);
    expect(afterRows.get(code)![1]).not.toBe(beforeRows.get(code)![1]);
    for (const other of measureCodes.slice(1)) expect(afterRows.get(other), other).toEqual(beforeRows.get(other));
    // the invitation (the Bearer token); the survey, participation, measures' revision and the response with its
    // answers in one read; the row, the changed answer and the audit entry in one write
    expect(statements).toBeLessThanOrEqual(3);
  });

  it('clearing an answer deletes only its row, and the response read back no longer has it', async () => {
    const beforeRows = await storedRows();
    const code = measureCodes[1];
    const { body } = await putDraft({ measures: { [code]: null } });
    expect(body.answers.measures[code]).toBeUndefined();
    const afterRows = await storedRows();
    expect(afterRows.size).toBe(45);
    expect(afterRows.has(code)).toBe(false);
    for (const other of measureCodes.filter((c) => c !== code)) expect(afterRows.get(other), other).toEqual(beforeRows.get(other));
    expect(Object.keys(body.answers.measures)).toHaveLength(45);
  });

  it('changing only the contact touches no answer row', async () => {
    const beforeRows = await storedRows();
    const { body } = await putDraft({ contact: { department: '企画部 情報政策課' } });
    expect(body.answers.contact.department).toBe('企画部 情報政策課');
    expect(await storedRows()).toEqual(beforeRows);
  });
});
