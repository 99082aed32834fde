// Organiser authentication: a signed JWT (HS256 only, 8 hours) as a Bearer header or an httpOnly cookie.
// Respondent authentication (invitation tokens) lives in its own plugin.
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Organiser } from '../db/schema.js';
import { forbidden, unauthorized } from '../domain/errors.js';
import type { Actor } from '../repositories/audit.js';
import { findOrganiser } from '../repositories/organisers.js';

export const ORGANISER_COOKIE = 'organiser_session';
export const ORGANISER_SESSION_HOURS = 8;

export interface OrganiserClaims {
  kind: 'organiser';
  sub: string;
  role: Organiser['role'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the request must carry a valid organiser session (401 otherwise). */
    requireOrganiser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler: the organiser must be an admin (403 otherwise). */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signOrganiserSession: (organiser: Organiser) => { token: string; expiresAt: string };
  }
  interface FastifyRequest {
    organiser?: Organiser;
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
    verify: { algorithms: ['HS256'] },
  });

  app.decorate('signOrganiserSession', (organiser: Organiser) => {
    const claims: OrganiserClaims = { kind: 'organiser', sub: String(organiser.id), role: organiser.role };
    const token = app.jwt.sign(claims);
    const { exp } = app.jwt.decode<{ exp: number }>(token)!;
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  });

  app.decorate('requireOrganiser', async (request: FastifyRequest) => {
    const token = bearerToken(request) ?? request.cookies[ORGANISER_COOKIE];
    if (!token) throw unauthorized('ログインが必要です（Authorization: Bearer <トークン> を指定してください）');
    let claims: OrganiserClaims;
    try {
      claims = app.jwt.verify<OrganiserClaims>(token);
    } catch {
      throw unauthorized('認証情報が無効か、有効期限が切れています。もう一度ログインしてください');
    }
    if (claims.kind !== 'organiser') throw forbidden('この操作は照会元（情報企画課）の職員のみ行えます');
    const organiser = await findOrganiser(app.db, Number(claims.sub));
    if (!organiser || organiser.disabled_at) throw unauthorized('このアカウントは利用できません');
    request.organiser = organiser;
  });

  app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
    await app.requireOrganiser(request, reply);
    if (request.organiser?.role !== 'admin') throw forbidden('この操作は管理者のみ行えます');
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db'] });
