// Invitations (依頼): issue a personal link per city (≥128-bit token, only its sha256 hash stored; a new link
// revokes the old one) and open it (/r/<token>) recording the first opening. Mailing the links, with the
// survey's own texts, is services/mailings.ts (one path for the console and the API's send: true).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Invitation, Survey } from '../db/schema.js';
import { badRequest, notFound } from '../domain/errors.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCity } from '../repositories/cities.js';
import { findInvitationByHash, insertInvitation, markOpened, participantsWithoutInvitation, revokeActiveInvitations } from '../repositories/invitations.js';
import { findSurvey, listParticipants } from '../repositories/surveys.js';

/** 32 random bytes = 256 bits, URL-safe. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function invitationUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/r/${token}`;
}

export interface IssuedInvitation {
  cityCode: string;
  cityName: string;
  email: string | null;
  invitationId: number;
  token: string;
  url: string;
}

export interface IssueOptions {
  surveyId: number;
  /** absent: every participant without an active invitation */
  cityCodes?: string[];
  /** recorded in the audit log: the links are about to be mailed (by services/mailings.ts) */
  send?: boolean;
  actor: Actor;
  publicUrl: string;
}

/** Issues invitations in one transaction (mail, if any, goes out after the commit: see services/mailings.ts). */
export async function issueInvitations(db: Db, opts: IssueOptions): Promise<IssuedInvitation[]> {
  return db.transaction().execute(async (trx) => {
    const survey = await findSurvey(trx, opts.surveyId);
    if (!survey) throw notFound('調査');
    const participants = new Map((await listParticipants(trx, survey.id)).map((p) => [p.city_code, p]));
    const codes = opts.cityCodes ? [...new Set(opts.cityCodes)] : await participantsWithoutInvitation(trx, survey.id);
    const strangers = (opts.cityCodes ?? []).map((code, i) => ({ code, i })).filter(({ code }) => !participants.has(code));
    if (strangers.length > 0) {
      throw badRequest(
        `この調査の照会先団体ではない団体コードがあります: ${strangers.map((s) => s.code).join('、')}`,
        strangers.map(({ code, i }) => ({ path: `/cityCodes/${i}`, message: `団体コード「${code}」はこの調査の照会先団体ではありません（先に照会先団体に追加してください）` })),
      );
    }
    const issued: IssuedInvitation[] = [];
    for (const code of codes) {
      await revokeActiveInvitations(trx, survey.id, code);
      const token = newInvitationToken();
      const invitation = await insertInvitation(trx, survey.id, code, hashInvitationToken(token));
      const city = await findCity(trx, code);
      issued.push({ cityCode: code, cityName: city?.name ?? code, email: city?.email ?? null, invitationId: invitation.id, token, url: invitationUrl(opts.publicUrl, token) });
    }
    if (issued.length > 0) {
      await recordAudit(trx, { actor: opts.actor, action: 'issue-invitations', entity: 'survey', entityId: survey.id, surveyId: survey.id, after: { cityCodes: codes, send: opts.send === true } });
    }
    return issued;
  });
}

export type OpenedInvitation =
  | { state: 'ok'; invitation: Invitation; survey: Survey }
  | { state: 'unknown' }
  | { state: 'revoked'; survey?: Survey };

/** Checks a personal link's token and records its first opening. */
export async function openInvitation(db: Db, token: string): Promise<OpenedInvitation> {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return { state: 'unknown' };
  const invitation = await findInvitationByHash(db, hashInvitationToken(token));
  if (!invitation) return { state: 'unknown' };
  const survey = await findSurvey(db, invitation.survey_id);
  if (!survey) return { state: 'unknown' };
  if (invitation.revoked_at) return { state: 'revoked', survey };
  await markOpened(db, invitation.id);
  return { state: 'ok', invitation, survey };
}

/** When a respondent session ends: 14 days after the deadline (end of day, JST), and never sooner than a day from now. */
export function sessionExpiry(deadline: string, now: Date): Date {
  const endOfDeadline = new Date(`${deadline}T23:59:59+09:00`);
  const afterDeadline = new Date(endOfDeadline.getTime() + 14 * 24 * 3600 * 1000);
  const minimum = new Date(now.getTime() + 24 * 3600 * 1000);
  return afterDeadline > minimum ? afterDeadline : minimum;
}
