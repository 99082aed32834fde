// SQL for responses (one per survey × city) and their per-measure answers.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ResponseRow, Survey } from '../db/schema.js';
import type { Answer, ResponseStatus } from '../domain/glossary.js';
import type { ContactAnswers, PlanAnswers, ResponseAnswers } from '../domain/response.js';

export async function findResponse(db: Db, surveyId: number, cityCode: string, opts: { forUpdate?: boolean } = {}): Promise<ResponseRow | undefined> {
  let q = db.selectFrom('responses').selectAll().where('survey_id', '=', surveyId).where('city_code', '=', cityCode);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Measure code → answer for one response (retired measures left out). */
export async function loadMeasureAnswers(db: Db, responseId: number): Promise<Record<string, Answer>> {
  const rows = await db
    .selectFrom('response_answers')
    .innerJoin('measures', 'measures.id', 'response_answers.measure_id')
    .select(['measures.code', 'response_answers.answer'])
    .where('response_answers.response_id', '=', responseId)
    .where('measures.retired_at', 'is', null)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.answer]));
}

/**
 * The column of each property of «A response» (measures are rows of response_answers). The type makes it total:
 * a property added to the domain's types without a column here does not compile.
 */
const COLUMNS = {
  contact: { department: 'contact_department', personKana: 'contact_person_kana', phone: 'contact_phone', email: 'contact_email' },
  plan: {
    hasPlan: 'has_plan',
    name: 'plan_name',
    latestNumber: 'plan_latest_number',
    updateCycleYears: 'plan_update_cycle_years',
    updateCycleIrregular: 'plan_update_irregular',
    periodStart: 'plan_period_start',
    periodEnd: 'plan_period_end',
    nextPlan: 'next_plan',
    notes: 'plan_notes',
  },
  disclosure: 'disclosure',
} as const satisfies { contact: Record<keyof ContactAnswers, keyof ResponseRow>; plan: Record<keyof PlanAnswers, keyof ResponseRow>; disclosure: keyof ResponseRow };

const pick = <K extends string>(row: ResponseRow, columns: Record<K, keyof ResponseRow>) =>
  Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, row[column as keyof ResponseRow]])) as Record<K, unknown>;

export function rowToAnswers(row: ResponseRow, measures: Record<string, Answer>): ResponseAnswers {
  return {
    contact: pick(row, COLUMNS.contact) as unknown as ContactAnswers,
    plan: pick(row, COLUMNS.plan) as unknown as PlanAnswers,
    disclosure: row[COLUMNS.disclosure],
    measures,
  };
}

function columns(a: ResponseAnswers) {
  const values: Record<string, unknown> = { [COLUMNS.disclosure]: a.disclosure };
  for (const group of ['contact', 'plan'] as const) {
    for (const [key, column] of Object.entries(COLUMNS[group])) values[column] = (a[group] as unknown as Record<string, unknown>)[key];
  }
  return values as Pick<ResponseRow, (typeof COLUMNS)['contact'][keyof ContactAnswers] | (typeof COLUMNS)['plan'][keyof PlanAnswers] | 'disclosure'>;
}

export interface ResponseWrite {
  answers: ResponseAnswers;
  status: ResponseStatus;
  /** set on submission; undefined keeps the previous time */
  submittedAt?: Date;
  updatedBy: string;
  now: Date;
}

