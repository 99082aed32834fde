// SQL for the mail log / outbox.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { MailKind, MailMessage, MailStatus } from '../db/schema.js';

export async function insertMail(
  db: Db,
  values: { kind: MailKind; surveyId?: number | null; cityCode?: string | null; invitationId?: number | null; to: string; subject: string; body: string; status: MailStatus },
): Promise<MailMessage> {
  return db
    .insertInto('mail_messages')
    .values({
      kind: values.kind,
      survey_id: values.surveyId ?? null,
      city_code: values.cityCode ?? null,
      invitation_id: values.invitationId ?? null,
      to_address: values.to,
      subject: values.subject,
      body: values.body,
      status: values.status,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Claims the next message due for sending, or undefined: one statement, so two instances never claim the same one
 * (FOR UPDATE SKIP LOCKED); the lease lets another instance take over a message whose sender died.
 */
export async function claimNextMail(db: Db, now: Date, leaseMs: number): Promise<MailMessage | undefined> {
  const result = await sql<MailMessage>`
    update mail_messages set locked_until = ${new Date(now.getTime() + leaseMs)}
    where id = (
      select id from mail_messages
      where status = 'queued' and next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
      order by next_attempt_at, id
      for update skip locked
      limit 1
    )
    returning *`.execute(db);
  return result.rows[0];
}

/** After a failed attempt: queued again for `nextAt`, or failed for good when `nextAt` is null. */
export async function recordFailedAttempt(db: Db, id: number, error: string, nextAt: Date | null): Promise<void> {
  await db
    .updateTable('mail_messages')
    .set({ status: nextAt ? 'queued' : 'failed', last_error: error, attempts: sql`attempts + 1`, locked_until: null, ...(nextAt ? { next_attempt_at: nextAt } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Puts a message (failed, or waiting in the 送信トレイ) back in the queue, due now. */
export async function requeueMail(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('mail_messages').set({ status: 'queued', next_attempt_at: now, locked_until: null, attempts: 0 }).where('id', '=', id).execute();
}

export async function markMail(db: Db, id: number, result: { status: MailStatus; error?: string | null; messageId?: string | null; sentAt?: Date }): Promise<void> {
  await db
    .updateTable('mail_messages')
    .set({
      status: result.status,
      last_error: result.error ?? null,
      message_id: result.messageId ?? null,
      attempts: sql`attempts + 1`,
      locked_until: null,
      sent_at: result.status === 'sent' ? (result.sentAt ?? null) : null,
    })
    .where('id', '=', id)
    .execute();
}

export async function findMail(db: Db, id: number): Promise<MailMessage | undefined> {
  return db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMail(db: Db, filter: { surveyId?: number; status?: MailStatus; kind?: MailKind } = {}): Promise<MailMessage[]> {
  let q = db.selectFrom('mail_messages').selectAll().orderBy('id', 'desc');
  if (filter.surveyId !== undefined) q = q.where('survey_id', '=', filter.surveyId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  return q.execute();
}

/** How many mails of a kind went to a survey's city since a time (the receipt limit). */
export async function countRecentMail(db: Db, f: { surveyId: number; cityCode: string; kind: MailKind; since: Date }): Promise<number> {
  const row = await db
    .selectFrom('mail_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', f.surveyId)
    .where('city_code', '=', f.cityCode)
    .where('kind', '=', f.kind)
    .where('created_at', '>=', f.since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks 送信トレイ messages as sent by staff from their own client; returns the ids marked (only outbox ones). */
/** Marks 送信トレイ mails as sent by a person; returns those marked, with the link each carried. */
export async function markOutboxSent(
  db: Db,
  surveyId: number,
  ids: number[] | 'all',
  by: string,
  now: Date,
): Promise<Array<Pick<MailMessage, 'id' | 'kind' | 'invitation_id'>>> {
  let q = db.updateTable('mail_messages').set({ status: 'sent', sent_at: now, marked_sent_by: by }).where('survey_id', '=', surveyId).where('status', '=', 'outbox');
  if (ids !== 'all') q = q.where('id', 'in', ids.length > 0 ? ids : [-1]);
  return q.returning(['id', 'kind', 'invitation_id']).execute();
}

/** Drops the messages to a city of a survey that have not gone out (queued or in the 送信トレイ); returns how many. */
export async function cancelUnsentMail(db: Db, surveyId: number, cityCode: string): Promise<number> {
  const rows = await db
    .deleteFrom('mail_messages')
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', cityCode)
    .where('status', 'in', ['queued', 'outbox'])
    .returning('id')
    .execute();
  return rows.length;
}
