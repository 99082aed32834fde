// Results use cases: the results object of API.md (also used by the Excel workbooks) and the plan statistics.
// Reads only; the counting is done by one grouped query (repositories/results.ts), the layout by domain/results.ts.
import type { Db } from '../db/database.js';
import { bandsFor } from '../domain/bands.js';
import { buildPlanStats, type PlanStats, type PlanStatsOptions } from '../domain/plan-stats.js';
import { buildResults, type SurveyResults } from '../domain/results.js';
import { countAnswersByBand, countRespondentsByBand, findHostAnswers, listPlanRows } from '../repositories/results.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import { getSurveyOr404 } from './surveys.js';

export interface ComputeResultsOptions {
  /** Include retired measures (flagged `retired: true`); by default they are left out. */
  includeRetired?: boolean;
}

async function resultsOf(db: Db, surveyId: number, opts: ComputeResultsOptions, withPrevious: boolean): Promise<SurveyResults> {
  const survey = await getSurveyOr404(db, surveyId);
  const host = survey.host_city_code;
  const measures = await listMeasures(db, surveyId, { includeRetired: opts.includeRetired });
  const counts = await countAnswersByBand(db, surveyId, host);
  const bandRespondents = await countRespondentsByBand(db, surveyId, host);
  const hostAnswers = await findHostAnswers(db, surveyId, host);

  let previous = null;
  if (withPrevious && survey.copied_from_survey_id !== null) {
    const earlier = await findSurvey(db, survey.copied_from_survey_id);
    if (earlier) {
      const earlierResults = await resultsOf(db, earlier.id, {}, false);
      previous = {
        surveyId: earlier.id,
        title: earlier.title,
        respondents: earlierResults.respondents,
        rates: new Map(earlierResults.measures.map((m) => [m.code, m.ratePercent])),
      };
    }
  }

  return buildResults({
    surveyId,
    hostCityCode: host,
    bands: bandsFor(survey.band_thresholds),
    bandRespondents,
    measures: measures.map((m) => ({ id: m.id, code: m.code, category: m.category, label: m.label, retired: m.retired_at !== null })),
    counts,
    hostAnswers,
    previous,
  });
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
