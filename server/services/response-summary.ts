// A response as labelled Japanese lines: the confirmation page, the read-only view and the receipt mail use it.
// The lines are the field table's (domain/response-fields.ts), each under its summary label.
import type { Db } from '../db/database.js';
import type { Measure } from '../db/schema.js';
import { ANSWER_LABELS } from '../domain/glossary.js';
import { formatLatestNumber, type ResponseAnswers } from '../domain/response.js';
import { companionValue, type FieldKind, fieldLocation, fieldValue, formatUpdateCycle, RESPONSE_FIELDS, type ResponseFieldSpec } from '../domain/response-fields.js';
import { formatDeadline } from '../domain/deadlines.js';
import { formatFiscalYear } from '../domain/wareki.js';
import type { Mailer, MailResult } from '../plugins/mail.js';
import { findCity } from '../repositories/cities.js';
import { countRecentMail } from '../repositories/mail.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import { renderMailTemplate } from '../mail/templates.js';

const UNANSWERED = '（未回答）';

type Line = { label: string; value: string };

const choiceLabel = (f: ResponseFieldSpec, v: unknown) => f.choices?.find((c) => c.value === v)?.label ?? '';
/** Each kind's value as the summary reads it ('' when unanswered). */
const SUMMARY_VALUE: Record<FieldKind, (f: ResponseFieldSpec, value: unknown, a: ResponseAnswers) => string> = {
  text: (_f, v) => String(v ?? ''),
  yesNo: choiceLabel,
  choice: choiceLabel,
  latestNumber: (_f, v) => formatLatestNumber((v ?? null) as number | null) ?? '',
  updateCycle: (f, v, a) => formatUpdateCycle(v as number | null, companionValue(a, f) === true),
  year: (_f, v) => formatFiscalYear((v ?? null) as number | null),
};

/** A field's summary line: its value, a range as 「start ～ end」 (「？」 for a missing end), or what unanswered reads. */
function summaryLine(f: ResponseFieldSpec & { summary: NonNullable<ResponseFieldSpec['summary']> }, a: ResponseAnswers, fields: readonly ResponseFieldSpec[]): Line {
  const value = (field: ResponseFieldSpec) => SUMMARY_VALUE[field.kind](field, fieldValue(a, field.path), a);
  const empty = f.summary.empty ?? UNANSWERED;
  const end = f.summary.through === undefined ? undefined : fields.find((x) => x.path === f.summary.through);
  if (!end) return { label: f.summary.label, value: value(f) || empty };
  const [from, to] = [value(f), value(end)];
  return { label: f.summary.label, value: from === '' && to === '' ? empty : `${from || '？'} ～ ${to || '？'}` };
}

function groupLines(a: ResponseAnswers, group: 'contact' | 'plan', fields: readonly ResponseFieldSpec[]): Line[] {
  return fields.flatMap((f) => (f.summary && fieldLocation(f.path).group === group ? [summaryLine({ ...f, summary: f.summary }, a, fields)] : []));
}

/** 質問1 as labelled lines (the summary page's table). */
export function contactLines(a: ResponseAnswers, fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): Line[] {
  return groupLines(a, 'contact', fields);
}

/**
 * 質問2 as labelled lines. The first line (計画名称) also answers whether there is a plan: 「なし」 with only the notes
 * after it when there is none, 「（未回答）」 while that is unanswered.
 */
export function planLines(a: ResponseAnswers, fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): Line[] {
  const lines = groupLines(a, 'plan', fields);
  const notes = fields.find((f) => f.path === '/plan/notes');
  if (a.plan.hasPlan === false) return [{ label: lines[0].label, value: 'なし（策定していない）' }, ...(a.plan.notes && notes?.summary ? [{ label: notes.summary.label, value: a.plan.notes }] : [])];
  if (a.plan.hasPlan === null) lines[0] = { ...lines[0], value: UNANSWERED };
  return lines;
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
  const f = RESPONSE_FIELDS.find((x) => x.path === '/disclosure')!;
  return summaryLine(f, a, RESPONSE_FIELDS).value;
}

/**
 * Sends the receipt of a submission to the contact address; only when SMTP is configured (a receipt in the organiser's
 * 送信トレイ would help nobody, and the form promises one only then).
 */
export async function sendReceipt(
  db: Db,
  mailer: Mailer,
  r: { surveyId: number; cityCode: string; model: ResponseAnswers; submittedAt: string | null; now: Date },
): Promise<MailResult | undefined> {
  if (!mailer.smtp) return undefined;
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
