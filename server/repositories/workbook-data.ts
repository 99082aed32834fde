// SQL for the workbooks: every response of a survey with its answers, and each city's invitation history,
// each in one query (the workbooks list every participant at once).
import type { Db } from '../db/database.js';
import type { ResponseRow } from '../db/schema.js';
import type { Answer } from '../domain/glossary.js';

export async function listResponsesWithAnswers(db: Db, surveyId: number): Promise<Array<{ row: ResponseRow; measures: Record<string, Answer> }>> {
  const rows = await db.selectFrom('responses').selectAll().where('survey_id', '=', surveyId).execute();
  // One row per response with its answers as two parallel arrays (measure ids, answers): far fewer rows to
  // move than one per answer (1,800 × 200 = 360,000), and arrays parse faster than JSON objects.
  const codes = new Map(
    (await db.selectFrom('measures').select(['id', 'code']).where('survey_id', '=', surveyId).where('retired_at', 'is', null).execute()).map((m) => [m.id, m.code]),
  );
  const answers = await db
    .selectFrom('response_answers')
    .innerJoin('responses', 'responses.id', 'response_answers.response_id')
    .select((eb) => [
      'response_answers.response_id',
      eb.fn<number[]>('array_agg', ['response_answers.measure_id']).as('measureIds'),
      eb.fn<Answer[]>('array_agg', ['response_answers.answer']).as('answers'),
    ])
    .where('responses.survey_id', '=', surveyId)
    .groupBy('response_answers.response_id')
    .execute();
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

export async function listInvitationHistory(db: Db, surveyId: number): Promise<Map<string, InvitationHistory>> {
  const rows = await db
    .selectFrom('invitations')
    .select(['city_code', 'issued_at', 'sent_at', 'opened_at'])
    .where('survey_id', '=', surveyId)
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
