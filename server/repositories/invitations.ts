// SQL for invitations (依頼): personal links, stored only as the sha256 hash of their token.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Invitation } from '../db/schema.js';

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findInvitation(db: Db, id: number): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes every active invitation of the city for the survey; returns how many. */
export async function revokeActiveInvitations(db: Db, surveyId: number, cityCode: string): Promise<number> {
  const rows = await db
    .updateTable('invitations')
    .set({ revoked_at: sql`now()` })
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', cityCode)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export async function insertInvitation(db: Db, surveyId: number, cityCode: string, tokenHash: string): Promise<Invitation> {
  return db.insertInto('invitations').values({ survey_id: surveyId, city_code: cityCode, token_hash: tokenHash }).returningAll().executeTakeFirstOrThrow();
}

/** Participants of a survey with no active invitation. */
export async function participantsWithoutInvitation(db: Db, surveyId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('participants')
    .select('participants.city_code')
    .where('participants.survey_id', '=', surveyId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('invitations')
            .select('invitations.id')
            .whereRef('invitations.survey_id', '=', 'participants.survey_id')
            .whereRef('invitations.city_code', '=', 'participants.city_code')
            .where('invitations.revoked_at', 'is', null),
        ),
      ),
    )
    .orderBy('participants.city_code')
    .execute();
  return rows.map((r) => r.city_code);
}

/** Records the first opening only (later openings keep the first time). */
export async function markOpened(db: Db, id: number): Promise<void> {
  await db.updateTable('invitations').set({ opened_at: sql`now()` }).where('id', '=', id).where('opened_at', 'is', null).execute();
}

export async function markSent(db: Db, id: number): Promise<void> {
  await db.updateTable('invitations').set({ sent_at: sql`now()` }).where('id', '=', id).execute();
}
