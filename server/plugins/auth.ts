// Organiser authentication: a signed JWT (HS256 only, 8 hours, `exp` required) as a Bearer header or an httpOnly
// cookie. Each token carries the organiser's session version (`sv`), checked against the database on every
// request: logout, disabling the account or a password change bump it, so every earlier token stops working on
// every instance at once. A cookie-authenticated API write also needs the CSRF header (a Bearer token does not).
// Respondent authentication (invitation tokens) lives in its own plugin.
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Organiser } from '../db/schema.js';
import { forbidden, unauthorized } from '../domain/errors.js';
import type { Actor } from '../repositories/audit.js';
import { bumpSessionVersion, findOrganiser } from '../repositories/organisers.js';

export const ORGANISER_COOKIE = 'organiser_session';
export const ORGANISER_SESSION_HOURS = 8;

export interface OrganiserClaims {
  kind: 'organiser';
  sub: string;
  role: Organiser['role'];
  /** the organiser's session_version when the token was signed */
  sv: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the request must carry a valid organiser session (401 otherwise). */
    requireOrganiser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler: the organiser must be an admin (403 otherwise). */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signOrganiserSession: (organiser: Organiser) => { token: string; expiresAt: string };
    /** Ends every session of this organiser (logout, disabling, password change): earlier tokens get 401. */
    endOrganiserSessions: (organiserId: number) => Promise<void>;
  }
  interface FastifyRequest {
    organiser?: Organiser;
    /** how the organiser's token came: as a Bearer header or in the session cookie */
    organiserVia?: 'bearer' | 'cookie';
  }
}

/** The audit actor for the organiser of this request. */
export function organiserActor(request: FastifyRequest): Actor {
  return { type: 'organiser', id: request.organiser?.email ?? 'unknown' };
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

async function authPlugin(app: FastifyInstance, opts: { config: Config }) {
  await app.register(cookie, { secret: opts.config.jwtSecret });
  await app.register(jwt, {
    secret: opts.config.jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: `${ORGANISER_SESSION_HOURS}h` },
    verify: { algorithms: ['HS256'], requiredClaims: ['exp'] },
  });

  app.decorate('signOrganiserSession', (organiser: Organiser) => {
    const claims: OrganiserClaims = { kind: 'organiser', sub: String(organiser.id), role: organiser.role, sv: organiser.session_version };
    const token = app.jwt.sign(claims);
    const { exp } = app.jwt.decode<{ exp: number }>(token)!;
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  });

  app.decorate('endOrganiserSessions', async (organiserId: number) => {
    await bumpSessionVersion(app.db, organiserId);
  });

  app.decorate('requireOrganiser', async (request: FastifyRequest, reply: FastifyReply) => {
    // Whatever an organiser route answers (contact data, answers, workbooks) must not stay in a shared cache.
    reply.header('cache-control', 'no-store');
    const bearer = bearerToken(request);
    const token = bearer ?? request.cookies[ORGANISER_COOKIE];
    if (!token) throw unauthorized('ログインが必要です（Authorization: Bearer <トークン> を指定してください）');
    let claims: OrganiserClaims;
    try {
      claims = app.jwt.verify<OrganiserClaims>(token);
    } catch {
      throw unauthorized('認証情報が無効か、有効期限が切れています。もう一度ログインしてください');
    }
    if (claims.kind !== 'organiser') throw forbidden('この操作は照会元（情報企画課）の職員のみ行えます');
    const id = Number(claims.sub);
    const organiser = Number.isSafeInteger(id) && id > 0 && id <= 2147483647 ? await findOrganiser(app.db, id) : undefined;
    if (!organiser || organiser.disabled_at) throw unauthorized('このアカウントは利用できません');
    if (claims.sv !== organiser.session_version) throw unauthorized('ログアウト済みか、無効になったセッションです。もう一度ログインしてください');
    request.organiser = organiser;
    request.organiserVia = bearer ? 'bearer' : 'cookie';
    // A same-site page can make a browser send the cookie; only this site's own pages can read the CSRF token.
    if (!bearer && request.url.startsWith('/api/') && !SAFE_METHODS.has(request.method)) await checkCsrfHeader(app, request, reply);
  });

  app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
    await app.requireOrganiser(request, reply);
    if (request.organiser?.role !== 'admin') throw forbidden('この操作は管理者のみ行えます');
  });
}

/** The CSRF header (x-csrf-token, as the pages' forms carry in `_csrf`) must be present and valid. */
async function checkCsrfHeader(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (typeof request.headers['x-csrf-token'] !== 'string') {
    throw forbidden('ログイン画面のセッション（Cookie）で API を呼ぶ場合は X-CSRF-Token ヘッダーが必要です。API からは Authorization: Bearer を使ってください');
  }
  await new Promise<void>((resolve, reject) => {
    app.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve()));
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db'] });
