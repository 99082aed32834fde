// The respondent form's caches (issue #15): the measures kept per measure revision, the measure table rendered once
// per survey definition with the answers spliced in. What a respondent sees must be what the template gives.
import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS } from '../server/domain/glossary.js';
import { listMeasures } from '../server/repositories/surveys.js';
import { measureGroups } from '../server/routes/pages/respondent/form.js';
import { fillMeasureTable, MEASURE_TABLE_PARTIAL, measureTableOf } from '../server/routes/pages/respondent/measure-table.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';
import { Browser } from './support/browser.js';

let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let browser: Browser;
let token: string;

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  browser = new Browser(ctx);
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  const [invitation] = await invite(ctx, auth, surveyId, [HAKODATE]);
  token = invitation.token;
  await browser.openLink(invitation.url);
});
afterAll(() => ctx.close());

const revision = async () => (await sql<{ r: string }>`select revision::text as r from measure_revision`.execute(ctx.database.db)).rows[0].r;
const legendOf = (html: string, code: string) => new RegExp(`<legend id="m-${code}-legend">([^<]*)</legend>`).exec(html)?.[1];

describe('the measures on the form', () => {
  it('a label corrected while the survey is open is on the very next page', async () => {
    const before = await browser.get('/respond');
    expect(legendOf(before.body, 'M01')).toBe('ICTガバナンスの強化');
    await browser.get('/respond');
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}/measures/M01`, headers: auth, payload: { label: 'ICTガバナンスの強化（全庁）' } });
    expect(res.statusCode).toBe(200);
    expect(legendOf((await browser.get('/respond')).body, 'M01')).toBe('ICTガバナンスの強化（全庁）');
  });

  it('any statement that writes measures raises the revision the cache is checked against, whoever runs it', async () => {
    const db = ctx.database.db;
    const r0 = await revision();
    await db.updateTable('measures').set({ label: '直接の修正' }).where('survey_id', '=', surveyId).where('code', '=', 'M02').execute();
    const r1 = await revision();
    expect(BigInt(r1)).toBeGreaterThan(BigInt(r0));
    expect(legendOf((await browser.get('/respond')).body, 'M02')).toBe('直接の修正');
    await db.insertInto('measures').values({ survey_id: surveyId, code: 'M99', category: 'インフラ', label: '追加した対策', position: 99 }).execute();
    const r2 = await revision();
    expect(BigInt(r2)).toBeGreaterThan(BigInt(r1));
    expect(legendOf((await browser.get('/respond')).body, 'M99')).toBe('追加した対策');
    await db.deleteFrom('measures').where('survey_id', '=', surveyId).where('code', '=', 'M99').execute();
    expect(BigInt(await revision())).toBeGreaterThan(BigInt(r2));
    expect(legendOf((await browser.get('/respond')).body, 'M99')).toBeUndefined();
  });
});

describe('the measure table spliced from the definition', () => {
  it('is the HTML of the partial rendered for the page, for any choice of answers', async () => {
    const measures = await listMeasures(ctx.database.db, surveyId);
    const render = (context: unknown) => ctx.app.renderPartial(MEASURE_TABLE_PARTIAL, context);
    const table = measureTableOf(render, measures);
    const answer = fc.constantFrom<string | undefined>(...ANSWERS, undefined, '', 'maybe');
    fc.assert(
      fc.property(fc.array(answer, { minLength: measures.length, maxLength: measures.length }), (chosen) => {
        const answers = Object.fromEntries(measures.flatMap((m, i) => (chosen[i] === undefined ? [] : [[m.code, chosen[i]!]])));
        expect(fillMeasureTable(table, answers)).toBe(render({ groups: measureGroups({ measures: answers }, [], measures) }));
      }),
      { numRuns: 50 },
    );
  });

  it('shows the saved answers checked on the page, one per measure', async () => {
    const survey = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json();
    const codes: string[] = survey.measures.map((m: { code: string }) => m.code);
    const form = await browser.get('/respond');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const fields = Object.fromEntries(codes.map((c, i) => [`m_${c}`, ANSWERS[i % 3]]));
    const saved = await browser.postForm('/respond', { ...fields, action: 'save', version, _csrf: csrf });
    expect(saved.statusCode).toBe(303);
    const html = (await browser.get('/respond')).body;
    const checked = [...html.matchAll(/<input type="radio" id="m-([^"]+)-(implemented|studying|none)" name="m_[^"]+" value="[^"]+" checked>/g)].map((m) => [m[1], m[2]]);
    expect(checked).toEqual(codes.map((c, i) => [c, ANSWERS[i % 3]]));
  });
});

describe('prepared statements', () => {
  it('a migration that adds columns while the app runs does not break the form or a draft save', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const save = async (department: string) => {
      const { version } = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer })).json();
      return ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { version, contact: { department } } });
    };
    // the statements are prepared by their first runs
    expect((await save('情報政策課')).statusCode).toBe(200);
    expect((await browser.get('/respond')).statusCode).toBe(200);
    for (const table of ['surveys', 'invitations', 'responses', 'cities']) await sql.raw(`alter table ${table} add column added_later integer`).execute(ctx.database.db);
    const saved = await save('情報企画課');
    expect(saved.statusCode).toBe(200);
    const page = await browser.get('/respond');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="情報企画課"');
  });
});
