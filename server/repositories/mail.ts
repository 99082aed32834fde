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

export async function markMail(db: Db, id: number, result: { status: MailStatus; error?: string | null; messageId?: string | null }): Promise<void> {
  await db
    .updateTable('mail_messages')
    .set({
      status: result.status,
      last_error: result.error ?? null,
      message_id: result.messageId ?? null,
      attempts: sql`attempts + 1`,
      sent_at: result.status === 'sent' ? sql`now()` : null,
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
