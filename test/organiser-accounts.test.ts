// Organiser console: login page, session cookie, login limit, account roles and their audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/repositories/audit.js';
import { buildTestApp, type TestContext } from './helper.js';
import { Browser, createAccount, textOf } from './organiser-support.js';
import { findCsrfToken } from './support/browser.js';

let ctx: TestContext;
const ADMIN = { email: 'admin@city.nishinomiya.example.lg.jp', password: 'admin-password-123' };
const STAFF = { email: 'staff@city.nishinomiya.example.lg.jp', password: 'staff-password-123' };

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  await createAccount(ctx, ADMIN.email, ADMIN.password, 'admin');
  await createAccount(ctx, STAFF.email, STAFF.password, 'staff');
});
afterAll(() => ctx.close());

describe('login', () => {
  it('an unauthenticated page request is sent to the login page', async () => {
    const res = await new Browser(ctx).get('/organiser/surveys');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Forganiser%2Fsurveys');
  });

  it('logs in with a httpOnly SameSite=Lax session cookie valid for 8 hours, and logs out', async () => {
    const browser = new Browser(ctx);
    const res = await browser.login(ADMIN.email, ADMIN.password);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/organiser/surveys');
    const cookie = res.cookies.find((c) => c.name === 'organiser_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.maxAge).toBe(8 * 3600);
    const accounts = await browser.get('/organiser/accounts');
    expect(accounts.statusCode).toBe(200);
    expect(accounts.body).toContain('ログアウト');
    const out = await browser.post('/logout', {}, '/organiser/accounts');
    expect(out.statusCode).toBe(200);
    expect((await browser.get('/organiser/accounts')).statusCode).toBe(303);
  });

  it('a wrong password and an unknown e-mail get the same Japanese message', async () => {
    const wrong = await new Browser(ctx).login(STAFF.email, 'not-the-password');
    const unknown = await new Browser(ctx).login('nobody@example.lg.jp', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0];
    expect(message(wrong.body)).toContain('メールアドレスまたはパスワードが正しくありません');
    expect(message(wrong.body)).toBe(message(unknown.body));
  });

  it('a login form without its CSRF token is refused', async () => {
    const res = await new Browser(ctx).post('/login', { _csrf: 'forged', email: ADMIN.email, password: ADMIN.password });
    expect(res.statusCode).toBe(403);
    expect(res.cookies.find((c) => c.name === 'organiser_session')).toBeUndefined();
  });
});

describe('login limit', () => {
  it('after 5 attempts a minute on one account the next gets 429 with Retry-After, even with the right password', async () => {
    const target = { email: 'limited@city.example.lg.jp', password: 'limited-password-1' };
    await createAccount(ctx, target.email, target.password, 'staff');
    for (let i = 0; i < 5; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: target.email, password: 'wrong' } });
      expect(res.statusCode).toBe(401);
    }
    const api = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: target.email, password: target.password } });
    expect(api.statusCode).toBe(429);
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(api.json().message).toMatch(/試行回数が上限/);
    const page = await new Browser(ctx).login(target.email.toUpperCase(), target.password);
    expect(page.statusCode).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(textOf(page.body)).toMatch(/ログインの試行回数が上限に達しました。\d+ 秒ほど待ってから/);
    // another account from the same address is not locked by this one
    const other = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: STAFF });
    expect(other.statusCode).toBe(200);
  });

  it('one address trying many accounts is limited too', async () => {
    const ip = '192.0.2.10';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, payload: { email: `guess${i}@example.lg.jp`, password: 'x' } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('accounts', () => {
  it('staff can use the console but cannot manage accounts (403)', async () => {
    const staff = new Browser(ctx);
    await staff.login(STAFF.email, STAFF.password);
    const page = await staff.get('/organiser/accounts');
    expect(page.statusCode).toBe(403);
    expect(textOf(page.body)).toContain('管理者のみ');
    const admin = new Browser(ctx);
    await admin.login(ADMIN.email, ADMIN.password);
    const token = findCsrfToken((await staff.get('/organiser/roster')).body) ?? 'x';
    const post = await staff.post('/organiser/accounts', { _csrf: token, email: 'sneaky@example.lg.jp', name: '', role: 'admin', password: 'sneaky-password' });
    expect(post.statusCode).toBe(403);
  });

  it('an admin adds a staff account, who can then log in; disabling it ends its session; both are audited', async () => {
    const admin = new Browser(ctx);
    await admin.login(ADMIN.email, ADMIN.password);
    const added = await admin.post('/organiser/accounts', { email: 'New.Staff@city.example.lg.jp', name: '新任 職員', role: 'staff', password: 'new-staff-password' });
    expect(added.statusCode).toBe(303);
    const list = await admin.get(added.headers.location as string);
    expect(textOf(list.body)).toContain('new.staff@city.example.lg.jp のアカウントを追加しました');

    const newcomer = new Browser(ctx);
    expect((await newcomer.login('new.staff@city.example.lg.jp', 'new-staff-password')).statusCode).toBe(303);
    // signed in, and asked first to replace the password the admin chose
    expect((await newcomer.get('/organiser/password')).statusCode).toBe(200);

    const id = /action="\/organiser\/accounts\/(\d+)"[\s\S]{0,300}new\.staff@city\.example\.lg\.jp を無効にする/.exec(list.body)![1];
    const disabled = await admin.post(`/organiser/accounts/${id}`, { action: 'disable' }, '/organiser/accounts');
    expect(disabled.statusCode).toBe(303);
    expect((await newcomer.get('/organiser/password')).statusCode).toBe(303);
    expect((await new Browser(ctx).login('new.staff@city.example.lg.jp', 'new-staff-password')).statusCode).toBe(401);

    const audit = await listAudit(ctx.database.db, { entity: 'organiser', entityId: id });
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'disable']);
    expect(audit.every((a) => a.actor === ADMIN.email)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('password');
  });

  it('an account with a short password is not created and the form says why', async () => {
    const admin = new Browser(ctx);
    await admin.login(ADMIN.email, ADMIN.password);
    const res = await admin.post('/organiser/accounts', { email: 'short@city.example.lg.jp', name: '', role: 'staff', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('初期パスワードは 10 文字以上にしてください');
    expect(res.body).toContain('value="short@city.example.lg.jp"');
  });
});

describe('passwords an office can keep', () => {
  it('a staff account created by an admin must change its password at the first login; the change ends its other sessions', async () => {
    const { buildTestApp } = await import('./helper.js');
    const { Browser, createAccount } = await import('./organiser-support.js');
    const local = await buildTestApp({ seed: true });
    try {
      await createAccount(local, 'admin@example.lg.jp', 'admin-password-123');
      const admin = new Browser(local);
      await admin.login('admin@example.lg.jp', 'admin-password-123');
      expect((await admin.post('/organiser/accounts', { email: 'staff@example.lg.jp', name: '職員', role: 'staff', password: 'set-by-admin-1' }, '/organiser/accounts')).statusCode).toBe(303);
      const staff = new Browser(local);
      const login = await staff.login('staff@example.lg.jp', 'set-by-admin-1');
      expect(login.headers.location).toBe('/organiser/password');
      // every other page sends the person to the password page first
      expect((await staff.get('/organiser/surveys')).headers.location).toBe('/organiser/password');
      const api = await local.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'staff@example.lg.jp', password: 'set-by-admin-1' } });
      const token = api.json().token as string;
      const mismatch = await staff.post('/organiser/password', { currentPassword: 'set-by-admin-1', newPassword: 'my-own-password-1', newPasswordAgain: 'my-own-password-2' }, '/organiser/password');
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.body).toContain('一致しません');
      const changed = await staff.post('/organiser/password', { currentPassword: 'set-by-admin-1', newPassword: 'my-own-password-1', newPasswordAgain: 'my-own-password-1' }, '/organiser/password');
      expect(changed.statusCode).toBe(200);
      expect(changed.body).toContain('パスワードを変更しました');
      // the API token from before the change no longer works; the new password does, without the forced change
      expect((await local.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
      const again = new Browser(local);
      expect((await again.login('staff@example.lg.jp', 'my-own-password-1')).headers.location).toBe('/organiser/surveys');
    } finally {
      await local.close();
    }
  });

  it('npm run reset-admin gives a locked-out admin a one-time password that must be changed', async () => {
    const { openTestDatabase } = await import('./helper.js');
    const { resetPassword, authenticateOrganiser } = await import('../server/services/accounts.js');
    const { createOrganiser } = await import('../server/repositories/organisers.js');
    const { hashPassword } = await import('../server/lib/passwords.js');
    const database = await openTestDatabase();
    try {
      await createOrganiser(database.db, { email: 'joho@example.lg.jp', passwordHash: await hashPassword('forgotten-password'), role: 'admin' });
      const { password } = await resetPassword(database.db, 'joho@example.lg.jp');
      expect(await authenticateOrganiser(database.db, 'joho@example.lg.jp', 'forgotten-password')).toBeNull();
      const organiser = await authenticateOrganiser(database.db, 'joho@example.lg.jp', password);
      expect(organiser?.must_change_password).toBe(true);
    } finally {
      await database.close();
    }
  });
});
