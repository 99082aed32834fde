// Issue 12 §3, each finding reproduced as the attack itself (bounded): sessions that outlive logout, disabling
// or a password change; tokens without exp; form-encoded or cookie-only writes to the organiser API; multipart
// bodies read before authentication; slow connections held open; open redirects through `next`;
// organiser pages and contact data without no-store; a CSRF cookie without Secure under https.
import { createHash, createHmac } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { LOGIN_LIMIT_PER_ACCOUNT } from '../server/plugins/login-limit.js';
import { buildTestApp, type TestContext } from './helper.js';
import { Browser, createAccount, csrfTokenOf } from './organiser-support.js';

let ctx: TestContext;
const ADMIN = { email: 'admin@city.nishinomiya.example.lg.jp', password: 'admin-password-123' };
const STAFF = { email: 'staff@city.nishinomiya.example.lg.jp', password: 'staff-password-123' };

// These tests log in many times from one address: the app's clock moves a minute on every reading, so the
// login limit (tested in quality-security-login.test.ts) never gets in the way. Tokens' exp uses real time.
let minutes = 0;
const hoppingClock = () => new Date(Date.now() + ++minutes * 61_000);

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true, clock: hoppingClock });
  await createAccount(ctx, ADMIN.email, ADMIN.password, 'admin');
  await createAccount(ctx, STAFF.email, STAFF.password, 'staff');
});
afterAll(() => ctx.close());

async function apiToken(account: { email: string; password: string }): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: account });
  expect(res.statusCode).toBe(200);
  return res.json().token;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const getCities = (headers: Record<string, string>) => ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function signed(payload: Record<string, unknown>): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', ctx.config.jwtSecret).update(head).digest('base64url')}`;
}

describe('sessions end when they should', () => {
  it('DELETE /api/v1/session → 204, then that token and every other token of the account get 401', async () => {
    const first = await apiToken(STAFF);
    const second = await apiToken(STAFF);
    expect((await getCities(bearer(first))).statusCode).toBe(200);
    const out = await ctx.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(first) });
    expect(out.statusCode).toBe(204);
    const replayed = await getCities(bearer(first));
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('ログイン') });
    expect((await getCities(bearer(second))).statusCode).toBe(401);
    expect((await getCities(bearer(await apiToken(STAFF)))).statusCode).toBe(200); // a new login works
  });

  it('logging out of the console ends the copied cookie and the API tokens of that account', async () => {
    const browser = new Browser(ctx);
    expect((await browser.login(STAFF.email, STAFF.password)).statusCode).toBe(303);
    const stolenCookie = browser.cookieHeader;
    const token = await apiToken(STAFF);
    expect((await browser.get('/organiser/surveys')).statusCode).toBe(200);
    expect((await browser.post('/logout', {}, '/organiser/surveys')).statusCode).toBe(200);
    const replay = await ctx.app.inject({ method: 'GET', url: '/organiser/surveys', headers: { cookie: stolenCookie, accept: 'text/html' } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
    expect((await getCities(bearer(token))).statusCode).toBe(401);
  });

  it('disabling an account ends its sessions, and enabling it again does not revive the old token', async () => {
    const victim = await createAccount(ctx, 'leaver@city.nishinomiya.example.lg.jp', 'leaver-password-123', 'staff');
    const token = await apiToken({ email: victim.email, password: 'leaver-password-123' });
    const admin = new Browser(ctx);
    await admin.login(ADMIN.email, ADMIN.password);
    expect((await admin.post(`/organiser/accounts/${victim.id}`, { action: 'disable' }, '/organiser/accounts')).statusCode).toBe(303);
    expect((await getCities(bearer(token))).statusCode).toBe(401);
    expect((await admin.post(`/organiser/accounts/${victim.id}`, { action: 'enable' }, '/organiser/accounts')).statusCode).toBe(303);
    expect((await getCities(bearer(token))).statusCode).toBe(401);
  });

  it('changing the password ends every session; the old password no longer logs in, the new one does', async () => {
    const account = { email: 'changer@city.nishinomiya.example.lg.jp', password: 'changer-password-123' };
    await createAccount(ctx, account.email, account.password, 'staff');
    const token = await apiToken(account);
    const other = await apiToken(account);
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/session/password', headers: bearer(token), payload: { currentPassword: 'not-it', newPassword: 'brand-new-password-1' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ path: '/currentPassword', message: expect.stringMatching(/。$/) });
    const changed = await ctx.app.inject({ method: 'POST', url: '/api/v1/session/password', headers: bearer(token), payload: { currentPassword: account.password, newPassword: 'brand-new-password-1' } });
    expect(changed.statusCode).toBe(204);
    expect((await getCities(bearer(token))).statusCode).toBe(401);
    expect((await getCities(bearer(other))).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: account })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { ...account, password: 'brand-new-password-1' } })).statusCode).toBe(200);
  });

  it('a correctly signed token without exp, or without the session version, is refused', async () => {
    const staff = await ctx.database.db.selectFrom('organisers').selectAll().where('email', '=', STAFF.email).executeTakeFirstOrThrow();
    const now = Math.floor(Date.now() / 1000);
    const claims = { kind: 'organiser', sub: String(staff.id), role: 'staff', iat: now, sv: staff.session_version };
    expect((await getCities(bearer(signed({ ...claims, exp: now + 600 })))).statusCode).toBe(200); // the forgery is well-made
    expect((await getCities(bearer(signed(claims)))).statusCode).toBe(401);
    const { sv: _sv, ...withoutVersion } = claims;
    expect((await getCities(bearer(signed({ ...withoutVersion, exp: now + 600 })))).statusCode).toBe(401);
  });
});

