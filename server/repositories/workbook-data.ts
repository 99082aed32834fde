// SQL for the workbooks: every response of a survey with its answers, and each city's invitation history,
// each in one query (the workbooks list every participant at once).
import type { Db } from '../db/database.js';
import type { ResponseRow } from '../db/schema.js';
import type { Answer } from '../domain/glossary.js';

/** `cityCodes` restricts the list to those cities (a page of the organiser's workbook). */
export async function listResponsesWithAnswers(db: Db, surveyId: number, cityCodes?: string[]): Promise<Array<{ row: ResponseRow; measures: Record<string, Answer> }>> {
  if (cityCodes?.length === 0) return [];
  let responses = db.selectFrom('responses').selectAll().where('survey_id', '=', surveyId);
  if (cityCodes) responses = responses.where('city_code', 'in', cityCodes);
  const rows = await responses.execute();
  if (rows.length === 0) return [];
  // One row per response with its answers as two parallel arrays (measure ids, answers): far fewer rows to
  // move than one per answer (1,800 × 200 = 360,000), and arrays parse faster than JSON objects.
  const codes = new Map(
    (await db.selectFrom('measures').select(['id', 'code']).where('survey_id', '=', surveyId).where('retired_at', 'is', null).execute()).map((m) => [m.id, m.code]),
  );
  let answerQuery = db
    .selectFrom('response_answers')
    .innerJoin('responses', 'responses.id', 'response_answers.response_id')
    .select((eb) => [
      'response_answers.response_id',
      eb.fn<number[]>('array_agg', ['response_answers.measure_id']).as('measureIds'),
      eb.fn<Answer[]>('array_agg', ['response_answers.answer']).as('answers'),
    ])
    .where('responses.survey_id', '=', surveyId);
  if (cityCodes) answerQuery = answerQuery.where('response_answers.response_id', 'in', rows.map((r) => r.id));
  const answers = await answerQuery.groupBy('response_answers.response_id').execute();
  const byResponse = new Map<number, Record<string, Answer>>();
  for (const a of answers) {
    const map: Record<string, Answer> = {};
    a.measureIds.forEach((id, i) => {
      const code = codes.get(id);
      if (code) map[code] = a.answers[i];
    });
    byResponse.set(a.response_id, map);
  }
  return rows.map((row) => ({ row, measures: byResponse.get(row.id) ?? {} }));
}

export interface InvitationHistory {
  cityCode: string;
  /** the latest invitation's issue and mail times; the first time any of its links was opened */
  issuedAt: Date | null;
  sentAt: Date | null;
  openedAt: Date | null;
}

export async function listInvitationHistory(db: Db, surveyId: number, cityCodes?: string[]): Promise<Map<string, InvitationHistory>> {
  if (cityCodes?.length === 0) return new Map();
  let q = db.selectFrom('invitations').select(['city_code', 'issued_at', 'sent_at', 'opened_at']).where('survey_id', '=', surveyId);
  if (cityCodes) q = q.where('city_code', 'in', cityCodes);
  const rows = await q
    .orderBy('issued_at')
    .orderBy('id')
    .execute();
  const out = new Map<string, InvitationHistory>();
  for (const r of rows) {
    const prev = out.get(r.city_code);
    const opened = [prev?.openedAt, r.opened_at].filter((d): d is Date => Boolean(d)).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    out.set(r.city_code, { cityCode: r.city_code, issuedAt: r.issued_at, sentAt: r.sent_at ?? prev?.sentAt ?? null, openedAt: opened });
  }
  return out;
}

/**
 * One page of a survey's participants with their city, in city-code order after `after` (paging by key: PGlite
 * cannot stream a cursor). `only` reads that one city; `except` leaves one out (the host city is listed first).
 */
export async function listParticipantsPage(db: Db, surveyId: number, opts: { after?: string; only?: string; except?: string; limit: number }) {
  let q = db
    .selectFrom('participants')
    .innerJoin('cities', 'cities.code', 'participants.city_code')
    .select(['participants.city_code', 'participants.population', 'participants.band_index', 'cities.name', 'cities.prefecture', 'cities.name_kana'])
    .where('participants.survey_id', '=', surveyId);
  if (opts.after !== undefined) q = q.where('participants.city_code', '>', opts.after);
  if (opts.only !== undefined) q = q.where('participants.city_code', '=', opts.only);
  if (opts.except !== undefined) q = q.where('participants.city_code', '<>', opts.except);
  return q.orderBy('participants.city_code').limit(opts.limit).execute();
}
