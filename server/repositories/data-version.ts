// A cheap fingerprint of everything the organiser's results workbook shows for one survey: it changes
// whenever a response, an invitation, a participant, a measure (also its label, category or order), the survey or a
// participant's roster entry does.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export async function surveyDataVersion(db: Db, surveyId: number): Promise<string> {
  const row = await sql<{ v: string | null }>`
    select concat_ws('|',
      (select updated_at::text from surveys where id = ${surveyId}),
      (select concat(count(*), ':', max(updated_at)::text, ':', max(version)::text, ':', sum(version)::text) from responses where survey_id = ${surveyId}),
      (select concat(count(*), ':', max(issued_at)::text, ':', max(sent_at)::text, ':', max(opened_at)::text, ':', max(revoked_at)::text, ':', count(sent_at), ':', count(opened_at))
         from invitations where survey_id = ${surveyId}),
      (select concat(count(*), ':', max(added_at)::text) from participants where survey_id = ${surveyId}),
      (select concat(count(*), ':', max(created_at)::text, ':', max(retired_at)::text, ':', count(retired_at), ':', md5(string_agg(concat(code, '/', label, '/', category, '/', position), '|' order by id))) from measures where survey_id = ${surveyId}),
      (select max(c.updated_at)::text from cities c join participants p on p.city_code = c.code where p.survey_id = ${surveyId})
    ) as v`.execute(db);
  return row.rows[0]?.v ?? '';
}

/**
 * Cheap fingerprints of what a survey's results count (issue #15), read by index, not the survey's answers.
 * `data` changes with anything the results show: the measures' revision (T1800), the survey row (bands, host, the
 * round it was copied from), its responses (every save or submission raises a response's version) and its
 * participants, and the same for the round it was copied from (its rates are shown beside). `structure` is the part
 * that is not kept response by response (services/results-cache.ts): everything but the survey's own responses and
 * participants.
 */
export async function resultsDataVersions(db: Db, surveyId: number): Promise<{ data: string; structure: string }> {
  const previous = roundVersion(sql`(select copied_from_survey_id from surveys where id = ${surveyId})`);
  const row = await sql<{ data: string | null; structure: string | null }>`
    with shared as (select (select revision::text from measure_revision) as revision, ${previous} as previous)
    select
      concat_ws('|', revision, ${roundVersion(sql`${surveyId}`)}, previous) as data,
      concat_ws('|', revision, (select updated_at::text from surveys where id = ${surveyId}), previous) as structure
    from shared`.execute(db);
  return { data: row.rows[0]?.data ?? '', structure: row.rows[0]?.structure ?? '' };
}

function roundVersion(id: ReturnType<typeof sql>) {
  return sql`(select concat_ws(':', s.updated_at::text,
      (select concat(count(*), ':', sum(version), ':', max(updated_at)::text) from responses where survey_id = s.id),
      (select concat(count(*), ':', max(added_at)::text) from participants where survey_id = s.id))
    from surveys s where s.id = ${id})`;
}