describe('two instances on one database agree', () => {
  it('a logout on one instance ends the token on the other, and login attempts are counted once for both', async () => {
    const other = await buildApp(ctx.config, { database: ctx.database });
    await other.ready();
    try {
      const account = { email: 'twin@city.nishinomiya.example.lg.jp', password: 'twin-password-1234' };
      await createAccount(ctx, account.email, account.password, 'staff');
      const token = await apiToken(account);
      expect((await other.inject({ method: 'GET', url: '/api/v1/cities', headers: bearer(token) })).statusCode).toBe(200);
      expect((await ctx.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: bearer(token) })).statusCode).toBe(204);
      expect((await other.inject({ method: 'GET', url: '/api/v1/cities', headers: bearer(token) })).statusCode).toBe(401);
      // the login above (first instance) counts with the wrong passwords sent to the second instance: one
      // window for both (the first instance's clock runs ahead, so the window it opened is still open here)
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT + 2; i++) {
        statuses.push((await other.inject({ method: 'POST', url: '/api/v1/session', payload: { email: account.email, password: `wrong-${i}` } })).statusCode);
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMIT_PER_ACCOUNT - 1);
      expect(statuses.slice(LOGIN_LIMIT_PER_ACCOUNT - 1).every((s) => s === 429)).toBe(true);
      // the counter keys the account by its SHA-256 (no typed address is kept in the counters)
      const digest = createHash('sha256').update(account.email).digest('base64url');
      const rows = await ctx.database.db.selectFrom('login_attempts').selectAll().where('key', 'like', `login-account:%:${digest}`).execute();
      expect(JSON.stringify(await ctx.database.db.selectFrom('login_attempts').select('key').execute())).not.toContain(account.email);
      expect(rows.map((r) => r.count)).toEqual([LOGIN_LIMIT_PER_ACCOUNT + 3]);
    } finally {
      await other.close();
    }
  });
});

describe('the organiser API cannot be driven by another page through the cookie', () => {
  async function consoleSession() {
    const browser = new Browser(ctx);
    await browser.login(ADMIN.email, ADMIN.password);
    const csrf = csrfTokenOf((await browser.get('/organiser/surveys')).body);
    return { browser, csrf };
  }
  const survey = { title: 'CSRF の確認', hostCityCode: '282049', deadline: '2027-01-29' };

  it('a form-encoded or text/plain body to an organiser API route is 415 (cookie or Bearer), nothing created', async () => {
    const { browser } = await consoleSession();
    const before = await ctx.database.db.selectFrom('surveys').select('id').execute();
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', new URLSearchParams(survey).toString()],
      ['text/plain', JSON.stringify(survey)],
      ['multipart/form-data; boundary=x', '--x--'],
    ]) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: browser.cookieHeader, 'content-type': type }, payload });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toMatchObject({ statusCode: 415, message: expect.stringContaining('application/json') });
      const viaBearer = await ctx.app.inject({ method: 'POST', url: '/api/v1/cities', headers: { ...bearer(await apiToken(ADMIN)), 'content-type': type }, payload });
      expect(viaBearer.statusCode, type).toBe(415);
    }
    expect(await ctx.database.db.selectFrom('surveys').select('id').execute()).toHaveLength(before.length);
  });

  it('JSON with the session cookie but no CSRF header is 403; with the header, or with a Bearer token, it works', async () => {
    const { browser, csrf } = await consoleSession();
    const cookieOnly = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: browser.cookieHeader }, payload: survey });
    expect(cookieOnly.statusCode).toBe(403);
    expect(cookieOnly.json().message).toContain('X-CSRF-Token');
    const forged = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: browser.cookieHeader, 'x-csrf-token': 'forged' }, payload: survey });
    expect(forged.statusCode).toBe(403);
    const withHeader = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: browser.cookieHeader, 'x-csrf-token': csrf }, payload: survey });
    expect(withHeader.statusCode).toBe(201);
    const withBearer = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: bearer(await apiToken(ADMIN)), payload: survey });
    expect(withBearer.statusCode).toBe(201);
    // reading with the cookie alone stays possible (GET changes nothing)
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: { cookie: browser.cookieHeader } })).statusCode).toBe(200);
  });
});

