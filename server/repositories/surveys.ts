// SQL for surveys, their measures and their participants.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Measure, NewSurvey, Participant, Survey, SurveyUpdate } from '../db/schema.js';
import type { MeasureTemplate } from '../domain/templates/chukakushi-2018.js';

export async function findSurvey(db: Db, id: number): Promise<Survey | undefined> {
  return db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSurveys(db: Db): Promise<Survey[]> {
  return db.selectFrom('surveys').selectAll().orderBy('id', 'desc').execute();
}

export async function insertSurvey(db: Db, values: NewSurvey): Promise<Survey> {
  return db.insertInto('surveys').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateSurvey(db: Db, id: number, values: SurveyUpdate): Promise<Survey> {
  return db
    .updateTable('surveys')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Measures of a survey in form order; retired ones only when asked. */
export async function listMeasures(db: Db, surveyId: number, opts: { includeRetired?: boolean } = {}): Promise<Measure[]> {
  let q = db.selectFrom('measures').selectAll().where('survey_id', '=', surveyId);
  if (!opts.includeRetired) q = q.where('retired_at', 'is', null);
  return q.orderBy('position').orderBy('id').execute();
}

export async function insertMeasures(db: Db, surveyId: number, measures: readonly MeasureTemplate[]): Promise<void> {
  if (measures.length === 0) return;
  await db
    .insertInto('measures')
    .values(measures.map((m, i) => ({ survey_id: surveyId, code: m.code, category: m.category, label: m.label, position: i + 1 })))
    .execute();
}

export async function listParticipants(db: Db, surveyId: number): Promise<Array<Participant & { name: string; prefecture: string; email: string | null; name_kana: string | null }>> {
  return db
    .selectFrom('participants')
    .innerJoin('cities', 'cities.code', 'participants.city_code')
    .selectAll('participants')
    .select(['cities.name', 'cities.prefecture', 'cities.email', 'cities.name_kana'])
    .where('participants.survey_id', '=', surveyId)
    .orderBy('participants.city_code')
    .execute();
}

export async function countParticipants(db: Db, surveyId: number): Promise<number> {
  const row = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds participants with their population snapshot; cities already taking part keep their snapshot. */
export async function addParticipants(
  db: Db,
  surveyId: number,
  rows: Array<{ cityCode: string; population: number; populationDate: string | null; bandIndex: number }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('participants')
    .values(
      rows.map((r) => ({
        survey_id: surveyId,
        city_code: r.cityCode,
        population: r.population,
        population_date: r.populationDate,
        band_index: r.bandIndex,
      })),
    )
    .onConflict((oc) => oc.columns(['survey_id', 'city_code']).doNothing())
    .returning('city_code')
    .execute();
  return inserted.length;
}

/** Re-derives every participant's band from its snapshot population (after the thresholds change). */
export async function rebandParticipants(db: Db, surveyId: number, bandIndexFor: (population: number) => number): Promise<void> {
  const participants = await db.selectFrom('participants').select(['city_code', 'population', 'band_index']).where('survey_id', '=', surveyId).execute();
  for (const p of participants) {
    const band = bandIndexFor(p.population);
    if (band !== p.band_index) {
      await db.updateTable('participants').set({ band_index: band }).where('survey_id', '=', surveyId).where('city_code', '=', p.city_code).execute();
    }
  }
}

/** Removes a city from a survey: its invitations, response and plan documents go with it (foreign keys cascade). */
export async function deleteParticipant(db: Db, surveyId: number, cityCode: string): Promise<boolean> {
  const rows = await db.deleteFrom('participants').where('survey_id', '=', surveyId).where('city_code', '=', cityCode).returning('city_code').execute();
  return rows.length > 0;
}

/** Deletes a survey with everything that belongs to it (measures, participants, invitations, mail; cascades). */
export async function deleteSurveyRow(db: Db, id: number): Promise<boolean> {
  const rows = await db.deleteFrom('surveys').where('id', '=', id).returning('id').execute();
  return rows.length > 0;
}

/** What a participant has given so far: its response row and its attached plan documents. */
export async function participantFootprint(db: Db, surveyId: number, cityCode: string): Promise<{ responseStatus: 'draft' | 'submitted' | null; planDocuments: number }> {
  const response = await db.selectFrom('responses').select('status').where('survey_id', '=', surveyId).where('city_code', '=', cityCode).executeTakeFirst();
  const docs = await db
    .selectFrom('plan_documents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', cityCode)
    .executeTakeFirstOrThrow();
  return { responseStatus: response?.status ?? null, planDocuments: Number(docs.n) };
}
