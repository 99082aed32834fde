// The results table (API.md «Results») from grouped answer counts: pure, no I/O, tested without a database.
// Rates use integer arithmetic (hundredths of a percent, rounded half-up) so 15/48 is exactly 31.25.
import type { Band } from './bands.js';
import type { Answer } from './glossary.js';

export interface BandCount {
  implemented: number;
  studying: number;
  total: number;
}

export interface ResultBand extends Band {
  respondents: number;
}

export interface MeasureResult {
  code: string;
  category: string;
  label: string;
  counts: BandCount[];
  implemented: number;
  studying: number;
  total: number;
  ratePercent: number | null;
  host: Answer | null;
  /** How many counted respondents answered this measure at all (fewer than `respondents` for a measure added later). */
  answered: number;
  /** Retired measures appear only when asked for. */
  retired: boolean;
  /** Round over round (only when the survey was copied from an earlier one). */
  previousRatePercent: number | null;
  /** Percentage points, current − previous; null when there is nothing to compare. */
  rateChange: number | null;
  /** True when the survey has an earlier round and this measure's code was not in it. */
  newThisRound: boolean;
}

export interface SurveyResults {
  surveyId: number;
  respondents: number;
  denominator: number;
  bands: ResultBand[];
  measures: MeasureResult[];
  hostCityCode: string;
  /** True once the host city has a submitted response. */
  hostAnswered: boolean;
  /** The earlier round this survey was copied from, if any. */
  previousRound: { surveyId: number; title: string; respondents: number } | null;
}

/** One row of the grouped count query: how many counted responses gave `answer` to a measure in a band. */
export interface AnswerCountRow {
  measureId: number;
  bandIndex: number;
  answer: Answer;
  count: number;
}

export interface ResultsInput {
  surveyId: number;
  hostCityCode: string;
  bands: Band[];
  /** Counted (submitted, non-host) respondents per band index. */
  bandRespondents: Array<{ bandIndex: number; count: number }>;
  measures: Array<{ id: number; code: string; category: string; label: string; retired: boolean }>;
  counts: AnswerCountRow[];
  /** The host's own answers by measure id; null when the host has not submitted. */
  hostAnswers: Map<number, Answer> | null;
  previous?: { surveyId: number; title: string; respondents: number; rates: Map<string, number | null> } | null;
}

/** Rate in hundredths of a percent, rounded half-up, as an integer: 15/48 → 3125, 23/48 → 4792. */
export function rateHundredths(total: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  // round(total × 10000 / denominator) half-up, in integers: floor((2·t·10000 + d) / (2·d))
  return Math.floor((2 * total * 10000 + denominator) / (2 * denominator));
}

/** total / denominator × 100 rounded half-up to 2 decimals, or null with no denominator. */
export function ratePercent(total: number, denominator: number): number | null {
  const h = rateHundredths(total, denominator);
  return h === null ? null : h / 100;
}

/** current − previous in percentage points, computed on hundredths so 47.92 − 31.25 is exactly 16.67. */
export function rateDifference(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  return (Math.round(current * 100) - Math.round(previous * 100)) / 100;
}

const clampBand = (index: number, bandCount: number) => Math.min(Math.max(index, 0), bandCount - 1);

