// Respondent authentication: the raw invitation token as a Bearer header (API), or the respondent session
// cookie set when the personal link /r/<token> is opened (a signed HS256 JWT scoped to survey + city).
// Either way the invitation must still be active: issuing a new link ends the old link's sessions too.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../domain/errors.js';
import type { Actor } from '../repositories/audit.js';
import { findInvitation, findInvitationByHash } from '../repositories/invitations.js';
import { hashInvitationToken } from '../services/invitations.js';
import { bearerToken } from './auth.js';

export const RESPONDENT_COOKIE = 'respondent_session';

export interface Respondent {
  surveyId: number;
  cityCode: string;
  invitationId: number;
  /** how the request authenticated: cookie-authenticated writes also need a CSRF token */
  via: 'bearer' | 'cookie';
}

interface RespondentClaims {
  kind: 'respondent';
  sid: number;
  city: string;
  inv: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid invitation token (Bearer) or respondent session cookie, else 401; sets request.respondent. */
    requireRespondent: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler (after requireRespondent): checks the CSRF token when the request came with the cookie. */
    respondentCsrf: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;
    /** The respondent of this request, or undefined (pages use this to show a friendly page instead of JSON). */
    findRespondent: (request: FastifyRequest, opts?: { cookieOnly?: boolean }) => Promise<Respondent | undefined>;
    /**
     * The session cookie's claims (signature and expiry checked) without a database query: a page that reads the
     * invitation in its own query (repositories/respondent-page.ts) must check it is still active there.
     */
    respondentSession: (request: FastifyRequest) => { surveyId: number; cityCode: string; invitationId: number } | undefined;
    /** A session JWT for the invitation, valid until `expiresAt`. */
    signRespondentSession: (r: { surveyId: number; cityCode: string; invitationId: number }, expiresAt: Date) => string;
  }
  interface FastifyRequest {
    respondent?: Respondent;
  }
}

export function respondentActor(request: FastifyRequest): Actor {
  return { type: 'respondent', id: request.respondent?.cityCode ?? 'unknown' };
}

async function respondentAuthPlugin(app: FastifyInstance) {
  app.decorate('signRespondentSession', (r: { surveyId: number; cityCode: string; invitationId: number }, expiresAt: Date) => {
    const claims: RespondentClaims = { kind: 'respondent', sid: r.surveyId, city: r.cityCode, inv: r.invitationId };
    const seconds = Math.max(60, Math.floor((expiresAt.getTime() - app.clock().getTime()) / 1000));
    return app.jwt.sign(claims, { expiresIn: `${seconds}s` });
  });

  async function fromBearer(token: string): Promise<Respondent | undefined> {
    const invitation = await findInvitationByHash(app.db, hashInvitationToken(token));
    if (!invitation || invitation.revoked_at) return undefined;
    return { surveyId: invitation.survey_id, cityCode: invitation.city_code, invitationId: invitation.id, via: 'bearer' };
  }

  function verifiedClaims(token: string): RespondentClaims | undefined {
    let claims: RespondentClaims;
    try {
      claims = app.jwt.verify<RespondentClaims>(token);
    } catch {
      return undefined;
    }
    return claims.kind === 'respondent' ? claims : undefined;
  }

  app.decorate('respondentSession', (request: FastifyRequest) => {
    const cookie = request.cookies[RESPONDENT_COOKIE];
    const claims = cookie ? verifiedClaims(cookie) : undefined;
    return claims && { surveyId: claims.sid, cityCode: claims.city, invitationId: claims.inv };
  });

  async function fromCookie(token: string): Promise<Respondent | undefined> {
    const claims = verifiedClaims(token);
    if (!claims) return undefined;
    const invitation = await findInvitation(app.db, claims.inv);
    if (!invitation || invitation.revoked_at || invitation.survey_id !== claims.sid || invitation.city_code !== claims.city) return undefined;
    return { surveyId: invitation.survey_id, cityCode: invitation.city_code, invitationId: invitation.id, via: 'cookie' };
  }

  app.decorate('findRespondent', async (request: FastifyRequest, opts: { cookieOnly?: boolean } = {}) => {
    const bearer = opts.cookieOnly ? undefined : bearerToken(request);
    if (bearer) return fromBearer(bearer);
    const cookie = request.cookies[RESPONDENT_COOKIE];
    return cookie ? fromCookie(cookie) : undefined;
  });

  app.decorate('requireRespondent', async (request: FastifyRequest) => {
    const hasCredentials = Boolean(bearerToken(request) ?? request.cookies[RESPONDENT_COOKIE]);
    const respondent = await app.findRespondent(request);
    if (!respondent) {
      throw unauthorized(
        hasCredentials
          ? '依頼のリンク（トークン）が無効です。新しいリンクが発行されている場合は、そちらをお使いください'
          : '回答するには、依頼メールに記載の個人用リンク（Authorization: Bearer <依頼トークン>）が必要です',
      );
    }
    request.respondent = respondent;
  });

  app.decorate('respondentCsrf', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (request.respondent?.via === 'cookie') return app.csrfProtection(request, reply, done);
    done();
  });
}

export default fp(respondentAuthPlugin, { name: 'respondent-auth', dependencies: ['auth', 'db', 'csrf'] });
