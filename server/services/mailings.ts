// Invitation and reminder mail, from the console and the API (send: true) alike: per-survey texts (or the
// defaults in templates/mail/), issuing links through the invitations service, sending through app.mailer,
// retries, and the outbox export.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { type Db, inTransaction } from '../db/database.js';
import type { MailMessage, Survey } from '../db/schema.js';
import { checkMailText, type MailContext, type MailText, type MailTextKind, renderMailText, splitTemplateSource } from '../mail/mail-texts.js';
import { formatDeadline } from '../domain/deadlines.js';
import { notFound } from '../domain/errors.js';
import type { Mailer } from '../plugins/mail.js';
import { MAIL_TEMPLATES_DIR } from '../paths.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCity } from '../repositories/cities.js';
import { listActiveInvitations, markSent } from '../repositories/invitations.js';

const listActiveInvitationCodes = async (db: Db, surveyId: number) => [...(await listActiveInvitations(db, surveyId)).keys()];
import { findMail, markOutboxSent } from '../repositories/mail.js';
import { listResponseStatuses } from '../repositories/responses.js';
import { updateSurvey } from '../repositories/surveys.js';
import { LINK_PLACEHOLDER } from '../domain/invitation-tokens.js';
import { currentLinks, type IssuedInvitation, issueInvitations, type LinkDeps, renderMailBodies, renderMailBody } from './invitations.js';
import { getSurveyOr404 } from './surveys.js';

export function defaultMailText(kind: MailTextKind): MailText {
  return splitTemplateSource(readFileSync(path.join(MAIL_TEMPLATES_DIR, `${kind}.hbs`), 'utf8'));
}

export function surveyMailText(survey: Survey, kind: MailTextKind): MailText & { custom: boolean } {
  const subject = kind === 'invitation' ? survey.invitation_subject : survey.reminder_subject;
  const body = kind === 'invitation' ? survey.invitation_body : survey.reminder_body;
  if (subject !== null && body !== null) return { subject, body, custom: true };
  return { ...defaultMailText(kind), custom: false };
}

/** Saves the survey's texts for one kind of mail; `reset` goes back to the default. */
export async function saveMailText(db: Db, surveyId: number, kind: MailTextKind, text: MailText | 'reset', actor: Actor): Promise<void> {
  if (text !== 'reset') checkMailText(text);
  await inTransaction(db, async (trx) => {
    const before = await getSurveyOr404(trx, surveyId);
    const value = text === 'reset' ? { subject: null, body: null } : text;
    await updateSurvey(trx, surveyId, kind === 'invitation' ? { invitation_subject: value.subject, invitation_body: value.body } : { reminder_subject: value.subject, reminder_body: value.body });
    await recordAudit(trx, { actor, action: `mail-text:${kind}`, entity: 'survey', entityId: surveyId, surveyId, before: surveyMailText(before, kind), after: value });
  });
}

export interface MailOutcome {
  cityCode: string;
  cityName: string;
  to: string | null;
  status: 'queued' | 'sent' | 'outbox' | 'failed' | 'no_address';
  error?: string;
}

export interface SendDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  actor: Actor;
  links: LinkDeps;
  now: Date;
}

async function contextFor(db: Db, survey: Survey, publicUrl: string, actor: Actor) {
  const host = await findCity(db, survey.host_city_code);
  return (cityName: string, url: string): MailContext => ({
    cityName,
    hostCityName: host?.name ?? '',
    surveyTitle: survey.title,
    deadline: formatDeadline(survey),
    url,
    publicUrl,
    introText: survey.intro_text,
    contactDepartment: survey.contact_department ?? '',
    contactPhone: survey.contact_phone ?? '',
    // the survey's own address; else the sending account's, unless it is the generated local one
    contactEmail: survey.contact_email ?? (actor.type === 'organiser' && !actor.id.endsWith('@localhost') ? actor.id : ''),
  });
}

/** What each outcome means, for the API's `mail.message`. */
export const MAIL_OUTCOME_MESSAGES: Record<MailOutcome['status'], string> = {
  queued: '依頼メールを送信しています（数秒で送信されます。結果は送信記録に表示します）。',
  sent: '依頼メールを送信しました。',
  outbox: 'メール送信（SMTP）が設定されていないため、送信トレイに保存しました。',
  failed: '依頼メールの送信に失敗しました。送信待ちの一覧から再送してください。',
  no_address: '団体名簿にメールアドレスが登録されていないため、依頼メールを送信していません（リンクは発行済みです）。',
};

export type MailedInvitation = IssuedInvitation & { outcome: MailOutcome };

/**
 * Mails each city its personal link with the survey's text of that kind, one city at a time. The stored body holds
 * LINK_PLACEHOLDER, never the token: the mailer puts the link back when it sends (or the outbox when it exports).
 */
