// Login and logout pages: the session is the signed JWT in the httpOnly, SameSite=Lax organiser_session cookie.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../domain/errors.js';
import { ORGANISER_COOKIE, ORGANISER_SESSION_HOURS } from '../../../plugins/auth.js';
import { authenticateOrganiser, changeOwnPassword } from '../../../services/accounts.js';
import { MIN_PASSWORD_LENGTH } from '../../../services/organiser-accounts.js';
import { formBody, text } from '../../../schemas/pages.js';
import { formFailure } from '../page-errors.js';
import { pageAuth, renderPage } from './common.js';
import { LOGIN_FAILED_MESSAGE } from '../../api/session.js';

type LoginBody = { email?: string; password?: string; next?: string };

/**
 * Only a console path of a known shape: /organiser, then segments of letters, digits, `-` and `_`, and an
 * optional plain query. No scheme, no `//`, no backslash, no tab or other control character (browsers drop those
 * and `/\t/evil.host/` becomes `//evil.host/`): anything else goes to the survey list (no open redirect).
 */
export function safeNext(next: unknown): string {
  const fallback = '/organiser/surveys';
  if (typeof next !== 'string' || next.length > 512) return fallback;
  return /^\/organiser(?:\/[A-Za-z0-9_-]+)*\/?(?:\?[A-Za-z0-9_.~%=&+-]*)?$/.test(next) ? next : fallback;
}

const loginPages: FastifyPluginAsync = async (app) => {
  const secure = app.config.publicUrl.startsWith('https:');

  const renderLogin = (reply: FastifyReply, ctx: { email?: string; next?: string; error?: string }) =>
    reply.header('cache-control', 'no-store').view('pages/organiser/login.hbs', { title: 'ログイン', ...ctx, next: safeNext(ctx.next), csrfToken: reply.generateCsrf() });

  app.get<{ Querystring: { next?: string } }>('/login', { schema: { hide: true, querystring: Type.Object({ next: text(4096) }) } }, async (request, reply) =>
    renderLogin(reply, { next: request.query.next }),
  );

  app.post<{ Body: LoginBody }>(
    '/login',
    {
      schema: { hide: true, body: formBody({ email: text(1000), password: text(4096), next: text(4096) }) },
      preHandler: [app.loginRateLimit, app.csrfProtection],
      errorHandler: async (err, request: FastifyRequest<{ Body: LoginBody }>, reply) => {
        if (err instanceof DomainError && err.statusCode === 429) {
          return renderLogin(reply.code(429), { email: request.body?.email, next: request.body?.next, error: err.message });
        }
        const code = (err as { code?: string }).code;
        if (code?.startsWith('FST_CSRF')) {
          return renderLogin(reply.code(403), { email: request.body?.email, next: request.body?.next, error: '画面の有効期限が切れました。もう一度ログインしてください' });
        }
        throw err;
      },
    },
    async (request, reply) => {
      const email = String(request.body.email ?? '').slice(0, 254);
      const password = String(request.body.password ?? '').slice(0, 1024);
      const organiser = email && password ? await authenticateOrganiser(app.db, email, password) : null;
      if (!organiser) {
        return renderLogin(reply.code(401), { email, next: request.body.next, error: `${LOGIN_FAILED_MESSAGE}。もう一度入力してください` });
      }
      const { token } = app.signOrganiserSession(organiser);
      reply.setCookie(ORGANISER_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: ORGANISER_SESSION_HOURS * 3600,
      });
      return reply.redirect(organiser.must_change_password ? '/organiser/password' : safeNext(request.body.next), 303);
    },
  );

  // Changing one's own password (forced after a password someone else set); every session of the account ends.
  const renderPassword = (request: FastifyRequest, reply: FastifyReply, ctx: { errors?: Array<{ path: string; message: string }> } = {}) =>
    renderPage(request, reply, 'pages/organiser/password.hbs', {
      title: 'パスワードの変更',
      forced: request.organiser?.must_change_password === true,
      minLength: MIN_PASSWORD_LENGTH,
      ...ctx,
    });

  app.get('/organiser/password', { schema: { hide: true }, preHandler: pageAuth(app) }, async (request, reply) => renderPassword(request, reply));

  app.post<{ Body: { currentPassword?: string; newPassword?: string; newPasswordAgain?: string } }>(
    '/organiser/password',
    { schema: { hide: true, body: formBody({ currentPassword: text(1024), newPassword: text(1024), newPasswordAgain: text(1024) }) }, attachValidation: true, preHandler: [pageAuth(app), app.csrfProtection] },
    async (request, reply) => {
      const current = String(request.body.currentPassword ?? '').slice(0, 1024);
      const next = String(request.body.newPassword ?? '').slice(0, 1024);
      const again = String(request.body.newPasswordAgain ?? '').slice(0, 1024);
      const errors: Array<{ path: string; message: string }> = [...(formFailure(request)?.errors ?? [])];
      if (next !== again) errors.push({ path: '/newPasswordAgain', message: '確認のために入力した新しいパスワードが一致しません。' });
      if (next !== '' && next === current) errors.push({ path: '/newPassword', message: '新しいパスワードは、現在のものと違うものにしてください。' });
      try {
        if (errors.length === 0) {
          const changed = await changeOwnPassword(app.db, request.organiser!, current, next);
          if (changed === 'wrong-password') errors.push({ path: '/currentPassword', message: '現在のパスワードが正しくありません。' });
        }
      } catch (err) {
        if (!(err instanceof DomainError) || !err.errors) throw err;
        errors.push(...err.errors);
      }
      if (errors.length > 0) return renderPassword(request, reply.code(400), { errors });
      reply.clearCookie(ORGANISER_COOKIE, { path: '/' });
      return reply.header('cache-control', 'no-store').view('pages/organiser/logged-out.hbs', {
        title: 'パスワードを変更しました',
        message: 'パスワードを変更しました。このアカウントのログイン中のセッションはすべて終了しました。新しいパスワードでログインしてください。',
      });
    },
  );

  app.post('/logout', { schema: { hide: true, body: formBody() }, preHandler: app.csrfProtection }, async (request, reply) => {
    // Ends every session of the account (the cookie, and API tokens of the same organiser), not only this cookie.
    const signedIn = await app.requireOrganiser(request, reply).then(
      () => request.organiser,
      () => undefined,
    );
    if (signedIn) await app.endOrganiserSessions(signedIn.id);
    reply.clearCookie(ORGANISER_COOKIE, { path: '/' });
    return reply.view('pages/organiser/logged-out.hbs', { title: 'ログアウトしました' });
  });
};

export default loginPages;
