// The login limit under parallel attempts, over real HTTP: a burst of wrong passwords for one account lets
// no more than the per-account limit through to a password check (401); the rest are refused with 429 and
// Retry-After, through the API and the login page alike. The limit is per account and address: the attacker's
// address stays blocked, while the real user logging in from their own address is not locked out.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_ADDRESS } from '../server/plugins/login-limit.js';
import { buildTestApp, type TestContext } from './helper.js';
import { createAccount, csrfTokenOf } from './organiser-support.js';

const TARGET = { email: 'target@city.example.lg.jp', password: 'target-password-123' };
const PARALLEL = 30;

let ctx: TestContext;
let base: string;

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true, env: { TRUST_PROXY: 'true' } });
  await createAccount(ctx, TARGET.email, TARGET.password, 'staff');
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
});
afterAll(() => ctx.close());

/** Each burst comes from its own client address (X-Forwarded-For: the app runs behind a declared proxy, TRUST_PROXY=true). */
const from = (address: string) => ({ 'x-forwarded-for': address });

function apiLogin(email: string, password: string, address: string) {
  return fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(address) }, body: JSON.stringify({ email, password }) });
}

/** A browser's login: the page first (CSRF cookie and token), then the form post. */
async function pageLogin(email: string, password: string, address: string) {
  const page = await fetch(`${base}/login`, { headers: from(address) });
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ _csrf: csrfTokenOf(await page.text()), email, password });
  return fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...from(address) }, body });
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('login limit under parallel attempts', () => {
  it(`${PARALLEL} wrong passwords at once for one account: only ${LOGIN_LIMIT_PER_ACCOUNT} reach the password check, the rest get 429 with Retry-After`, async () => {
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => (i % 2 === 0 ? apiLogin(TARGET.email, `wrong-${i}`, '198.51.100.1') : pageLogin(TARGET.email.toUpperCase(), `wrong-${i}`, '198.51.100.1'))),
    );
    const statuses = responses.map((r) => r.status);
    expect(count(statuses, 401) + count(statuses, 429), `statuses: ${statuses}`).toBe(PARALLEL);
    expect(count(statuses, 401), `statuses: ${statuses}`).toBe(LOGIN_LIMIT_PER_ACCOUNT);
    for (const r of responses.filter((x) => x.status === 429)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await r.text()).toMatch(/試行回数が上限に達しました/);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('then the attacking address is refused even with the right password, while the real user logs in from their own address', async () => {
    const attacker = await apiLogin(TARGET.email, TARGET.password, '198.51.100.1');
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attacker.json()).token).toBeUndefined();
    // the lock-out attack of issue 12: five wrong passwords from elsewhere no longer keep the owner out
    const api = await apiLogin(TARGET.email, TARGET.password, '203.0.113.7');
    expect(api.status).toBe(200);
    expect((await api.json()).token).toEqual(expect.any(String));
    const page = await pageLogin(` ${TARGET.email} `, TARGET.password, '203.0.113.8');
    expect(page.status).toBe(303);
    expect(page.headers.getSetCookie().some((c) => c.startsWith('organiser_session='))).toBe(true);
  });

  it(`one address trying ${PARALLEL} accounts at once: no more than ${LOGIN_LIMIT_PER_ADDRESS} reach the password check`, async () => {
    const statuses = (await Promise.all(Array.from({ length: PARALLEL }, (_, i) => apiLogin(`guess${i}@example.lg.jp`, 'x', '192.0.2.44')))).map((r) => r.status);
    expect(count(statuses, 401), `statuses: ${statuses}`).toBe(LOGIN_LIMIT_PER_ADDRESS);
    expect(count(statuses, 429)).toBe(PARALLEL - LOGIN_LIMIT_PER_ADDRESS);
    // another address and an account not under attack still log in
    const other = await createAccount(ctx, 'other@city.example.lg.jp', 'other-password-123', 'staff');
    expect(other.id).toBeGreaterThan(0);
    expect((await apiLogin('other@city.example.lg.jp', 'other-password-123', '192.0.2.45')).status).toBe(200);
  });

  it('an address of a thousand full-width characters is a wrong login on the page (401) and a schema error on the API (400), never a 500', async () => {
    const long = 'あ'.repeat(1000);
    expect((await pageLogin(long, 'x', '198.51.100.90')).status).toBe(401);
    expect((await apiLogin(long, 'x', '198.51.100.91')).status).toBe(400); // the API's schema limits the address's length
  });

  it('without TRUST_PROXY, a forged X-Forwarded-For does not give each attempt a new address', async () => {
    const direct = await buildTestApp({ seed: true });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_LIMIT_PER_ADDRESS + 2; i++) {
        const res = await direct.app.inject({ method: 'POST', url: '/api/v1/session', headers: from(`198.18.0.${i + 1}`), payload: { email: `spoof${i}@example.lg.jp`, password: 'x' } });
        statuses.push(res.statusCode);
      }
      expect(count(statuses, 401), `statuses: ${statuses}`).toBe(LOGIN_LIMIT_PER_ADDRESS);
      expect(count(statuses, 429)).toBe(2);
    } finally {
      await direct.close();
    }
  });
});
