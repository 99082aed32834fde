// Two saves of one response at the same moment (issue #15): a save reads the response without locking it and then
// writes only if the response is still as it read it. These tests make another save land between the two: the
// later one must never silently overwrite the earlier one's answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { type Db, inTransaction } from '../server/db/database.js';
import { seedDatabase } from '../server/db/seed.js';
import type { Actor } from '../server/repositories/audit.js';
import { listAudit } from '../server/repositories/audit.js';
import { getResponse, ResponseConflict, saveResponse } from '../server/services/responses.js';
import { loginOrganiser, openTestDatabase, type TestContext, testConfig } from './helper.js';
import { openDemoSurvey } from './respondent-fixtures.js';

let ctx: TestContext;
let surveyId: number;
let cities: string[];
const now = new Date('2026-11-25T01:00:00Z');
const organiser: Actor = { type: 'organiser', id: 'joho@city.nishinomiya.example.lg.jp' };
const respondent = (cityCode: string): Actor => ({ type: 'respondent', id: cityCode });

beforeAll(async () => {
  const database = await openTestDatabase();
  await seedDatabase(database.db, { today: new Date('2026-11-21T00:00:00Z') });
  const app = await buildApp(testConfig(), { database });
  await app.ready();
  ctx = { app, database, config: testConfig(), close: async () => (await app.close(), await database.close()) };
  surveyId = await openDemoSurvey(ctx, await loginOrganiser(ctx));
  const rows = await ctx.database.db.selectFrom('participants').select('city_code').where('survey_id', '=', surveyId).orderBy('city_code').limit(5).execute();
  cities = rows.map((r) => r.city_code);
});
afterAll(() => ctx.close());

/**
 * The database as a save sees it, with `meanwhile` run (to its end) right after the save's first statement, the
 * read its write depends on. `fired()` says whether it ran.
 */
function withSaveBetween(meanwhile: () => Promise<unknown>) {
  let ran = false;
  const db: Db = ctx.database.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
  const executor = db.getExecutor();
  const execute = executor.executeQuery.bind(executor);
  executor.executeQuery = (async (...args: Parameters<typeof execute>) => {
    const result = await execute(...args);
    if (!ran) {
      ran = true;
      await meanwhile();
    }
    return result;
  }) as typeof executor.executeQuery;
  return { db, fired: () => ran };
}

const responseAudit = (cityCode: string) => listAudit(ctx.database.db, { entity: 'response', entityId: `${surveyId}:${cityCode}` });

