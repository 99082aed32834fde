// SQL for responses (one per survey × city) and their per-measure answers.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ResponseRow } from '../db/schema.js';
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

// jsonb gives timestamps as text: these columns become Dates, as pg and PGlite return them elsewhere
const RESPONSE_TIMESTAMPS = ['submitted_at', 'created_at', 'updated_at', 'pending_updated_at'] as const;
const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** A value of a JSON column as pg (parsed) or PGlite (text) may return it. */
export const fromJson = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** A responses row read as JSON (to_jsonb), with its timestamps as Dates. */
export function responseRowFromJson(value: Record<string, unknown> | string): ResponseRow {
  const row = { ...fromJson(value) };
  for (const column of RESPONSE_TIMESTAMPS) row[column] = toDate(row[column]);
  return row as unknown as ResponseRow;
}

export function rowToAnswers(row: ResponseRow, measures: Record<string, Answer>): ResponseAnswers {
  return {
    contact: pick(row, COLUMNS.contact) as unknown as ContactAnswers,
    plan: pick(row, COLUMNS.plan) as unknown as PlanAnswers,
    disclosure: row[COLUMNS.disclosure],
    measures,
  };
}

/** The response row's columns of the answers (all but the measures). */
export function answerColumns(a: ResponseAnswers) {
  const values: Record<string, unknown> = { [COLUMNS.disclosure]: a.disclosure };
  for (const group of ['contact', 'plan'] as const) {
    for (const [key, column] of Object.entries(COLUMNS[group])) values[column] = (a[group] as unknown as Record<string, unknown>)[key];
  }
  return values as Pick<ResponseRow, (typeof COLUMNS)['contact'][keyof ContactAnswers] | (typeof COLUMNS)['plan'][keyof PlanAnswers] | 'disclosure'>;
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