export function buildResults(input: ResultsInput): SurveyResults {
  const bandCount = input.bands.length;
  const bandRespondents = new Array<number>(bandCount).fill(0);
  for (const b of input.bandRespondents) bandRespondents[clampBand(b.bandIndex, bandCount)] += b.count;
  const respondents = bandRespondents.reduce((a, b) => a + b, 0);

  const perMeasure = new Map<number, { counts: BandCount[]; answered: number }>();
  for (const m of input.measures) {
    perMeasure.set(m.id, { counts: input.bands.map(() => ({ implemented: 0, studying: 0, total: 0 })), answered: 0 });
  }
  for (const row of input.counts) {
    const entry = perMeasure.get(row.measureId);
    if (!entry) continue; // a retired measure left out of the table
    entry.answered += row.count;
    if (row.answer === 'none') continue;
    const cell = entry.counts[clampBand(row.bandIndex, bandCount)];
    cell[row.answer] += row.count;
    cell.total += row.count;
  }

  const previous = input.previous ?? null;
  const measures: MeasureResult[] = input.measures.map((m) => {
    const { counts, answered } = perMeasure.get(m.id)!;
    const implemented = counts.reduce((a, c) => a + c.implemented, 0);
    const studying = counts.reduce((a, c) => a + c.studying, 0);
    const total = implemented + studying;
    const rate = ratePercent(total, respondents);
    const hasPrevious = previous !== null && previous.rates.has(m.code);
    const previousRatePercent = hasPrevious ? previous.rates.get(m.code)! : null;
    return {
      code: m.code,
      category: m.category,
      label: m.label,
      counts,
      implemented,
      studying,
      total,
      ratePercent: rate,
      host: input.hostAnswers?.get(m.id) ?? null,
      answered,
      retired: m.retired,
      previousRatePercent,
      rateChange: rateDifference(rate, previousRatePercent),
      newThisRound: previous !== null && !hasPrevious,
    };
  });

  return {
    surveyId: input.surveyId,
    respondents,
    denominator: respondents,
    bands: input.bands.map((b, i) => ({ ...b, respondents: bandRespondents[i] })),
    measures,
    hostCityCode: input.hostCityCode,
    hostAnswered: input.hostAnswers !== null,
    previousRound: previous ? { surveyId: previous.surveyId, title: previous.title, respondents: previous.respondents } : null,
  };
}

/** Rate of one band for one measure (the band comparison chart), or null when the band has no respondents. */
export function bandRatePercent(count: BandCount, band: ResultBand): number | null {
  return ratePercent(count.total, band.respondents);
}

export const RESULT_SORTS = ['order', 'rate-desc', 'rate-asc'] as const;
export type ResultSort = (typeof RESULT_SORTS)[number];
export const RESULT_SORT_LABELS: Record<ResultSort, string> = {
  order: '調査票の順',
  'rate-desc': '実施・検討率の高い順',
  'rate-asc': '実施・検討率の低い順',
};

/** Reads ?sort= leniently (`rate` means highest first); anything unknown is the questionnaire order. */
export function parseResultSort(value: unknown): ResultSort {
  if (value === 'rate') return 'rate-desc';
  return (RESULT_SORTS as readonly unknown[]).includes(value) ? (value as ResultSort) : 'order';
}

export interface TableRow extends MeasureResult {
  /** > 0 on the first row of a 分類 group (the cell's rowspan), 0 on the rows it spans. */
  categoryRowspan: number;
}

/**
 * The table's rows: filtered by 分類 (when given and known), sorted by rate (nulls last, ties in survey order)
 * or kept in survey order with 分類 cells grouped by rowspan.
 */
export function arrangeMeasures(measures: MeasureResult[], opts: { sort: ResultSort; category?: string }): TableRow[] {
  const filtered = opts.category ? measures.filter((m) => m.category === opts.category) : measures.slice();
  if (opts.sort !== 'order') {
    const dir = opts.sort === 'rate-desc' ? -1 : 1;
    filtered.sort((a, b) => {
      if (a.ratePercent === null || b.ratePercent === null) return (a.ratePercent === null ? 1 : 0) - (b.ratePercent === null ? 1 : 0);
      return dir * (a.ratePercent - b.ratePercent);
    });
    return filtered.map((m) => ({ ...m, categoryRowspan: 1 }));
  }
  return filtered.map((m, i) => {
    if (i > 0 && filtered[i - 1].category === m.category) return { ...m, categoryRowspan: 0 };
    let span = 1;
    while (i + span < filtered.length && filtered[i + span].category === m.category) span++;
    return { ...m, categoryRowspan: span };
  });
}

/** The 分類 of the measures, in survey order, without repeats. */
export function categoriesOf(measures: MeasureResult[]): string[] {
  return [...new Set(measures.map((m) => m.category))];
}
