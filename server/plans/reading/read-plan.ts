// Reads a plan document (pages of text) into API.md's `reading`: the plan's facts and a suggestion per measure,
// each with evidence. Pure: the extraction worker calls it; the evaluation script and tests call it directly.
import { suggestMeasures, type MeasureLabel, type MeasureSuggestion } from './measures.js';
import { type PlanFields, readPlanFields } from './plan-fields.js';
import { sentencesOf } from './text.js';

export type { MeasureLabel } from './measures.js';

export interface PlanReading {
  plan: PlanFields;
  measures: Record<string, MeasureSuggestion>;
}

export function readPlan(pages: string[], measures: MeasureLabel[]): PlanReading {
  return { plan: readPlanFields(pages), measures: suggestMeasures(sentencesOf(pages), measures) };
}
