// SQL the organiser console needs beyond repositories/surveys.ts: measure edits and answer counts.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Measure } from '../db/schema.js';

export async function findMeasure(db: Db, surveyId: number, code: string): Promise<Measure | undefined> {
  return db.selectFrom('measures').selectAll().where('survey_id', '=', surveyId).where('code', '=', code).executeTakeFirst();
}

export async function updateMeasure(db: Db, id: number, values: { label?: string; category?: string; position?: number; retired?: boolean }): Promise<Measure> {
  return db
    .updateTable('measures')
    .set({
      ...(values.label !== undefined ? { label: values.label } : {}),
      ...(values.category !== undefined ? { category: values.category } : {}),
      ...(values.position !== undefined ? { position: values.position } : {}),
      ...(values.retired !== undefined ? { retired_at: values.retired ? sql<Date>`now()` : null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertMeasure(db: Db, surveyId: number, m: { code: string; category: string; label: string; position: number }): Promise<Measure> {
  return db.insertInto('measures').values({ survey_id: surveyId, ...m }).returningAll().executeTakeFirstOrThrow();
}

/** How many stored answers each measure of a survey has (codes of measures with answers never change). */
export async function answerCounts(db: Db, surveyId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('response_answers')
    .innerJoin('measures', 'measures.id', 'response_answers.measure_id')
    .select(['measures.id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('measures.survey_id', '=', surveyId)
    .groupBy('measures.id')
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