async function mailLinks(deps: SendDeps, survey: Survey, kind: MailTextKind, links: IssuedInvitation[]): Promise<MailedInvitation[]> {
  const text = surveyMailText(survey, kind);
  const context = await contextFor(deps.db, survey, deps.publicUrl, deps.actor);
  const mailed: MailedInvitation[] = [];
  for (const item of links) {
    if (!item.email) {
      mailed.push({ ...item, outcome: { cityCode: item.cityCode, cityName: item.cityName, to: null, status: 'no_address' } });
      continue;
    }
    const mail = renderMailText(text, context(item.cityName, LINK_PLACEHOLDER));
    const result = await deps.mailer.send({ kind, to: item.email, subject: mail.subject, text: mail.text, surveyId: survey.id, cityCode: item.cityCode, invitationId: item.invitationId });
    if (result.status === 'sent') await markSent(deps.db, item.invitationId, deps.now);
    mailed.push({ ...item, outcome: { cityCode: item.cityCode, cityName: item.cityName, to: item.email, status: result.status, error: result.error } });
  }
  return mailed;
}

/** Issues new links (再発行 for the cities named; else every participant without one) and mails them with the invitation text. */
export async function issueAndSendInvitations(deps: SendDeps, surveyId: number, cityCodes?: string[]): Promise<MailedInvitation[]> {
  const survey = await getSurveyOr404(deps.db, surveyId);
  const issued = await issueInvitations(deps.db, { ...deps.links, surveyId, cityCodes, send: true, actor: deps.actor, now: deps.now });
  return mailLinks(deps, survey, 'invitation', issued);
}

export async function sendInvitations(deps: SendDeps, surveyId: number, cityCodes?: string[]): Promise<MailOutcome[]> {
  return (await issueAndSendInvitations(deps, surveyId, cityCodes)).map((m) => m.outcome);
}

export interface ReminderRecipient {
  cityCode: string;
  name: string;
  email: string | null;
  /** has a draft (一時保存中) */
  draft: boolean;
}

/** Participants (the host city aside) that have not submitted: who a reminder goes to, in one query. */
export async function reminderRecipients(db: Db, survey: Survey): Promise<ReminderRecipient[]> {
  return (await listResponseStatuses(db, survey.id))
    .filter((r) => r.cityCode !== survey.host_city_code && r.status !== 'submitted')
    .map((r) => ({ cityCode: r.cityCode, name: r.cityName, email: r.email, draft: r.status === 'draft' }));
}

export async function reminderPreview(db: Db, survey: Survey, publicUrl: string, actor: Actor) {
  const recipients = await reminderRecipients(db, survey);
  const context = await contextFor(db, survey, publicUrl, actor);
  const sample = recipients[0]?.name ?? '（団体名）';
  return { recipients, preview: renderMailText(surveyMailText(survey, 'reminder'), context(sample, `${publicUrl}/r/（貴市専用のリンク。依頼メールと同じものです）`)) };
}

/**
 * Reminders for the cities named (default: every participant that has not submitted), each with its current personal
 * link — the same one its invitation carried (a reminder never revokes a link). `send` mails them.
 */
export async function remind(deps: SendDeps, surveyId: number, opts: { cityCodes?: string[]; send: boolean }): Promise<MailedInvitation[] | IssuedInvitation[]> {
  const survey = await getSurveyOr404(deps.db, surveyId);
  const codes = opts.cityCodes ?? (await reminderRecipients(deps.db, survey)).map((r) => r.cityCode);
  if (codes.length === 0) return [];
  const links = await currentLinks(deps.db, { ...deps.links, surveyId, cityCodes: codes, now: deps.now, actor: deps.actor });
  await recordAudit(deps.db, { actor: deps.actor, action: 'remind', entity: 'survey', entityId: surveyId, surveyId, after: { cityCodes: codes, send: opts.send } });
  return opts.send ? mailLinks(deps, survey, 'reminder', links) : links;
}

/** Sends a reminder, with its current personal link, to every participant that has not submitted. */
export async function sendReminders(deps: SendDeps, surveyId: number): Promise<MailOutcome[]> {
  return ((await remind(deps, surveyId, { send: true })) as MailedInvitation[]).map((m) => m.outcome);
}

/** Sends a recorded message again (a failure, or one from the outbox once SMTP is set). */
export async function retryMail(deps: SendDeps, surveyId: number, mailId: number) {
  const mail = await findMail(deps.db, mailId);
  if (!mail || mail.survey_id !== surveyId) throw notFound('メール');
  const result = await deps.mailer.resend(mailId);
  await recordAudit(deps.db, { actor: deps.actor, action: 'mail-retry', entity: 'mail', entityId: mailId, surveyId, after: { status: result.status, error: result.error ?? null } });
  return result;
}