describe('multipart bodies are not read before authentication', () => {
  /** A body of `parts` parts of `partBytes` each, produced only as fast as the server reads it; counts what was read. */
  function hugeMultipart(parts: number, partBytes: number) {
    let read = 0;
    let i = 0;
    const chunk = Buffer.alloc(partBytes, 0x61);
    const stream = new Readable({
      read() {
        if (i >= parts) {
          this.push('--b--\r\n');
          this.push(null);
          return;
        }
        const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n`);
        i++;
        read += head.length + chunk.length + 2;
        this.push(Buffer.concat([head, chunk, Buffer.from('\r\n')]));
      },
    });
    return { stream, read: () => read };
  }

  it('an anonymous roster import of 1,000 parts of 256 KB is turned away before its body is read', async () => {
    const body = hugeMultipart(1000, 256 * 1024);
    const res = await ctx.app.inject({ method: 'POST', url: '/organiser/roster/import', headers: { 'content-type': 'multipart/form-data; boundary=b', accept: 'text/html' }, payload: body.stream });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(body.read()).toBeLessThan(4 * 1024 * 1024); // not the 250 MB the attack sends
  });

  it('an anonymous questionnaire upload is turned away the same way', async () => {
    const body = hugeMultipart(1000, 256 * 1024);
    const res = await ctx.app.inject({ method: 'POST', url: '/respond/questionnaire', headers: { 'content-type': 'multipart/form-data; boundary=b', accept: 'text/html' }, payload: body.stream });
    expect(res.statusCode).toBe(401);
    expect(body.read()).toBeLessThan(4 * 1024 * 1024);
  });

  it('a signed-in organiser sending 1,000 small parts gets an error, not 1,000 fields parsed', async () => {
    const browser = new Browser(ctx);
    await browser.login(ADMIN.email, ADMIN.password);
    const body = hugeMultipart(1000, 16);
    const res = await ctx.app.inject({ method: 'POST', url: '/organiser/roster/import', headers: { cookie: browser.cookieHeader, 'content-type': 'multipart/form-data; boundary=b', accept: 'text/html' }, payload: body.stream });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('post-login redirect', () => {
  it.each([
    '/\t/evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    'https://evil.example/',
    '/organiser/../\t/evil.example',
    '/organiser/%0d%0aSet-Cookie:x',
    '/login?next=//evil.example',
    'javascript:alert(1)',
    '/organiser\n//evil.example',
  ])('next=%j lands on the survey list', async (next) => {
    const browser = new Browser(ctx);
    const res = await browser.post('/login', { email: ADMIN.email, password: ADMIN.password, next }, '/login');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/organiser/surveys');
  });

  it('an internal console path with a query is kept', async () => {
    const res = await new Browser(ctx).post('/login', { email: ADMIN.email, password: ADMIN.password, next: '/organiser/surveys/1/results?sort=rate' }, '/login');
    expect(res.headers.location).toBe('/organiser/surveys/1/results?sort=rate');
  });
});

describe('caching and cookies', () => {
  it('organiser pages and API answers with contact data send Cache-Control: no-store', async () => {
    const browser = new Browser(ctx);
    await browser.login(ADMIN.email, ADMIN.password);
    for (const url of ['/organiser/surveys', '/organiser/roster', '/organiser/accounts']) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toContain('no-store');
    }
    const cities = await getCities(bearer(await apiToken(ADMIN)));
    expect(cities.headers['cache-control']).toContain('no-store');
    expect((await browser.get('/login')).headers['cache-control']).toContain('no-store');
  });

  it('under an https PUBLIC_URL the CSRF cookie and the session cookie are Secure', async () => {
    const https = await buildTestApp({ seed: true, env: { PUBLIC_URL: 'https://survey.example.lg.jp' } });
    try {
      await createAccount(https, ADMIN.email, ADMIN.password, 'admin');
      const browser = new Browser(https);
      const page = await browser.get('/login');
      const csrfCookie = page.cookies.find((c) => c.name === '_csrf');
      expect(csrfCookie?.secure).toBe(true);
      const login = await browser.login(ADMIN.email, ADMIN.password);
      expect(login.cookies.find((c) => c.name === 'organiser_session')?.secure).toBe(true);
    } finally {
      await https.close();
    }
  });
});

describe('slow connections', () => {
  it('a handful of connections trickling one header byte at a time are closed once the request timeout passes', async () => {
    const slow = await buildTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } });
    const sockets: net.Socket[] = [];
    try {
      await slow.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = slow.app.server.address() as AddressInfo;
      const closed = Array.from({ length: 5 }, () => {
        const socket = net.connect(port, '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => undefined);
        socket.write('POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\n');
        const drip = setInterval(() => socket.writable && socket.write('X'), 200);
        return new Promise<number>((resolve) => {
          const started = Date.now();
          socket.on('close', () => {
            clearInterval(drip);
            resolve(Date.now() - started);
          });
        });
      });
      const outcome = await Promise.race([Promise.all(closed), new Promise<'open'>((r) => setTimeout(() => r('open'), 8000))]);
      expect(outcome).not.toBe('open');
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await slow.close();
    }
  });
});
