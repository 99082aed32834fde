// 結果公表: e-mails every city that submitted 「調査結果の送付」 with the way to its page (never an
// attachment), to the roster address invitations go to, or the contact address it gave when there is none.
import type { Db } from '../db/database.js';
import { conflict } from '../domain/errors.js';
import type { Mailer } from '../plugins/mail.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCity } from '../repositories/cities.js';
import { listParticipants } from '../repositories/surveys.js';
import { listResponsesWithAnswers } from '../repositories/workbook-data.js';
import { renderMailTemplate } from './mail-templates.js';
import { getSurveyOr404 } from './surveys.js';

export interface NotifyOutcome {
  cityCode: string;
  cityName: string;
  status: 'sent' | 'outbox' | 'failed' | 'no_address';
  to: string | null;
}

export async function notifyResults(db: Db, mailer: Mailer, args: { surveyId: number; publicUrl: string; actor: Actor }): Promise<NotifyOutcome[]> {
  const survey = await getSurveyOr404(db, args.surveyId);
  if (survey.status !== 'published') throw conflict('調査結果の送付は、調査を「結果公表」にしてから行えます');
  const host = await findCity(db, survey.host_city_code);
  const participants = new Map((await listParticipants(db, survey.id)).map((p) => [p.city_code, p]));
  const submitted = (await listResponsesWithAnswers(db, survey.id)).filter((r) => r.row.status === 'submitted' && r.row.city_code !== survey.host_city_code);
  const outcomes: NotifyOutcome[] = [];
  for (const { row } of submitted.sort((a, b) => a.row.city_code.localeCompare(b.row.city_code))) {
    const city = await findCity(db, row.city_code);
    const cityName = participants.get(row.city_code)?.name ?? row.city_code;
    const to = city?.email || row.contact_email || null;
    if (!to) {
      outcomes.push({ cityCode: row.city_code, cityName, status: 'no_address', to: null });
      continue;
    }
    const mail = renderMailTemplate('results', {
      hostCityName: host?.name ?? '',
      surveyTitle: survey.title,
      cityName,
      respondUrl: `${args.publicUrl}/respond`,
      publicUrl: args.publicUrl,
    });
    const result = await mailer.send({ kind: 'results', to, subject: mail.subject, text: mail.text, surveyId: survey.id, cityCode: row.city_code });
    outcomes.push({ cityCode: row.city_code, cityName, status: result.status, to });
  }
  await recordAudit(db, { actor: args.actor, action: 'notify-results', entity: 'survey', entityId: survey.id, surveyId: survey.id, after: { outcomes } });
  return outcomes;
}
