// Invitations (依頼): a personal link per city. Issuing (POST …/invitations, 再発行) revokes the city's earlier
// link; everything else (reminders, the results mail) re-sends the city's current link, derived again from
// its stored nonce (domain/invitation-tokens.ts). Opening a link with GET changes nothing (mail scanners fetch
// every link); the button on that page (POST) starts the session and records the opening.
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { Invitation, Survey } from '../db/schema.js';
import { badRequest, notFound } from '../domain/errors.js';
import { deriveInvitationToken, hashInvitationToken, invitationUrl, LINK_PLACEHOLDER, newTokenNonce, TOKEN_PATTERN } from '../domain/invitation-tokens.js';
import { japanDayEnd } from '../domain/japan-time.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findInvitationByHash, findInvitations, insertInvitations, listActiveInvitations, markOpened, revokeActiveInvitations } from '../repositories/invitations.js';
import { findSurvey, listParticipants } from '../repositories/surveys.js';

export { hashInvitationToken, invitationUrl } from '../domain/invitation-tokens.js';

export interface IssuedInvitation {
  cityCode: string;
  cityName: string;
  email: string | null;
  invitationId: number;
  token: string;
  url: string;
}

export interface LinkDeps {
  /** domain/invitation-tokens.ts linkKey(JWT_SECRET) */
  linkKey: Buffer;
  publicUrl: string;
}

export interface IssueOptions extends LinkDeps {
  surveyId: number;
  /** absent: every participant without an active invitation */
  cityCodes?: string[];
  /** recorded in the audit log: the links are about to be mailed (by services/mailings.ts) */
  send?: boolean;
  actor: Actor;
  now: Date;
}

async function participantsOf(db: Db, surveyId: number, cityCodes: string[] | undefined) {
  const survey = await findSurvey(db, surveyId);
  if (!survey) throw notFound('調査');
  const participants = new Map((await listParticipants(db, survey.id)).map((p) => [p.city_code, p]));
  const strangers = (cityCodes ?? []).map((code, i) => ({ code, i })).filter(({ code }) => !participants.has(code));
  if (strangers.length > 0) {
    throw badRequest(
      `この調査の照会先団体ではない団体コードがあります: ${strangers.map((s) => s.code).join('、')}`,
      strangers.map(({ code, i }) => ({ path: `/cityCodes/${i}`, message: `団体コード「${code}」はこの調査の照会先団体ではありません（先に照会先団体に追加してください）` })),
    );
  }
  return { survey, participants };
}

/** New links for the cities (revoking each one's earlier link): two statements whatever the number of cities. */
async function issueMany(db: Db, deps: LinkDeps, surveyId: number, cities: ReadonlyArray<{ city_code: string; name: string; email: string | null }>, now: Date): Promise<IssuedInvitation[]> {
  await revokeActiveInvitations(db, surveyId, cities.map((c) => c.city_code), now);
  const fresh = cities.map((city) => {
    const nonce = newTokenNonce();
    return { city, nonce, token: deriveInvitationToken(deps.linkKey, nonce) };
  });
  const rows = await insertInvitations(db, fresh.map((f) => ({ surveyId, cityCode: f.city.city_code, tokenHash: hashInvitationToken(f.token), nonce: f.nonce, now })));
  return fresh.map(({ city, token }, i) => ({ cityCode: city.city_code, cityName: city.name, email: city.email, invitationId: rows[i].id, token, url: invitationUrl(deps.publicUrl, token) }));
}

/** Issues new links (revoking each city's earlier one) for the cities named, or for every participant without an active link. */
export async function issueInvitations(db: Db, opts: IssueOptions): Promise<IssuedInvitation[]> {
  return inTransaction(db, async (trx) => {
    const { survey, participants } = await participantsOf(trx, opts.surveyId, opts.cityCodes);
    const active = await listActiveInvitations(trx, survey.id);
    const codes = opts.cityCodes ? [...new Set(opts.cityCodes)] : [...participants.keys()].filter((c) => !active.has(c));
    const issued = await issueMany(trx, opts, survey.id, codes.map((code) => participants.get(code)!), opts.now);
    if (issued.length > 0) {
      await recordAudit(trx, { actor: opts.actor, action: 'issue-invitations', entity: 'survey', entityId: survey.id, surveyId: survey.id, after: { cityCodes: codes, send: opts.send === true } });
    }
    return issued;
  });
}

