// The one query behind a respondent page (issue #15): the session's invitation (still active, for this survey and
// city), the survey, the city, whether it takes part, the survey definitions' revision (which the cached measures
// are checked against), and on request the response with its answers and the city's plan documents, each as JSON.
import { CompiledQuery } from 'kysely';
import { type Db, preparedStatement } from '../db/database.js';
import type { City, ResponseRow, Survey } from '../db/schema.js';
import type { PlanDocumentRow } from '../db/plan-documents-schema.js';
import type { Answer } from '../domain/glossary.js';
import { fromJson as json, responseRowFromJson } from './responses.js';

export interface RespondentPage {
  survey: Survey;
  city: City;
  isParticipant: boolean;
  /** repositories: measure_revision (migration T1800) */
  measureRevision: string;
  /** undefined before the first save (or when not asked for) */
  response?: ResponseRow;
  /** the response's answers of current (not retired) measures, by code */
  answers: Record<string, Answer>;
  /** the city's plan documents without their content (only when asked for) */
  planDocuments: Array<Omit<PlanDocumentRow, 'content'>>;
  /** the row versions of all of the above (respondentPageFingerprint) */
  fingerprint: string;
}


type ResponseJson = Record<string, unknown> & { stored_answers: Record<string, Answer> };
type DocJson = Omit<PlanDocumentRow, 'content'>;
interface PageRow {
  survey_row: Survey | string;
  measure_revision: string;
  city_row: City | string;
  is_participant: boolean;
  response_row: ResponseJson | string | null;
  plan_documents: DocJson[] | string | null;
  fingerprint: string;
}

const RESPONSE = `(select to_jsonb(r) || jsonb_build_object('stored_answers', coalesce(
    (select jsonb_object_agg(m.code, ra.answer) from response_answers ra join measures m on m.id = ra.measure_id
      where ra.response_id = r.id and m.retired_at is null), '{}'::jsonb))
  from responses r where r.survey_id = i.survey_id and r.city_code = i.city_code)`;
// the documents' columns but their content (to_jsonb of the row would serialise the file first)
const PLAN_DOCUMENTS = `coalesce((select jsonb_agg(jsonb_build_object('id', d.id, 'survey_id', d.survey_id, 'city_code', d.city_code,
    'file_name', d.file_name, 'content_type', d.content_type, 'bytes', d.bytes, 'pages', d.pages, 'shareable', d.shareable,
    'sha256', d.sha256, 'created_at', d.created_at, 'reading', d.reading, 'warnings', d.warnings, 'decisions', d.decisions) order by d.id)
  from plan_documents d where d.survey_id = i.survey_id and d.city_code = i.city_code), '[]'::jsonb)`;

/**
 * The row versions of everything a respondent page shows (PostgreSQL's xmin changes whenever a row is written): the
 * survey, the city, the measures' revision, the participation, the response and its answers (their count and newest
 * write, which also sees a deletion), and the plan documents. The same text in the page's query and on its own, so
 * a kept page (views/page-cache.ts) is compared with exactly what drawing it afresh would read.
 */
const FINGERPRINT = `concat_ws('|', s.xmin, c.xmin, (select revision::text from measure_revision),
    (select p.xmin from participants p where p.survey_id = i.survey_id and p.city_code = i.city_code),
    (select concat(r.xmin, ':', (select concat(count(*), ':', max(ra.xmin::text::bigint)) from response_answers ra where ra.response_id = r.id))
      from responses r where r.survey_id = i.survey_id and r.city_code = i.city_code),
    (select concat(count(*), ':', max(d.xmin::text::bigint)) from plan_documents d where d.survey_id = i.survey_id and d.city_code = i.city_code))`;
const PAGE_ROWS = `from invitations i
  join surveys s on s.id = i.survey_id
  join cities c on c.code = i.city_code
  where i.id = $1 and i.revoked_at is null and i.survey_id = $2 and i.city_code = $3`;

/** The page's SQL text, written once per variant: a page then costs no query building, only its three parameters. */
function pageSql(response: boolean, planDocuments: boolean): string {
  // the survey as JSON too: a column added by a migration while an instance runs does not change the statement's columns
  return `select to_jsonb(s) as survey_row,
    (select revision::text from measure_revision) as measure_revision,
    to_jsonb(c) as city_row,
    exists (select 1 from participants p where p.survey_id = i.survey_id and p.city_code = i.city_code) as is_participant,
    ${response ? RESPONSE : 'null'} as response_row,
    ${planDocuments ? PLAN_DOCUMENTS : 'null'} as plan_documents,
    ${FINGERPRINT} as fingerprint
  ${PAGE_ROWS}`;
}
const PAGE_SQL = [false, true].map((response) => [false, true].map((planDocuments) => preparedStatement(pageSql(response, planDocuments))));
const FINGERPRINT_SQL = preparedStatement(`select ${FINGERPRINT} as fingerprint ${PAGE_ROWS}`);

type Session = { invitationId: number; surveyId: number; cityCode: string };

/** The fingerprint of the session's page data (undefined when the session's invitation is no longer active). */
export async function respondentPageFingerprint(db: Db, session: Session): Promise<string | undefined> {
  const { rows } = await db.executeQuery<{ fingerprint: string }>(CompiledQuery.raw(FINGERPRINT_SQL, [session.invitationId, session.surveyId, session.cityCode]));
  return rows[0]?.fingerprint;
}

export async function loadRespondentPage(
  db: Db,
  session: Session,
  opts: { response?: boolean; planDocuments?: boolean } = {},
): Promise<RespondentPage | undefined> {
  const text = PAGE_SQL[opts.response ? 1 : 0][opts.planDocuments ? 1 : 0];
  const { rows } = await db.executeQuery<PageRow>(CompiledQuery.raw(text, [session.invitationId, session.surveyId, session.cityCode]));
  const row = rows[0];
  if (!row) return undefined;
  const { survey_row, measure_revision, city_row, is_participant, response_row, plan_documents, fingerprint } = row;
  const survey = json(survey_row);
  const city = json(city_row);
  let response: ResponseRow | undefined;
  let answers: Record<string, Answer> = {};
  if (response_row) {
    const { stored_answers, ...r } = json(response_row);
    response = responseRowFromJson(r);
    answers = stored_answers;
  }
  return {
    survey: { ...survey, created_at: new Date(survey.created_at), updated_at: new Date(survey.updated_at) },
    city: { ...city, updated_at: new Date(city.updated_at) },
    isParticipant: is_participant,
    measureRevision: measure_revision,
    response,
    answers,
    planDocuments: (plan_documents ? json(plan_documents) : []).map((d) => ({ ...d, created_at: new Date(d.created_at) })),
    fingerprint,
  };
}