/** The message as an RFC 5322 .eml file (UTF-8, encoded Japanese headers) for any mail client. */
export async function emlOf(db: Db, links: LinkDeps, mail: MailMessage, from: string): Promise<Buffer | undefined> {
  const text = await renderMailBody(db, links, mail);
  return text === undefined ? undefined : composeEml(mail, text, from);
}

function composeEml(mail: MailMessage, text: string, from: string): Promise<Buffer> {
  // X-Unsent: 1 makes Outlook and Thunderbird open the file as a draft, ready to send from the office's own client
  return new MailComposer({ from, to: mail.to_address, subject: mail.subject, text, date: mail.created_at, headers: { 'X-Unsent': '1' } }).compile().build();
}

export function emlFilename(mail: MailMessage): string {
  return `${String(mail.id).padStart(4, '0')}-${mail.city_code ?? 'mail'}-${mail.kind}.eml`;
}

/** The outbox as one zip of .eml files; mails whose personal link has since been revoked are left out. */
export async function outboxZip(db: Db, links: LinkDeps, mails: MailMessage[], from: string): Promise<Buffer> {
  const zip = new JSZip();
  const texts = await renderMailBodies(db, links, mails);
  for (const [i, m] of mails.entries()) {
    const text = texts[i];
    if (text !== undefined) zip.file(emlFilename(m), await composeEml(m, text, from));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface MergeRow {
  cityCode: string;
  cityName: string;
  to: string;
  subject: string;
  body: string;
}

/**
 * 差し込み印刷: one row per city (宛先, 件名, 本文) with its personal link written in, so that an office without SMTP sends
 * every personalised mail in one step from its own client (Word/Outlook mail merge). Invitations go to the cities
 * without a link yet (their first link is issued) or all; reminders to those that have not submitted. Nothing is
 * revoked: each city's current link is used.
 */
export async function mailMergeRows(deps: SendDeps, surveyId: number, kind: MailTextKind): Promise<MergeRow[]> {
  const survey = await getSurveyOr404(deps.db, surveyId);
  const statuses = await listResponseStatuses(deps.db, survey.id);
  const recipients = statuses.filter((r) => r.cityCode !== survey.host_city_code && r.email && (kind === 'invitation' || r.status !== 'submitted'));
  if (recipients.length === 0) return [];
  const links = await currentLinks(deps.db, { ...deps.links, surveyId, cityCodes: recipients.map((r) => r.cityCode), now: deps.now, actor: deps.actor });
  const text = surveyMailText(survey, kind);
  const context = await contextFor(deps.db, survey, deps.publicUrl, deps.actor);
  const rows = links.map((l) => {
    const mail = renderMailText(text, context(l.cityName, l.url));
    return { cityCode: l.cityCode, cityName: l.cityName, to: l.email ?? '', subject: mail.subject, body: mail.text };
  });
  await recordAudit(deps.db, { actor: deps.actor, action: `mail-merge:${kind}`, entity: 'survey', entityId: surveyId, surveyId, after: { cityCodes: rows.map((r) => r.cityCode) } });
  return rows;
}

/** Before invitations go out: who gets one (with or without an address) and one real mail as it will read. */
export async function invitationPreview(db: Db, survey: Survey, cityCodes: string[] | undefined, publicUrl: string, actor: Actor) {
  const statuses = await listResponseStatuses(db, survey.id);
  const withLink = new Set((await listActiveInvitationCodes(db, survey.id)));
  const recipients = statuses
    .filter((r) => (cityCodes ? cityCodes.includes(r.cityCode) : !withLink.has(r.cityCode)))
    .map((r) => ({ cityCode: r.cityCode, name: r.cityName, email: r.email }));
  const context = await contextFor(db, survey, publicUrl, actor);
  const sample = recipients.find((r) => r.email) ?? recipients[0];
  return { recipients, preview: sample ? renderMailText(surveyMailText(survey, 'invitation'), context(sample.name, `${publicUrl}/r/（送信時に入る貴市専用のリンク）`)) : undefined };
}

/**
 * 「送信済みにする」: staff sent these 送信トレイ mails from their own client (one, or every one the zip held). The city's
 * tracking then shows 送信済, and the next zip leaves them out. Invitation and reminder mails mark their link as sent.
 */
export async function markMailsSent(deps: SendDeps, surveyId: number, ids: number[] | 'all'): Promise<number> {
  return inTransaction(deps.db, async (trx) => {
    const marked = await markOutboxSent(trx, surveyId, ids, deps.actor.id, deps.now);
    const links = marked.flatMap((m) => (m.invitation_id !== null && (m.kind === 'invitation' || m.kind === 'reminder') ? [m.invitation_id] : []));
    await markSent(trx, links, deps.now);
    if (marked.length > 0) await recordAudit(trx, { actor: deps.actor, action: 'mail-marked-sent', entity: 'survey', entityId: surveyId, surveyId, after: { mailIds: marked.map((m) => m.id) } });
    return marked.length;
  });
}
