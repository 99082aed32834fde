// Load, bounded in count and time: 200 respondents at once, each saving 5 drafts and submitting. Every
// response ends submitted with exactly its last draft's answers, no 5xx, nothing lost. On PGlite (one
// connection) this also shows that concurrent requests never interleave inside each other's transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityCodeCheckDigit } from '../server/domain/city-code.js';
import { sampleResponse } from '../bench/sample-response.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

const RESPONDENTS = 200;
const DRAFTS = 5;

let ctx: TestContext;
let organiser: { authorization: string };
let surveyId: number;
let measureCodes: string[];
const invitations: Array<{ cityCode: string; token: string }> = [];

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  organiser = await loginOrganiser(ctx);
  const cities = Array.from({ length: RESPONDENTS }, (_, i) => {
    const prefix = String(90000 + i);
    return { code: prefix + cityCodeCheckDigit(prefix), name: `負荷${i}市`, prefecture: '試験県', population: 150000 + i * 2500 };
  });
  expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/cities', headers: organiser, payload: cities })).statusCode).toBe(200);
  const survey = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: organiser, payload: { title: '負荷試験', hostCityCode: '282049', deadline: '2030-03-31' } });
  surveyId = survey.json().id;
  measureCodes = survey.json().measures.map((m: { code: string }) => m.code);
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/participants`, headers: organiser, payload: { cityCodes: cities.map((c) => c.code) } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${surveyId}`, headers: organiser, payload: { status: 'open' } });
  const issued = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: organiser, payload: { cityCodes: cities.map((c) => c.code) } });
  expect(issued.statusCode).toBe(201);
  invitations.push(...issued.json());
});
afterAll(() => ctx.close());

describe(`${RESPONDENTS} respondents at once`, () => {
  it(`each saves ${DRAFTS} drafts and submits: all end submitted with their last draft, with no 5xx`, async () => {
    const statuses: number[] = [];
    const lastDrafts = new Map<string, ReturnType<typeof sampleResponse>>();
    await Promise.all(
      invitations.map(async ({ cityCode, token }, i) => {
        const headers = { authorization: `Bearer ${token}` };
        let version = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers })).json().version;
        for (let d = 0; d < DRAFTS; d++) {
          const draft = sampleResponse(measureCodes, i * DRAFTS + d);
          const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: { ...draft, version } });
          statuses.push(res.statusCode);
          if (res.statusCode === 200) {
            version = res.json().version;
            lastDrafts.set(cityCode, draft);
          }
        }
        const submitted = await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers });
        statuses.push(submitted.statusCode);
      }),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const list = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/responses`, headers: organiser })).json();
    const byCity = new Map(list.map((r: { cityCode: string; status: string }) => [r.cityCode, r.status]));
    for (const { cityCode, token } of invitations) {
      expect(byCity.get(cityCode)).toBe('submitted');
      const own = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
      const last = lastDrafts.get(cityCode)!;
      expect(own.status).toBe('submitted');
      expect(own.answers.measures).toEqual(last.measures);
      expect(own.answers.contact).toEqual(last.contact);
      expect(own.answers.disclosure).toBe(last.disclosure);
    }
  }, 300_000);
});