/** Inserts the first save; undefined when another request created it first. */
export async function insertResponse(db: Db, surveyId: number, cityCode: string, w: ResponseWrite): Promise<ResponseRow | undefined> {
  return db
    .insertInto('responses')
    .values({
      survey_id: surveyId,
      city_code: cityCode,
      status: w.status,
      version: 1,
      ...columns(w.answers),
      submitted_at: w.submittedAt ?? null,
      created_at: w.now,
      updated_at: w.now,
      updated_by: w.updatedBy,
    })
    .onConflict((oc) => oc.columns(['survey_id', 'city_code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateResponse(db: Db, id: number, w: ResponseWrite): Promise<ResponseRow> {
  return db
    .updateTable('responses')
    .set({
      status: w.status,
      version: sql`version + 1`,
      ...columns(w.answers),
      ...(w.submittedAt ? { submitted_at: w.submittedAt } : {}),
      pending_answers: null,
      pending_updated_at: null,
      updated_at: w.now,
      updated_by: w.updatedBy,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records (or, with null, drops) the unsubmitted changes of a submitted response; the counted answers stay. */
export async function setPendingAnswers(db: Db, id: number, pending: ResponseAnswers | null, w: { updatedBy: string; now: Date }): Promise<ResponseRow> {
  return db
    .updateTable('responses')
    .set({
      version: sql`version + 1`,
      pending_answers: pending === null ? null : JSON.stringify(pending),
      pending_updated_at: pending === null ? null : w.now,
      updated_by: w.updatedBy,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces a response's measure answers with the given map (codes resolved against the survey's measures). */
export interface ResponseStatusRow {
  cityCode: string;
  cityName: string;
  email: string | null;
  hasUnsubmittedChanges: boolean;
  status: 'not_started' | ResponseStatus;
  submittedAt: Date | null;
  version: number;
  updatedAt: Date | null;
}

/** Every participant of a survey with its response status, in city-code order. */
export async function listResponseStatuses(db: Db, surveyId: number): Promise<ResponseStatusRow[]> {
  const rows = await db
    .selectFrom('participants')
    .innerJoin('cities', 'cities.code', 'participants.city_code')
    .leftJoin('responses', (j) => j.onRef('responses.survey_id', '=', 'participants.survey_id').onRef('responses.city_code', '=', 'participants.city_code'))
    .select(['participants.city_code', 'cities.name', 'cities.email', 'responses.status', 'responses.submitted_at', 'responses.version', 'responses.updated_at', 'responses.pending_updated_at'])
    .where('participants.survey_id', '=', surveyId)
    .orderBy('participants.city_code')
    .execute();
  return rows.map((r) => ({
    cityCode: r.city_code,
    cityName: r.name,
    email: r.email,
    hasUnsubmittedChanges: r.pending_updated_at != null,
    status: r.status ?? 'not_started',
    submittedAt: r.submitted_at ?? null,
    version: r.version ?? 0,
    updatedAt: r.updated_at ?? null,
  }));
}

/** The participant row with the city's name, or undefined when the city does not take part. */
export async function findParticipantCity(db: Db, surveyId: number, cityCode: string) {
  return db
    .selectFrom('participants')
    .innerJoin('cities', 'cities.code', 'participants.city_code')
    .select(['participants.city_code as code', 'cities.name', 'cities.email', 'participants.band_index'])
    .where('participants.survey_id', '=', surveyId)
    .where('participants.city_code', '=', cityCode)
    .executeTakeFirst();
}

export interface SaveContext {
  survey: Survey;
  /** the city takes part in the survey (and is in the roster) */
  isParticipant: boolean;
  /** repositories: measure_revision (migration T1800), for the survey's measures from the definition cache */
  measureRevision: string;
}

/**
 * What a save needs before it locks the response, in one round trip: the survey, whether the city takes part, and
 * the measure revision (the measures come from the definition cache). Undefined when the survey does not exist.
 */
export async function loadSaveContext(db: Db, surveyId: number, cityCode: string): Promise<SaveContext | undefined> {
  const row = await db
    .selectFrom('surveys')
    .selectAll('surveys')
    .select([
      sql<boolean>`exists (select 1 from participants p join cities c on c.code = p.city_code where p.survey_id = surveys.id and p.city_code = ${cityCode})`.as('is_participant'),
      sql<string>`(select revision::text from measure_revision)`.as('measure_revision'),
    ])
    .where('surveys.id', '=', surveyId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { is_participant, measure_revision, ...survey } = row;
  return { survey: survey as Survey, isParticipant: is_participant, measureRevision: measure_revision };
}

export interface StoredAnswer {
  measureId: number;
  code: string;
  answer: Answer;
  retired: boolean;
}

/** The response row locked for update, with every stored measure answer (retired measures included), in one round trip. */
export async function findResponseWithAnswersForUpdate(db: Db, surveyId: number, cityCode: string): Promise<{ row: ResponseRow; answers: StoredAnswer[] } | undefined> {
  const found = await db
    .selectFrom('responses')
    .selectAll('responses')
    .select(
      sql<StoredAnswer[] | string>`coalesce((select json_agg(json_build_object('measureId', ra.measure_id, 'code', m.code, 'answer', ra.answer, 'retired', m.retired_at is not null))
        from response_answers ra join measures m on m.id = ra.measure_id where ra.response_id = responses.id), '[]'::json)`.as('stored_answers'),
    )
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', cityCode)
    .forUpdate()
    .executeTakeFirst();
  if (!found) return undefined;
  const { stored_answers, ...row } = found;
  return { row: row as ResponseRow, answers: typeof stored_answers === 'string' ? JSON.parse(stored_answers) : stored_answers };
}

/**
 * Writes a response's measure answers in one statement: an upsert of the changed ones (unnest of two arrays,
 * ON CONFLICT DO UPDATE) and, in the same statement, a delete of the cleared ones. No statement when nothing changed.
 */
export async function writeMeasureAnswers(db: Db, responseId: number, changes: { upsert: Array<{ measureId: number; answer: Answer }>; remove: number[] }): Promise<void> {
  const { upsert, remove } = changes;
  if (upsert.length === 0 && remove.length === 0) return;
  if (upsert.length === 0) {
    await sql`delete from response_answers where response_id = ${responseId} and measure_id = any(${remove}::int[])`.execute(db);
    return;
  }
  const ids = upsert.map((u) => u.measureId);
  const values = upsert.map((u) => u.answer);
  const del = remove.length > 0 ? sql`with cleared as (delete from response_answers where response_id = ${responseId} and measure_id = any(${remove}::int[])) ` : sql``;
  await sql`${del}insert into response_answers (response_id, measure_id, answer)
    select ${responseId}, u.measure_id, u.answer from unnest(${ids}::int[], ${values}::text[]) as u(measure_id, answer)
    on conflict (response_id, measure_id) do update set answer = excluded.answer`.execute(db);
}
