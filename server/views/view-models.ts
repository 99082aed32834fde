// What templates receive: plain camelCase view models made from the database rows here, so that a template never
// depends on a column's name (snake_case rows stay in repositories and services).
import type { City, MailMessage, Survey } from '../db/schema.js';
import { formatDeadline } from '../domain/deadlines.js';
import { SURVEY_STATUS_LABELS } from '../domain/glossary.js';

export interface SurveyPageView {
  id: number;
  title: string;
  status: Survey['status'];
  statusLabel: string;
  deadline: string;
  /** the deadline as pages write it (令和9年1月22日（金）, with 西暦 when the survey says so) */
  deadlineText: string;
  deadlineGregorian: boolean;
  introText: string;
  copiedFromSurveyId: number | null;
}

export function surveyPageView(s: Survey): SurveyPageView {
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    statusLabel: SURVEY_STATUS_LABELS[s.status],
    deadline: s.deadline,
    deadlineText: formatDeadline(s),
    deadlineGregorian: s.deadline_gregorian === true,
    introText: s.intro_text,
    copiedFromSurveyId: s.copied_from_survey_id,
  };
}

/** A survey row (from the repositories) rather than a view already made. */
export function isSurveyRow(value: unknown): value is Survey {
  return typeof value === 'object' && value !== null && 'host_city_code' in value && 'band_thresholds' in value;
}

export function cityRowView(c: Pick<City, 'code' | 'prefecture' | 'name' | 'population' | 'population_date' | 'email'>) {
  return { code: c.code, prefecture: c.prefecture, name: c.name, population: c.population, populationDate: c.population_date, email: c.email };
}

export function mailRowView(m: MailMessage) {
  return {
    id: m.id,
    kind: m.kind,
    status: m.status,
    subject: m.subject,
    to: m.to_address,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    attempts: m.attempts,
    lastError: m.last_error,
    markedSentBy: m.marked_sent_by,
  };
}
