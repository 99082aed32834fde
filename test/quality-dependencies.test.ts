// Issue 12 §4: the pinned versions and the advisories that concern them (README, セキュリティ). exceljs 4.4
// expands ranges cell by cell (no fixed release: avoided by exports/xlsx-scan.ts and the sandbox, tested in
// quality-hostile-workbooks); fast-jwt is pinned to 6.3.6, which refuses a token with an unknown `crit` header.
import { createRequire } from 'node:module';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
const atLeast = (version: string, min: string) => {
  const [a, b] = [version, min].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});
afterAll(() => ctx.close());

describe('dependencies with known advisories', () => {
  it('installs the versions the README names', () => {
    expect(versionOf('exceljs')).toBe('4.4.0');
    expect(atLeast(versionOf('fast-jwt'), '6.3.6')).toBe(true);
    expect(versionOf('saxes')).toMatch(/^5\./);
  });

  it('a genuine organiser token re-signed with an unknown critical header (CVE-2026-35042) is refused', async () => {
    const auth = await loginOrganiser(ctx);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: auth })).statusCode).toBe(200);
    const token = auth.authorization.replace(/^Bearer /, '');
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const sign = createSigner({ key: ctx.config.jwtSecret, algorithm: 'HS256', header: { alg: 'HS256', crit: ['x-policy'], 'x-policy': 'mfa' } });
    const forged = sign(payload);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: { authorization: `Bearer ${forged}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, error: expect.any(String), message: expect.any(String) });
  });
});
