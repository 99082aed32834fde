// SQL for publications (結果公表の版): the results as published, one row per edition.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Publication } from '../db/schema.js';

/** The edition respondents see: the newest one that has not been withdrawn. */
export async function findCurrentPublication(db: Db, surveyId: number): Promise<Publication | undefined> {
  return db.selectFrom('publications').selectAll().where('survey_id', '=', surveyId).where('withdrawn_at', 'is', null).orderBy('edition', 'desc').limit(1).executeTakeFirst();
}

export async function insertPublication(db: Db, v: { surveyId: number; publishedAt: Date; publishedBy: string; data: unknown }): Promise<Publication> {
  return db
    .insertInto('publications')
    .values({
      survey_id: v.surveyId,
      edition: sql<number>`(select coalesce(max(edition), 0) + 1 from publications where survey_id = ${v.surveyId})`,
      published_at: v.publishedAt,
      published_by: v.publishedBy,
      data: JSON.stringify(v.data),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function withdrawPublications(db: Db, surveyId: number, now: Date): Promise<void> {
  await db.updateTable('publications').set({ withdrawn_at: now }).where('survey_id', '=', surveyId).where('withdrawn_at', 'is', null).execute();
}
