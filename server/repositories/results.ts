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
 * Every submitted response of the survey's participants and the host city's (issue #15), read by index: id,
 * version, band and whether it is the host's. The answers (domain/results-tally.ts TallyRow encoding) come only
 * for the responses not in `known` at the same version, from the same statement, so they are those of the
 * version returned.
 */
export async function listTallyRows(db: Db, surveyId: number, known: { ids: number[]; versions: number[] }): Promise<TallyRow[]> {
  const rows = await sql<{ id: number; version: number; band_index: number | null; is_host: boolean; answers: string | null }>`
    with known (id, version) as (select * from unnest(${known.ids}::int[], ${known.versions}::int[]))
    select r.id, r.version, p.band_index, r.city_code = s.host_city_code as is_host,
      case when k.id is null then coalesce(
        (select string_agg(ra.measure_id::text || left(ra.answer, 1), ',') from response_answers ra where ra.response_id = r.id), '') end as answers
    from responses r
    join surveys s on s.id = r.survey_id
    left join participants p on p.survey_id = r.survey_id and p.city_code = r.city_code
    left join known k on k.id = r.id and k.version = r.version
    where r.survey_id = ${surveyId} and r.status = 'submitted' and (p.city_code is not null or r.city_code = s.host_city_code)`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, version: r.version, bandIndex: r.band_index, isHost: r.is_host, answers: r.answers }));
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
