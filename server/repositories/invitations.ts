// SQL for invitations (依頼): personal links, looked up by the sha256 hash of their token (never stored).
import type { Db } from '../db/database.js';
import type { Invitation } from '../db/schema.js';

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findInvitation(db: Db, id: number): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes every active invitation of the city for the survey; returns how many. */
export async function revokeActiveInvitations(db: Db, surveyId: number, cityCode: string, now: Date): Promise<number> {
  const rows = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', cityCode)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export async function insertInvitation(db: Db, v: { surveyId: number; cityCode: string; tokenHash: string; nonce: string; now: Date }): Promise<Invitation> {
  return db
    .insertInto('invitations')
    .values({ survey_id: v.surveyId, city_code: v.cityCode, token_hash: v.tokenHash, token_nonce: v.nonce, issued_at: v.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The active invitation of every participant that has one, by city code. */
export async function listActiveInvitations(db: Db, surveyId: number): Promise<Map<string, Invitation>> {
  const rows = await db.selectFrom('invitations').selectAll().where('survey_id', '=', surveyId).where('revoked_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.city_code, r]));
}

/** Records the first opening only (later openings keep the first time). */
export async function markOpened(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ opened_at: now }).where('id', '=', id).where('opened_at', 'is', null).execute();
}

export async function markSent(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ sent_at: now }).where('id', '=', id).execute();
}
