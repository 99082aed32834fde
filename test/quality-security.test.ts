// Security: forged, unsigned, expired and misdirected credentials are refused; one city cannot reach
// another's answers; a respondent cannot reach organiser routes; revoked links stop working; form posts
// need their CSRF token; retried writes change nothing the second time.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleResponse } from '../bench/sample-response.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { Browser } from './support/browser.js';

let ctx: TestContext;
let organiser: { authorization: string };
let measureCodes: string[];
const CITY_A = '282022'; // 尼崎市
const CITY_B = '282031'; // 明石市
const tokens: Record<string, string> = {};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(payload: Record<string, unknown>, secret: string | null, alg = 'HS256') {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  if (secret === null) return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  organiser = await loginOrganiser(ctx);
  await ctx.app.inject({ method: 'PATCH', url: '/api/v1/surveys/1', headers: organiser, payload: { status: 'open' } });
  measureCodes = (await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser })).json().measures.map((m: { code: string }) => m.code);
  const issued = (await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: { cityCodes: [CITY_A, CITY_B] } })).json();
  for (const inv of issued) tokens[inv.cityCode] = inv.token;
});
afterAll(() => ctx.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('organiser credentials', () => {
  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['signed with another key', () => jwt({ kind: 'organiser', sub: '1', role: 'admin', iat: now, exp: now + 3600 }, 'another-secret-another-secret-another-secret')],
    ['with alg: none', () => jwt({ kind: 'organiser', sub: '1', role: 'admin', iat: now, exp: now + 3600 }, null, 'none')],
    ['expired', () => jwt({ kind: 'organiser', sub: '1', role: 'admin', iat: now - 7200, exp: now - 3600 }, ctx.config.jwtSecret)],
  ])('a JWT %s is refused with 401', async (_name, make) => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: bearer(make()) });
    expect(res.statusCode).toBe(401);
  });

  it('a respondent credential cannot reach an organiser route', async () => {
    for (const url of ['/api/v1/surveys/1', '/api/v1/cities', '/api/v1/surveys/1/results', '/api/v1/surveys/1/responses']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(tokens[CITY_A]) });
      expect([401, 403], url).toContain(res.statusCode);
    }
  });
});

describe('respondent credentials', () => {
  it('city A cannot read or write city B: its token only ever reaches its own response', async () => {
    const saved = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer(tokens[CITY_B]), payload: { ...sampleResponse(measureCodes, 7), version: 0 } });
    expect(saved.statusCode).toBe(200);
    const asA = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(tokens[CITY_A]) })).json();
    expect(asA.city.code).toBe(CITY_A);
    expect(asA.answers.contact.email).not.toBe(sampleResponse(measureCodes, 7).contact.email);
    const organiserRoute = await ctx.app.inject({ method: 'PUT', url: `/api/v1/surveys/1/responses/${CITY_B}`, headers: bearer(tokens[CITY_A]), payload: sampleResponse(measureCodes, 1) });
    expect([401, 403]).toContain(organiserRoute.statusCode);
    const b = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(tokens[CITY_B]) })).json();
    expect(b.answers.contact.email).toBe(sampleResponse(measureCodes, 7).contact.email);
  });

  it('a respondent JWT cookie for another survey or city, or signed with another key, is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const payload of [
      { kind: 'respondent', surveyId: 999, cityCode: CITY_A, iat: now, exp: now + 3600 },
    ]) {
      const forged = jwt(payload, 'another-secret-another-secret-another-secret');
      const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(forged) });
      expect(res.statusCode).toBe(401);
    }
  });

  it('a revoked invitation is refused, on the API and on its link', async () => {
    const old = tokens[CITY_A];
    const reissued = (await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: { cityCodes: [CITY_A] } })).json();
    tokens[CITY_A] = reissued[0].token;
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(old) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: `/r/${old}` })).statusCode).toBe(410);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: bearer(tokens[CITY_A]) })).statusCode).toBe(200);
  });

  it('a form POST without its CSRF token is refused', async () => {
    const respondent = new Browser(ctx);
    await respondent.openLink(`/r/${tokens[CITY_A]}`);
    expect(respondent.cookies.has('respondent_session')).toBe(true);
    const res = await respondent.postForm('/respond', { action: 'save', 'contact.department': 'x' });
    expect(res.statusCode).toBe(403);
  });
});

describe('retries change nothing the second time', () => {
  it('a double-clicked submit keeps the first submission time and version', async () => {
    const headers = bearer(tokens[CITY_B]);
    const first = await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers });
    expect(first.statusCode).toBe(200);
    const afterFirst = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers })).json();
    const second = await ctx.app.inject({ method: 'POST', url: '/api/v1/response/submit', headers });
    expect(second.statusCode).toBe(200);
    expect(second.json().submittedAt).toBe(first.json().submittedAt);
    const afterSecond = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers })).json();
    expect(afterSecond.version).toBe(afterFirst.version);
  });

  it('a retried PUT with the same version is a 409, not a second write', async () => {
    const headers = bearer(tokens[CITY_B]);
    const current = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers })).json();
    const body = { ...sampleResponse(measureCodes, 11), version: current.version };
    expect((await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: body })).statusCode).toBe(200);
    const retry = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers, payload: body });
    expect(retry.statusCode).toBe(409);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers })).json().version).toBe(current.version + 1);
  });
});
