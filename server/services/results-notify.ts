// 結果公表: e-mails every city that submitted 「調査結果の送付」 with its own personal link (the same one its invitation
// carried: the link opens its results page), never an attachment, to the roster address invitations go to, or the
// contact address it gave when there is none.
import type { Db } from '../db/database.js';
import { conflict } from '../domain/errors.js';
import { LINK_PLACEHOLDER } from '../domain/invitation-tokens.js';
import type { Mailer } from '../plugins/mail.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findCity } from '../repositories/cities.js';
import { listParticipants } from '../repositories/surveys.js';
import { listResponsesWithAnswers } from '../repositories/workbook-data.js';
import { currentLinks, type LinkDeps } from './invitations.js';
import { renderMailTemplate } from '../mail/templates.js';
import { getSurveyOr404 } from './surveys.js';

export interface NotifyOutcome {
  cityCode: string;
  cityName: string;
  status: 'queued' | 'sent' | 'outbox' | 'failed' | 'no_address';
  to: string | null;
}

export async function notifyResults(db: Db, mailer: Mailer, args: { surveyId: number; links: LinkDeps; actor: Actor; now: Date }): Promise<NotifyOutcome[]> {
  const survey = await getSurveyOr404(db, args.surveyId);
  if (survey.status !== 'published') throw conflict('調査結果の送付は、調査を「結果公表」にしてから行えます');
  const host = await findCity(db, survey.host_city_code);
  const participants = new Map((await listParticipants(db, survey.id)).map((p) => [p.city_code, p]));
  const submitted = (await listResponsesWithAnswers(db, survey.id))
    .map((r) => r.row)
    .filter((row) => row.status === 'submitted' && row.city_code !== survey.host_city_code)
    .sort((a, b) => a.city_code.localeCompare(b.city_code));
  const links = new Map(
    (await currentLinks(db, { ...args.links, surveyId: survey.id, cityCodes: submitted.map((r) => r.city_code), now: args.now, actor: args.actor })).map((l) => [l.cityCode, l]),
  );
  const outcomes: NotifyOutcome[] = [];
  for (const row of submitted) {
    const participant = participants.get(row.city_code);
    const cityName = participant?.name ?? row.city_code;
    const to = participant?.email || row.contact_email || null;
    if (!to) {
      outcomes.push({ cityCode: row.city_code, cityName, status: 'no_address', to: null });
      continue;
    }
    const mail = renderMailTemplate('results', {
      hostCityName: host?.name ?? '',
      surveyTitle: survey.title,
      cityName,
      respondUrl: LINK_PLACEHOLDER,
      publicUrl: args.links.publicUrl,
      contactDepartment: survey.contact_department ?? '',
      contactPhone: survey.contact_phone ?? '',
      contactEmail: survey.contact_email ?? '',
    });
    const result = await mailer.send({ kind: 'results', to, subject: mail.subject, text: mail.text, surveyId: survey.id, cityCode: row.city_code, invitationId: links.get(row.city_code)?.invitationId });
    outcomes.push({ cityCode: row.city_code, cityName, status: result.status, to });
  }
  await recordAudit(db, { actor: args.actor, action: 'notify-results', entity: 'survey', entityId: survey.id, surveyId: survey.id, after: { outcomes } });
  return outcomes;
}
