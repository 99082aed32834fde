// Results use cases: the results object of API.md (also used by the Excel workbooks) and the plan statistics.
// Reads only; the counting is done by one grouped query (repositories/results.ts), the layout by domain/results.ts.
// computeResults is the full recount; services/results-cache.ts keeps the counts response by response instead.
import type { Db } from '../db/database.js';
import { bandsFor } from '../domain/bands.js';
import { buildPlanStats, type PlanStats, type PlanStatsOptions } from '../domain/plan-stats.js';
import { buildResults, type ResultsInput, type SurveyResults } from '../domain/results.js';
import { countAnswersByBand, countRespondentsByBand, findHostAnswers, listPlanRows } from '../repositories/results.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import { getSurveyOr404 } from './surveys.js';

export interface ComputeResultsOptions {
  /** Include retired measures (flagged `retired: true`); by default they are left out. */
  includeRetired?: boolean;
}

/** Everything the results take besides the counts: the survey, its bands and measures, the earlier round's rates. */
export interface ResultsFrame {
  surveyId: number;
  hostCityCode: string;
  bands: ResultsInput['bands'];
  measures: ResultsInput['measures'];
  previous: ResultsInput['previous'];
}

/** The counts as the grouped queries (or domain/results-tally.ts) give them. */
export type ResultsCounts = Pick<ResultsInput, 'counts' | 'bandRespondents' | 'hostAnswers'>;

/** The frame of a survey's results (404 DomainError when the survey does not exist). */
export async function loadResultsFrame(db: Db, surveyId: number, opts: ComputeResultsOptions = {}): Promise<ResultsFrame> {
  return frameOf(db, surveyId, opts, true);
}

async function frameOf(db: Db, surveyId: number, opts: ComputeResultsOptions, withPrevious: boolean): Promise<ResultsFrame> {
  const survey = await getSurveyOr404(db, surveyId);
  const measures = await listMeasures(db, surveyId, { includeRetired: opts.includeRetired });
  let previous = null;
  if (withPrevious && survey.copied_from_survey_id !== null) {
    const earlier = await findSurvey(db, survey.copied_from_survey_id);
    const earlierResults = earlier && (await resultsOf(db, earlier.id, {}, false));
    // a round nobody answered has no rates to compare with (its 0 % would read as a change)
    if (earlier && earlierResults && earlierResults.respondents > 0) {
      previous = {
        surveyId: earlier.id,
        title: earlier.title,
        respondents: earlierResults.respondents,
        rates: new Map(earlierResults.measures.map((m) => [m.code, m.ratePercent])),
      };
    }
  }
  return {
    surveyId,
    hostCityCode: survey.host_city_code,
    bands: bandsFor(survey.band_thresholds),
    measures: measures.map((m) => ({ id: m.id, code: m.code, category: m.category, label: m.label, retired: m.retired_at !== null })),
    previous,
  };
}

/** The results object from a frame and the counts. */
export function resultsFrom(frame: ResultsFrame, counts: ResultsCounts): SurveyResults {
  return buildResults({ ...frame, ...counts });
}

async function resultsOf(db: Db, surveyId: number, opts: ComputeResultsOptions, withPrevious: boolean): Promise<SurveyResults> {
  const frame = await frameOf(db, surveyId, opts, withPrevious);
  const host = frame.hostCityCode;
  const counts = await countAnswersByBand(db, surveyId, host);
  const bandRespondents = await countRespondentsByBand(db, surveyId, host);
  const hostAnswers = await findHostAnswers(db, surveyId, host);
  return resultsFrom(frame, { counts, bandRespondents, hostAnswers });
}

/**
 * The results of a survey exactly as GET /api/v1/surveys/:id/results returns them (404 DomainError when the
 * survey does not exist). Only submitted responses count; the host city appears only as `host`.
 */
export async function computeResults(db: Db, surveyId: number, opts: ComputeResultsOptions = {}): Promise<SurveyResults> {
  return resultsOf(db, surveyId, opts, true);
}

/**
 * Plan statistics of the counted (submitted, non-host) responses: share with a plan, update cycles,
 * plan periods (public cities named, anonymous ones as A市, B市… as in the respondent workbook, private ones only counted),
 * next-plan intentions.
 */
export async function computePlanStats(db: Db, surveyId: number, opts: PlanStatsOptions = {}): Promise<PlanStats> {
  const survey = await getSurveyOr404(db, surveyId);
  return buildPlanStats(surveyId, await listPlanRows(db, surveyId, survey.host_city_code), opts);
}
