// A response as labelled Japanese lines: the confirmation page, the read-only view and the receipt mail use it.
import type { Db } from '../db/database.js';
import type { Measure } from '../db/schema.js';
import { ANSWER_LABELS, DISCLOSURE_LABELS, NEXT_PLAN_LABELS } from '../domain/glossary.js';
import { formatLatestNumber, type ResponseAnswers } from '../domain/response.js';
import { formatDeadline } from '../domain/deadlines.js';
import { formatFiscalYear } from '../domain/wareki.js';
import type { Mailer, MailResult } from '../plugins/mail.js';
import { findCity } from '../repositories/cities.js';
import { countRecentMail } from '../repositories/mail.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import { renderMailTemplate } from './mail-templates.js';

const UNANSWERED = '（未回答）';

export function planLines(a: ResponseAnswers): Array<{ label: string; value: string }> {
  const p = a.plan;
  if (p.hasPlan === false) return [{ label: '計画名称', value: 'なし（策定していない）' }, ...(p.notes ? [{ label: '備考', value: p.notes }] : [])];
  const cycle = p.updateCycleIrregular ? '不定期' : p.updateCycleYears !== null ? `${p.updateCycleYears}年ごと` : UNANSWERED;
  const period = p.periodStart === null && p.periodEnd === null ? UNANSWERED : `${formatFiscalYear(p.periodStart) || '？'} ～ ${formatFiscalYear(p.periodEnd) || '？'}`;
  return [
    { label: '計画名称', value: p.hasPlan === null ? UNANSWERED : p.name || UNANSWERED },
    { label: '最新番号', value: formatLatestNumber(p.latestNumber) ?? UNANSWERED },
    { label: '更新頻度', value: cycle },
    { label: '最新の計画が対象とする期間', value: period },
    { label: '次期計画の策定予定', value: p.nextPlan ? NEXT_PLAN_LABELS[p.nextPlan] : UNANSWERED },
    { label: '備考', value: p.notes || 'なし' },
  ];
}

export function measureGroups(a: ResponseAnswers, measures: Pick<Measure, 'code' | 'category' | 'label'>[]) {
  const groups: Array<{ category: string; rows: Array<{ code: string; label: string; answer: string }> }> = [];
  for (const m of measures) {
    let group = groups.at(-1);
    if (!group || group.category !== m.category) groups.push((group = { category: m.category, rows: [] }));
    const answer = a.measures[m.code];
    group.rows.push({ code: m.code, label: m.label, answer: answer ? ANSWER_LABELS[answer] : UNANSWERED });
  }
  return groups;
}

export function disclosureLabel(a: ResponseAnswers): string {
  return a.disclosure ? DISCLOSURE_LABELS[a.disclosure] : UNANSWERED;
}

/** Sends the receipt of a submission to the contact address. */
export async function sendReceipt(
  db: Db,
  mailer: Mailer,
  r: { surveyId: number; cityCode: string; model: ResponseAnswers; submittedAt: string | null; now: Date },
): Promise<MailResult | undefined> {
  const survey = await findSurvey(db, r.surveyId);
  const city = await findCity(db, r.cityCode);
  if (!survey || !city) return undefined;
  const to = receiptRecipients(city.email, r.model.contact.email);
  if (to.length === 0) return undefined;
  // A few per city per hour at most: the platform must not become a way to mail one's own text to people.
  const recent = await countRecentMail(db, { surveyId: survey.id, cityCode: city.code, kind: 'receipt', since: new Date(r.now.getTime() - 3600_000) });
  if (recent >= RECEIPTS_PER_HOUR) return undefined;
  const host = await findCity(db, survey.host_city_code);
  const measures = await listMeasures(db, survey.id);
  const mail = renderMailTemplate('receipt', {
    cityName: city.name,
    hostCityName: host?.name ?? '',
    surveyTitle: survey.title,
    deadline: formatDeadline(survey),
    submittedAt: r.submittedAt,
    contact: r.model.contact,
    planLines: planLines(r.model),
    disclosureLabel: disclosureLabel(r.model),
    measureLines: measureGroups(r.model, measures).flatMap((g) => g.rows.map((row) => ({ category: g.category, ...row }))),
  });
  return mailer.send({ kind: 'receipt', to: to.join(', '), subject: mail.subject, text: mail.text, surveyId: survey.id, cityCode: city.code });
}

export const RECEIPTS_PER_HOUR = 3;

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Who a receipt goes to: the roster address (the one invitations go to), and the contact address typed in the form
 * only when it shares the roster address's mail domain (e.g. @city.example.lg.jp). With no roster address, none.
 */
export function receiptRecipients(rosterEmail: string | null, contactEmail: string): string[] {
  if (!rosterEmail) return [];
  const to = [rosterEmail];
  const contact = contactEmail.trim();
  if (contact && contact.toLowerCase() !== rosterEmail.toLowerCase() && contact.includes('@') && domainOf(contact) === domainOf(rosterEmail)) to.push(contact);
  return to;
}