describe('two saves of one response at the same moment', () => {
  it('a respondent whose version went stale meanwhile gets the conflict (409), and nothing of that save is stored', async () => {
    const city = cities[0];
    const first = await saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { department: '情報政策課' } }, expectedVersion: 0, actor: respondent(city), now });
    const colleague = () =>
      saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { department: '企画課' }, disclosure: 'public' }, expectedVersion: first.version, actor: respondent(city), now });
    const gate = withSaveBetween(colleague);
    const late = saveResponse(gate.db, { surveyId, cityCode: city, input: { contact: { department: 'デジタル推進課', phone: '0138-21-3111' } }, expectedVersion: first.version, actor: respondent(city), now });
    const error = await late.catch((e: unknown) => e);
    expect(gate.fired()).toBe(true);
    expect(error).toBeInstanceOf(ResponseConflict);
    // the conflict shows what the colleague saved, so that the page can put both side by side
    expect((error as ResponseConflict).current.version).toBe(first.version + 1);
    expect((error as ResponseConflict).current.answers.contact.department).toBe('企画課');
    const stored = await getResponse(ctx.database.db, surveyId, city);
    expect(stored.version).toBe(first.version + 1);
    expect(stored.answers.contact).toMatchObject({ department: '企画課', phone: '' });
    expect(stored.answers.disclosure).toBe('public');
    expect((await responseAudit(city)).map((e) => e.action)).toEqual(['save', 'save']);
  });

  it('an organiser’s correction (no version given) made while the city saves keeps both changes', async () => {
    const city = cities[1];
    const first = await saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { department: '情報政策課' } }, expectedVersion: 0, actor: respondent(city), now });
    const city_ = () => saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { phone: '0166-26-1111' }, measures: { M01: 'implemented' } }, expectedVersion: first.version, actor: respondent(city), now });
    const gate = withSaveBetween(city_);
    const corrected = await saveResponse(gate.db, { surveyId, cityCode: city, input: { contact: { department: '総務部 情報政策課' } }, actor: organiser, now });
    expect(gate.fired()).toBe(true);
    expect(corrected.version).toBe(first.version + 2);
    const stored = await getResponse(ctx.database.db, surveyId, city);
    expect(stored.answers.contact).toMatchObject({ department: '総務部 情報政策課', phone: '0166-26-1111' });
    expect(stored.answers.measures.M01).toBe('implemented');
    const audit = await responseAudit(city);
    expect(audit.map((e) => [e.actor_type, e.action])).toEqual([
      ['organiser', 'save'],
      ['respondent', 'save'],
      ['respondent', 'save'],
    ]);
    // the correction's entry starts from the city's save, not from the version it first read
    const correction = (typeof audit[0].before === 'string' ? JSON.parse(audit[0].before) : audit[0].before) as { version: number };
    expect(correction.version).toBe(first.version + 1);
  });

  it('two first saves of a city at once: the later one is a conflict (409), not an error', async () => {
    const city = cities[2];
    const colleague = () => saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { department: '企画課' } }, expectedVersion: 0, actor: respondent(city), now });
    const gate = withSaveBetween(colleague);
    const error = await saveResponse(gate.db, { surveyId, cityCode: city, input: { contact: { department: '情報政策課' } }, expectedVersion: 0, actor: respondent(city), now }).catch((e: unknown) => e);
    expect(gate.fired()).toBe(true);
    expect(error).toBeInstanceOf(ResponseConflict);
    expect((error as ResponseConflict).current.version).toBe(1);
    const stored = await getResponse(ctx.database.db, surveyId, city);
    expect(stored.answers.contact.department).toBe('企画課');
    expect(await responseAudit(city)).toHaveLength(1);
  });

  it('an organiser’s first entry made while the city saves its first draft is saved over the city’s draft', async () => {
    const city = cities[3];
    const city_ = () => saveResponse(ctx.database.db, { surveyId, cityCode: city, input: { contact: { phone: '0138-21-3111' } }, expectedVersion: 0, actor: respondent(city), now });
    const gate = withSaveBetween(city_);
    const saved = await saveResponse(gate.db, { surveyId, cityCode: city, input: { contact: { department: '情報政策課' } }, actor: organiser, now });
    expect(gate.fired()).toBe(true);
    expect(saved.version).toBe(2);
    expect((await getResponse(ctx.database.db, surveyId, city)).answers.contact).toMatchObject({ department: '情報政策課', phone: '0138-21-3111' });
  });
});

describe('a save inside the caller’s transaction', () => {
  it('is undone with the transaction: neither the answers nor the audit entry stay', async () => {
    const city = cities[4];
    const failed = inTransaction(ctx.database.db, async (trx) => {
      await saveResponse(trx, { surveyId, cityCode: city, input: { contact: { department: '情報政策課' }, measures: { M01: 'studying' } }, expectedVersion: 0, actor: respondent(city), now });
      throw new Error('the caller’s next step failed');
    });
    await expect(failed).rejects.toThrow('the caller’s next step failed');
    expect((await getResponse(ctx.database.db, surveyId, city)).version).toBe(0);
    expect(await responseAudit(city)).toHaveLength(0);
    const saved = await inTransaction(ctx.database.db, (trx) =>
      saveResponse(trx, { surveyId, cityCode: city, input: { measures: { M01: 'studying' } }, expectedVersion: 0, actor: respondent(city), now }),
    );
    expect(saved.version).toBe(1);
    expect((await getResponse(ctx.database.db, surveyId, city)).answers.measures.M01).toBe('studying');
  });
});