/** The token of an active invitation, derived again; undefined when it cannot be (a link from before nonces, or a changed secret). */
export function currentToken(deps: LinkDeps, invitation: Pick<Invitation, 'token_nonce' | 'token_hash'>): string | undefined {
  if (!invitation.token_nonce) return undefined;
  const token = deriveInvitationToken(deps.linkKey, invitation.token_nonce);
  return hashInvitationToken(token) === invitation.token_hash ? token : undefined;
}

/**
 * Each named city's current personal link, the same one its invitation carried. A city with no link yet gets its
 * first one; only a link that can no longer be derived (issued before links were re-sendable, or after the server
 * secret changed) is issued anew.
 */
export async function currentLinks(db: Db, opts: LinkDeps & { surveyId: number; cityCodes: string[]; now: Date; actor: Actor }): Promise<IssuedInvitation[]> {
  return inTransaction(db, async (trx) => {
    const { survey, participants } = await participantsOf(trx, opts.surveyId, opts.cityCodes);
    const active = await listActiveInvitations(trx, survey.id);
    const codes = [...new Set(opts.cityCodes)];
    const tokens = new Map(codes.map((code) => [code, active.has(code) ? currentToken(opts, active.get(code)!) : undefined]));
    const renewed = codes.filter((code) => tokens.get(code) === undefined);
    const fresh = new Map((await issueMany(trx, opts, survey.id, renewed.map((code) => participants.get(code)!), opts.now)).map((l) => [l.cityCode, l]));
    const links = codes.map((code): IssuedInvitation => {
      const token = tokens.get(code);
      if (token === undefined) return fresh.get(code)!;
      const city = participants.get(code)!;
      return { cityCode: code, cityName: city.name, email: city.email, invitationId: active.get(code)!.id, token, url: invitationUrl(opts.publicUrl, token) };
    });
    if (renewed.length > 0) {
      await recordAudit(trx, { actor: opts.actor, action: 'issue-invitations', entity: 'survey', entityId: survey.id, surveyId: survey.id, after: { cityCodes: renewed, reason: 'no-current-link' } });
    }
    return links;
  });
}

export type OpenedInvitation =
  | { state: 'ok'; invitation: Invitation; survey: Survey }
  | { state: 'unknown' }
  | { state: 'revoked'; survey?: Survey };

/** Checks a personal link's token; `record` (the POST of the link's page) records the first opening. */
export async function openInvitation(db: Db, token: string, opts: { record: boolean; now: Date }): Promise<OpenedInvitation> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'unknown' };
  const invitation = await findInvitationByHash(db, hashInvitationToken(token));
  if (!invitation) return { state: 'unknown' };
  const survey = await findSurvey(db, invitation.survey_id);
  if (!survey) return { state: 'unknown' };
  if (invitation.revoked_at) return { state: 'revoked', survey };
  if (opts.record) await markOpened(db, invitation.id, opts.now);
  return { state: 'ok', invitation, survey };
}

/** When a respondent session ends: 14 days after the deadline (end of day, JST), and never sooner than a day from now. */
export function sessionExpiry(deadline: string, now: Date): Date {
  const afterDeadline = new Date(japanDayEnd(deadline).getTime() + 14 * 24 * 3600 * 1000);
  const minimum = new Date(now.getTime() + 24 * 3600 * 1000);
  return afterDeadline > minimum ? afterDeadline : minimum;
}

/**
 * A stored mail body with its personal link put back (LINK_PLACEHOLDER → the city's current URL). Bodies are stored
 * without usable tokens; undefined when the link the mail was written for has since been revoked or cannot be derived.
 */
export async function renderMailBody(db: Db, deps: LinkDeps, mail: MailBody): Promise<string | undefined> {
  return (await renderMailBodies(db, deps, [mail]))[0];
}

type MailBody = { body: string; invitation_id: number | null };

/** renderMailBody for many mails at once (the 送信トレイ zip): one query for all their links. */
export async function renderMailBodies(db: Db, deps: LinkDeps, mails: readonly MailBody[]): Promise<Array<string | undefined>> {
  const needsLink = (m: MailBody) => m.invitation_id !== null && m.body.includes(LINK_PLACEHOLDER);
  const ids = [...new Set(mails.filter(needsLink).map((m) => m.invitation_id!))];
  const invitations = new Map((await findInvitations(db, ids)).map((i) => [i.id, i]));
  return mails.map((mail) => {
    if (!needsLink(mail)) return mail.body;
    const invitation = invitations.get(mail.invitation_id!);
    const token = invitation && !invitation.revoked_at ? currentToken(deps, invitation) : undefined;
    return token ? mail.body.split(LINK_PLACEHOLDER).join(invitationUrl(deps.publicUrl, token)) : undefined;
  });
}
