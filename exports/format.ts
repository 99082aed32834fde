// How answers are written in the workbooks: Japanese labels, 第N次, 更新頻度, and 年度 in 和暦 and 西暦.
import { formatUpdateCycle } from '../server/domain/response-fields.js';
import { ANSWER_LABELS, type Answer } from '../server/domain/glossary.js';
import { formatWarekiFiscalYear as warekiFiscalYear } from '../server/domain/wareki.js';
import type { PlanAnswers } from './types.js';

export function periodWareki(plan: Pick<PlanAnswers, 'periodStart' | 'periodEnd'>): string {
  if (plan.periodStart == null && plan.periodEnd == null) return '';
  const start = plan.periodStart != null ? warekiFiscalYear(plan.periodStart) : '';
  const end = plan.periodEnd != null ? warekiFiscalYear(plan.periodEnd) : '';
  return `${start}～${end}`;
}

export function periodSeireki(plan: Pick<PlanAnswers, 'periodStart' | 'periodEnd'>): string {
  if (plan.periodStart == null && plan.periodEnd == null) return '';
  return `${plan.periodStart ?? ''}～${plan.periodEnd ?? ''}年度`;
}

export function latestNumberLabel(n: PlanAnswers['latestNumber']): string {
  if (n === null || n === undefined || n === '') return '';
  return typeof n === 'number' ? `第${n}次` : n;
}

export function updateCycleLabel(plan: Pick<PlanAnswers, 'updateCycleYears' | 'updateCycleIrregular'>): string {
  return formatUpdateCycle(plan.updateCycleYears, plan.updateCycleIrregular);
}

export function answerLabel(answer: Answer | null | undefined): string {
  return answer ? ANSWER_LABELS[answer] : '';
}

export function hasPlanLabel(hasPlan: boolean | null): string {
  return hasPlan === null ? '' : hasPlan ? 'あり' : 'なし';
}

/** 2026-11-21 → 2026年11月21日 */
export function japaneseDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
