// SQL for invitations (依頼): personal links, looked up by the sha256 hash of their token (never stored).
import type { Db } from '../db/database.js';
import type { Invitation } from '../db/schema.js';

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findInvitation(db: Db, id: number): Promise<Invitation | undefined> {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInvitations(db: Db, ids: readonly number[]): Promise<Invitation[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('invitations').selectAll().where('id', 'in', [...ids]).execute();
}

/** Revokes every active invitation of the city for the survey; returns how many. */
/** Revokes every active invitation of the cities (one or many) for the survey; returns how many. */
export async function revokeActiveInvitations(db: Db, surveyId: number, cityCode: string | readonly string[], now: Date): Promise<number> {
  const codes = typeof cityCode === 'string' ? [cityCode] : [...cityCode];
  if (codes.length === 0) return 0;
  const rows = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('survey_id', '=', surveyId)
    .where('city_code', 'in', codes)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export interface NewInvitation {
  surveyId: number;
  cityCode: string;
  tokenHash: string;
  nonce: string;
  now: Date;
}

/** Inserts the invitations in one statement; returns them in the order given. */
export async function insertInvitations(db: Db, values: readonly NewInvitation[]): Promise<Invitation[]> {
  if (values.length === 0) return [];
  const rows = await db
    .insertInto('invitations')
    .values(values.map((v) => ({ survey_id: v.surveyId, city_code: v.cityCode, token_hash: v.tokenHash, token_nonce: v.nonce, issued_at: v.now })))
    .returningAll()
    .execute();
  const byHash = new Map(rows.map((r) => [r.token_hash, r]));
  return values.map((v) => byHash.get(v.tokenHash)!);
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

export async function markSent(db: Db, id: number | readonly number[], now: Date): Promise<void> {
  const ids = typeof id === 'number' ? [id] : [...id];
  if (ids.length === 0) return;
  await db.updateTable('invitations').set({ sent_at: now }).where('id', 'in', ids).execute();
}
