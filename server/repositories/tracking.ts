// SQL for following a survey round: every participant with its roster data, response, invitations and
// mail, and the count of submitted responses per band (one grouped query).
import type { Db } from '../db/database.js';

export async function participantRows(db: Db, surveyId: number) {
  return db
    .selectFrom('participants')
    .innerJoin('cities', 'cities.code', 'participants.city_code')
    .leftJoin('responses', (j) => j.onRef('responses.survey_id', '=', 'participants.survey_id').onRef('responses.city_code', '=', 'participants.city_code'))
    .select([
      'participants.city_code',
      'participants.band_index',
      'participants.population',
      'cities.name',
      'cities.prefecture',
      'cities.email',
      'responses.status as response_status',
      'responses.updated_at as response_updated_at',
      'responses.submitted_at',
    ])
    .where('participants.survey_id', '=', surveyId)
    .orderBy('participants.city_code')
    .execute();
}

export async function invitationRows(db: Db, surveyId: number) {
  return db
    .selectFrom('invitations')
    .select(['id', 'city_code', 'issued_at', 'sent_at', 'opened_at', 'revoked_at'])
    .where('survey_id', '=', surveyId)
    .orderBy('id')
    .execute();
}

export async function mailRows(db: Db, surveyId: number) {
  return db
    .selectFrom('mail_messages')
    .select(['id', 'kind', 'city_code', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('survey_id', '=', surveyId)
    .orderBy('id')
    .execute();
}

/** Participants and submitted responses per band, the host city left out (it is never counted). */
export async function countsByBand(db: Db, surveyId: number, hostCityCode: string) {
  const rows = await db
    .selectFrom('participants')
    .leftJoin('responses', (j) => j.onRef('responses.survey_id', '=', 'participants.survey_id').onRef('responses.city_code', '=', 'participants.city_code'))
    .select((eb) => [
      'participants.band_index',
      eb.fn.countAll<string>().as('participants'),
      eb.fn.count<string>('responses.id').filterWhere('responses.status', '=', 'submitted').as('submitted'),
      eb.fn.count<string>('responses.id').filterWhere('responses.status', '=', 'draft').as('drafts'),
    ])
    .where('participants.survey_id', '=', surveyId)
    .where('participants.city_code', '<>', hostCityCode)
    .groupBy('participants.band_index')
    .execute();
  return rows.map((r) => ({ bandIndex: r.band_index, participants: Number(r.participants), submitted: Number(r.submitted), drafts: Number(r.drafts) }));
}
