// Plan statistics (質問2): share with a plan, update cycles, plan periods on a timeline and next-plan intentions.
// Pure. Disclosure rules: public cities are named, anonymous ones become A市, B市…, private ones are only counted;
// for respondents the timeline (a per-city list) follows the listing rule of disclosure-control.ts.
import { createHash } from 'node:crypto';
import { listingRule, SMALL_GROUP_MESSAGE } from './disclosure-control.js';
import { maskNames } from './name-mask.js';
import { type Disclosure, NEXT_PLAN_LABELS, NEXT_PLANS, type NextPlan } from './glossary.js';
import { ratePercent } from './results.js';

export interface PlanInput {
  cityCode: string;
  cityName: string;
  hasPlan: boolean | null;
  planName: string;
  updateCycleYears: number | null;
  updateIrregular: boolean;
  periodStart: number | null;
  periodEnd: number | null;
  nextPlan: NextPlan | null;
  disclosure: Disclosure | null;
  /** the city's band in this survey (needed by the listing rule; 0 when not given) */
  bandIndex?: number;
  /** the roster's reading, to mask the city in other cities' plan names */
  cityKana?: string | null;
}

export interface CountRow {
  label: string;
  count: number;
}

export interface TimelineBar {
  /** The city's name (public) or its masked name (A市, B市… for anonymous). */
  name: string;
  disclosure: 'public' | 'anonymous';
  /** The plan's name for public cities only (plan names often contain the city's name). */
  planName: string | null;
  start: number;
  end: number;
}

export interface PlanStats {
  respondents: number;
  withPlan: number;
  withoutPlan: number;
  /** Share of respondents with a plan, half-up to 2 decimals; null with no respondents. */
  withPlanPercent: number | null;
  updateCycles: CountRow[];
  nextPlans: CountRow[];
  timeline: {
    bars: TimelineBar[];
    /** Cities with a plan period that may not be shown (公表しない, or no disclosure answer). */
    hiddenCount: number;
    /** Cities with a plan but no complete period. */
    withoutPeriodCount: number;
    /** Set when the per-city bars are withheld from respondents (too few cities not shown): the reason to print. */
    withheldMessage?: string | null;
    firstYear: number | null;
    lastYear: number | null;
  };
}

/** 0 → A市, 25 → Z市, 26 → AA市 … */
export function anonymousCityName(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `${letters}市`;
}

/**
 * Masked names of the anonymous cities among `rows`. The order is stable per survey but not the city-code
 * order (which would hint at the prefecture): the same rule as the respondent workbook (exports/disclosure.ts),
 * so a city is the same A市 on the page and in the workbook.
 */
export function anonymousNames(surveyId: number, rows: Array<{ cityCode: string; disclosure: Disclosure | null }>): Map<string, string> {
  const key = (code: string) => createHash('sha256').update(`${surveyId}:${code}`).digest('hex');
  const codes = rows
    .filter((r) => r.disclosure === 'anonymous')
    .map((r) => r.cityCode)
    .sort((a, b) => key(a).localeCompare(key(b)));
  return new Map(codes.map((code, i) => [code, anonymousCityName(i)]));
}

function cycleLabel(row: PlanInput): string {
  if (row.updateIrregular) return '不定期';
  if (row.updateCycleYears !== null) return `${row.updateCycleYears}年`;
  return '未回答';
}

function tally(labels: string[], order: (a: string, b: string) => number): CountRow[] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => order(a, b)).map(([label, count]) => ({ label, count }));
}

/** Years first in numeric order, then 不定期, then 未回答. */
function cycleOrder(a: string, b: string): number {
  const rank = (l: string) => (l === '未回答' ? 2 : l === '不定期' ? 1 : 0);
  return rank(a) - rank(b) || parseInt(a, 10) - parseInt(b, 10);
}

export interface PlanStatsOptions {
  /** 'respondent' (the default, what a publication shows) applies the listing rule; 'organiser' sees every bar */
  audience?: 'organiser' | 'respondent';
  /** organiser only: name the anonymous cities (「姫路市（A市）」) with their plan names; respondents never see this */
  realNames?: boolean;
}

export function buildPlanStats(surveyId: number, rows: PlanInput[], opts: PlanStatsOptions = {}): PlanStats {
  const withPlanRows = rows.filter((r) => r.hasPlan === true);
  const masked = anonymousNames(surveyId, rows);
  const respondent = (opts.audience ?? 'respondent') === 'respondent';
  const bandOf = (r: PlanInput) => r.bandIndex ?? 0;
  const rule = listingRule(
    rows.map((r) => ({ cityCode: r.cityCode, bandIndex: bandOf(r), disclosure: r.disclosure })),
    Math.max(0, ...rows.map((r) => bandOf(r) + 1)),
  );
  const barsWithheld = respondent && !rule.plansListed;
  const realNames = !respondent && opts.realNames === true;
  // a public city's plan name may name a city that is not shown: masked as in the respondent workbook
  const masks = rows
    .filter((r) => r.disclosure !== 'public')
    .map((r) => ({ name: r.cityName, replacement: masked.get(r.cityCode) ?? '〇〇市', kana: r.cityKana ?? null }))
    .sort((a, b) => b.name.length - a.name.length);

  const nextPlanLabels = [...NEXT_PLANS.map((p) => NEXT_PLAN_LABELS[p]), '未回答'];
  const nextPlans = nextPlanLabels.map((label) => ({
    label,
    count: withPlanRows.filter((r) => (r.nextPlan ? NEXT_PLAN_LABELS[r.nextPlan] : '未回答') === label).length,
  }));

  const withPeriod = withPlanRows.filter((r) => r.periodStart !== null && r.periodEnd !== null);
  const bars: TimelineBar[] = withPeriod
    .filter((r) => !barsWithheld && (r.disclosure === 'public' || r.disclosure === 'anonymous'))
    .map((r) => ({
      name: r.disclosure === 'public' ? r.cityName : realNames ? `${r.cityName}（${masked.get(r.cityCode)!}）` : masked.get(r.cityCode)!,
      disclosure: r.disclosure as 'public' | 'anonymous',
      planName: (r.disclosure === 'public' || realNames) && r.planName ? (respondent ? maskNames(r.planName, masks) : r.planName) : null,
      start: r.periodStart!,
      end: r.periodEnd!,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.name.localeCompare(b.name, 'ja'));

  return {
    respondents: rows.length,
    withPlan: withPlanRows.length,
    withoutPlan: rows.filter((r) => r.hasPlan === false).length,
    withPlanPercent: ratePercent(withPlanRows.length, rows.length),
    updateCycles: tally(withPlanRows.map(cycleLabel), cycleOrder),
    nextPlans,
    timeline: {
      bars,
      hiddenCount: withPeriod.length - bars.length,
      withoutPeriodCount: withPlanRows.length - withPeriod.length,
      withheldMessage: barsWithheld && withPeriod.length > 0 ? SMALL_GROUP_MESSAGE : null,
      firstYear: bars.length ? Math.min(...bars.map((b) => b.start)) : null,
      lastYear: bars.length ? Math.max(...bars.map((b) => b.end)) : null,
    },
  };
}
