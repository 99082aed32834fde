// Property-based bad input against every JSON route in the OpenAPI document: FUZZ_RUNS generated (100 by default, 1,000 in CI)
// bodies per route (wrong types, huge strings, deep nesting, unknown fields, control characters, mixed
// scripts) → never a 5xx, and what was stored still satisfies the schema's rules.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityCodeProblem } from '../server/domain/city-code.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { FUZZ_RUNS } from './support/fuzz-runs.js';

const RUNS = FUZZ_RUNS;
const RESPONDENT_CITY = '282022'; // 尼崎市, a participant of the seeded demo survey

let ctx: TestContext;
let organiser: { authorization: string };
let respondent: { authorization: string } | undefined;

interface JsonRoute {
  method: string;
  path: string;
  properties: string[];
}

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: { properties?: object; items?: { properties?: object } } }> };
}

function jsonRoutes(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): JsonRoute[] {
  const routes: JsonRoute[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      const properties = Object.keys(schema.properties ?? schema.items?.properties ?? {});
      routes.push({ method: method.toUpperCase(), path, properties });
    }
  }
  return routes;
}

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom('<script>alert(1)</script>', '{{constructor.constructor}}', '=cmd|/C calc!A0', '\u202Eevil', '\u0000\u0007\u001b', '２８２０４９', '平成26年度', 'R2', '第四次', '-1', '1e400', 'null', '__proto__'),
  fc.string({ minLength: 10_000, maxLength: 20_000 }).map((s) => s.padEnd(100_000, 'あ')),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const deep = fc.integer({ min: 50, max: 400 }).map((n) => {
  let value: unknown = 'x';
  for (let i = 0; i < n; i++) value = i % 2 ? [value] : { a: value };
  return value;
});

/** A body for a route: arbitrary JSON, or an object with the route's own field names and hostile values. */
function bodyFor(route: JsonRoute) {
  const fields = route.properties.length ? fc.constantFrom(...route.properties, 'unknownField', '__proto__', 'constructor') : fc.string();
  const shaped = fc.dictionary(fields, fc.oneof(nasty, fc.anything({ maxDepth: 3 }), deep), { maxKeys: 8 });
  return fc.oneof(shaped, fc.array(shaped, { maxLength: 3 }), fc.jsonValue({ maxDepth: 4 }), deep, nasty);
}

function urlFor(path: string): string {
  return path.replace('{id}', '1').replace('{cityCode}', RESPONDENT_CITY);
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  organiser = await loginOrganiser(ctx);
  await ctx.app.inject({ method: 'PATCH', url: '/api/v1/surveys/1', headers: organiser, payload: { status: 'open' } });
  const issued = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: { cityCodes: [RESPONDENT_CITY] } });
  if (issued.statusCode === 201) respondent = { authorization: `Bearer ${issued.json()[0].token}` };
});
afterAll(() => ctx.close());

async function assertStoredDataValid(app: FastifyInstance) {
  const cities = (await app.inject({ method: 'GET', url: '/api/v1/cities', headers: organiser })).json();
  for (const c of cities) {
    expect(cityCodeProblem(c.code), c.code).toBeNull();
    expect(Number.isInteger(c.population) && c.population >= 0).toBe(true);
    expect(c.name.length).toBeGreaterThan(0);
  }
  const survey = await app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser });
  expect(survey.statusCode).toBe(200);
  const thresholds: number[] = survey.json().bandThresholds;
  expect(thresholds.every((t, i) => t > 0 && (i === 0 || t > thresholds[i - 1]))).toBe(true);
  if (respondent) {
    const own = (await app.inject({ method: 'GET', url: '/api/v1/response', headers: respondent })).json();
    for (const value of Object.values(own.answers?.measures ?? {})) expect(['implemented', 'studying', 'none']).toContain(value);
    if (own.answers?.disclosure) expect(['public', 'anonymous', 'private']).toContain(own.answers.disclosure);
  }
}

describe('generated bad input on every JSON route', () => {
  it('finds the JSON routes of the contract in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const names = jsonRoutes(doc).map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(expect.arrayContaining(['POST /api/v1/session', 'PUT /api/v1/cities', 'POST /api/v1/surveys', 'PATCH /api/v1/surveys/{id}']));
  });

  it(`never answers 5xx to ${RUNS} generated bodies per route, and stores nothing that breaks the rules`, async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const failures: string[] = [];
    for (const route of jsonRoutes(doc)) {
      const headers = route.path.startsWith('/api/v1/response') ? respondent : organiser;
      if (!headers) continue;
      await fc.assert(
        fc.asyncProperty(bodyFor(route), async (body) => {
          const res = await ctx.app.inject({ method: route.method as 'POST', url: urlFor(route.path), headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          if (res.statusCode >= 500) failures.push(`${route.method} ${route.path} → ${res.statusCode} for ${JSON.stringify(body).slice(0, 200)}`);
          return res.statusCode < 500;
        }),
        { numRuns: RUNS, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
    await assertStoredDataValid(ctx.app);
  }, 600_000);

  it('malformed JSON is 400, a wrong content type is 415, an oversized body is 413 — each in Japanese', async () => {
    const malformed = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { ...organiser, 'content-type': 'application/json' }, payload: '{"title": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toMatch(/JSON/);
    const wrongType = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { ...organiser, 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().message).toMatch(/形式/);
    const huge = await ctx.app.inject({ method: 'PUT', url: '/api/v1/cities', headers: { ...organiser, 'content-type': 'application/json' }, payload: JSON.stringify([{ code: '282049', name: 'あ'.repeat(2_000_000) }]) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().message).toMatch(/大きすぎます/);
  });
});
