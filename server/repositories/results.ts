// SQL behind the results: the one grouped count of answers per measure × band × answer, respondents per
// band, the host city's own answers and the plan columns of counted responses.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { AnswerCountRow } from '../domain/results.js';
import type { TallyRow } from '../domain/results-tally.js';
import type { PlanInput } from '../domain/plan-stats.js';
import type { Answer } from '../domain/glossary.js';

/** Counted = submitted and not the host city's. */
function countedResponses(db: Db, surveyId: number, hostCityCode: string) {
  return db
    .selectFrom('responses')
    .innerJoin('participants', (j) =>
      j.onRef('participants.survey_id', '=', 'responses.survey_id').onRef('participants.city_code', '=', 'responses.city_code'),
    )
    .where('responses.survey_id', '=', surveyId)
    .where('responses.status', '=', 'submitted')
    .where('responses.city_code', '<>', hostCityCode);
}

/**
 * One grouped query: for each measure and band, how many counted responses implement it, study it, or
 * answered it at all (grouping by measure × band with FILTERed counts keeps the groups few; the rows are
 * then spread out per answer for the layout).
 */
export async function countAnswersByBand(db: Db, surveyId: number, hostCityCode: string): Promise<AnswerCountRow[]> {
  const rows = await countedResponses(db, surveyId, hostCityCode)
    .innerJoin('response_answers', 'response_answers.response_id', 'responses.id')
    .select((eb) => [
      'response_answers.measure_id as measureId',
      'participants.band_index as bandIndex',
      eb.fn.countAll<string | number>().filterWhere('response_answers.answer', '=', 'implemented').as('implemented'),
      eb.fn.countAll<string | number>().filterWhere('response_answers.answer', '=', 'studying').as('studying'),
      eb.fn.countAll<string | number>().as('answered'),
    ])
    .groupBy(['response_answers.measure_id', 'participants.band_index'])
    .execute();
  return rows.flatMap((r) => {
    const implemented = Number(r.implemented);
    const studying = Number(r.studying);
    const none = Number(r.answered) - implemented - studying;
    const base = { measureId: r.measureId, bandIndex: r.bandIndex };
    return [
      { ...base, answer: 'implemented' as const, count: implemented },
      { ...base, answer: 'studying' as const, count: studying },
      { ...base, answer: 'none' as const, count: none },
    ].filter((row) => row.count > 0);
  });
}

/** Counted respondents per band index. */
export async function countRespondentsByBand(db: Db, surveyId: number, hostCityCode: string): Promise<Array<{ bandIndex: number; count: number }>> {
  const rows = await countedResponses(db, surveyId, hostCityCode)
    .select((eb) => ['participants.band_index as bandIndex', eb.fn.countAll<string | number>().as('count')])
    .groupBy('participants.band_index')
    .execute();
  return rows.map((r) => ({ bandIndex: r.bandIndex, count: Number(r.count) }));
}

/** The host city's answers by measure id, or null when the host has no submitted response. */
export async function findHostAnswers(db: Db, surveyId: number, hostCityCode: string): Promise<Map<number, Answer> | null> {
  const response = await db
    .selectFrom('responses')
    .select('id')
    .where('survey_id', '=', surveyId)
    .where('city_code', '=', hostCityCode)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  if (!response) return null;
  const answers = await db.selectFrom('response_answers').select(['measure_id', 'answer']).where('response_id', '=', response.id).execute();
  return new Map(answers.map((a) => [a.measure_id, a.answer]));
}

/**
 * Every submitted response of the survey's participants and the host city's (issue #15): id, version, band and
 * whether it is the host's, read by index; then, in a second statement, the answers (domain/results-tally.ts
 * TallyRow encoding) of only those whose version is not the one in `known`, each with the version they belong to
 * (a response saved between the two statements comes with its newer version; one deleted is left out).
 * Two statements, not one: in one, PostgreSQL prices the answers' subquery for every response and compiles the
 * statement (JIT), about 0.4 s.
 */
export async function listTallyRows(db: Db, surveyId: number, known: ReadonlyMap<number, number>): Promise<TallyRow[]> {
  const listed = await db
    .selectFrom('responses as r')
    .innerJoin('surveys as s', 's.id', 'r.survey_id')
    .leftJoin('participants as p', (j) => j.onRef('p.survey_id', '=', 'r.survey_id').onRef('p.city_code', '=', 'r.city_code'))
    .select(['r.id', 'r.version', 'p.band_index as bandIndex', sql<boolean>`r.city_code = s.host_city_code`.as('isHost')])
    .where('r.survey_id', '=', surveyId)
    .where('r.status', '=', 'submitted')
    .where((eb) => eb.or([eb('p.city_code', 'is not', null), eb('r.city_code', '=', eb.ref('s.host_city_code'))]))
    .execute();
  const changed = listed.filter((r) => known.get(r.id) !== r.version).map((r) => r.id);
  if (changed.length === 0) return listed.map((r) => ({ ...r, answers: null }));
  const answers = await sql<{ id: number; version: number; answers: string }>`
    select r.id, r.version, coalesce(string_agg(ra.measure_id::text || left(ra.answer, 1), ','), '') as answers
    from responses r left join response_answers ra on ra.response_id = r.id
    where r.id = any(${changed}::int[]) and r.status = 'submitted'
    group by r.id, r.version`.execute(db);
  const fetched = new Map(answers.rows.map((a) => [a.id, a]));
  return listed.flatMap((r): TallyRow[] => {
    if (known.get(r.id) === r.version) return [{ ...r, answers: null }];
    const a = fetched.get(r.id);
    return a ? [{ ...r, version: a.version, answers: a.answers }] : [];
  });
}

/** A counted response's plan answers: what the plan statistics take, with the band and 最新番号. */
export type PlanRow = PlanInput & { bandIndex: number; latestNumber: number | null };

/** The plan answers of counted responses, in city-code order. */
export async function listPlanRows(db: Db, surveyId: number, hostCityCode: string): Promise<PlanRow[]> {
  const rows = await countedResponses(db, surveyId, hostCityCode)
    .innerJoin('cities', 'cities.code', 'responses.city_code')
    .select([
      'responses.city_code as cityCode',
      'cities.name as cityName',
      'cities.name_kana as cityKana',
      'participants.band_index as bandIndex',
      'responses.has_plan as hasPlan',
      'responses.plan_name as planName',
      'responses.plan_latest_number as latestNumber',
      'responses.plan_update_cycle_years as updateCycleYears',
      'responses.plan_update_irregular as updateIrregular',
      'responses.plan_period_start as periodStart',
      'responses.plan_period_end as periodEnd',
      'responses.next_plan as nextPlan',
      'responses.disclosure as disclosure',
    ])
    .orderBy('responses.city_code')
    .execute();
  return rows.map((r) => ({ ...r, cityCode: r.cityCode.trim() }));
}
