// The fields of a response (質問1–3), each once: its path (API.md «A response»), Japanese label and how its value
// reads to a person. The conflict page, the questionnaire import's change list and the audit log derive from it.
// (The TypeBox schema, the form and the questionnaire layout still spell the fields themselves: see README.)
import { ANSWER_LABELS, DISCLOSURE_LABELS, NEXT_PLAN_LABELS } from './glossary.js';
import type { MeasureRef, ResponseAnswers } from './response.js';
import { formatWarekiFiscalYear } from './wareki.js';

export interface ResponseField {
  path: string;
  label: string;
  /** the value as a person reads it ('' when unanswered) */
  show: (a: ResponseAnswers) => string;
}

const year = (y: number | null) => (y === null ? '' : `${formatWarekiFiscalYear(y)}（${y}年度）`);

export const RESPONSE_FIELDS: readonly ResponseField[] = [
  { path: '/contact/department', label: '担当部署', show: (a) => a.contact.department },
  { path: '/contact/personKana', label: '担当者名（カナ）', show: (a) => a.contact.personKana },
  { path: '/contact/phone', label: '電話番号（直通）', show: (a) => a.contact.phone },
  { path: '/contact/email', label: 'メールアドレス（所属）', show: (a) => a.contact.email },
  { path: '/plan/hasPlan', label: '情報化計画の策定', show: (a) => (a.plan.hasPlan === null ? '' : a.plan.hasPlan ? '計画あり' : '計画なし') },
  { path: '/plan/name', label: '計画名称', show: (a) => a.plan.name },
  { path: '/plan/latestNumber', label: '最新番号', show: (a) => (a.plan.latestNumber === null ? '' : `第${a.plan.latestNumber}次`) },
  { path: '/plan/updateCycleYears', label: '更新頻度', show: (a) => (a.plan.updateCycleIrregular ? '不定期' : a.plan.updateCycleYears ? `${a.plan.updateCycleYears}年` : '') },
  { path: '/plan/periodStart', label: '計画期間（開始年度）', show: (a) => year(a.plan.periodStart) },
  { path: '/plan/periodEnd', label: '計画期間（終了年度）', show: (a) => year(a.plan.periodEnd) },
  { path: '/plan/nextPlan', label: '次期計画', show: (a) => (a.plan.nextPlan ? NEXT_PLAN_LABELS[a.plan.nextPlan] : '') },
  { path: '/plan/notes', label: '備考', show: (a) => a.plan.notes },
  { path: '/disclosure', label: '調査結果の取扱い', show: (a) => (a.disclosure ? DISCLOSURE_LABELS[a.disclosure] : '') },
];

/** Every field of a survey's response: 質問1–3, then one per measure. */
export function responseFields(measures: readonly MeasureRef[]): ResponseField[] {
  return [
    ...RESPONSE_FIELDS,
    ...measures.map((m) => ({ path: `/measures/${m.code}`, label: m.label, show: (a: ResponseAnswers) => (a.measures[m.code] ? ANSWER_LABELS[a.measures[m.code]] : '') })),
  ];
}

export interface FieldDifference {
  path: string;
  label: string;
  before: string;
  after: string;
}

/** The fields whose value reads differently in `after` than in `before`, in form order. */
export function differences(before: ResponseAnswers, after: ResponseAnswers, measures: readonly MeasureRef[]): FieldDifference[] {
  return responseFields(measures)
    .map((f) => ({ path: f.path, label: f.label, before: f.show(before), after: f.show(after) }))
    .filter((d) => d.before !== d.after);
}
