// Input shapes of the workbook builders: plain data (no database, no HTTP), mirroring API.md's results
// object; a response is the domain's own type, so that the builders stay pure and testable without a server.
import type { Answer, ResponseStatus } from '../server/domain/glossary.js';
import type { PlanAnswers as DomainPlanAnswers, ResponseAnswers } from '../server/domain/response.js';

export interface ResultsBand {
  label: string;
  min: number;
  max: number | null;
  respondents: number;
}

export interface ResultsMeasure {
  code: string;
  category: string;
  label: string;
  counts: Array<{ implemented: number; studying: number; total: number }>;
  implemented: number;
  studying: number;
  total: number;
  /** null when nobody has answered yet */
  ratePercent: number | null;
  host: Answer | null;
}

/** API.md «Results». */
export interface ResultsData {
  surveyId: number;
  respondents: number;
  denominator: number;
  bands: ResultsBand[];
  measures: ResultsMeasure[];
}

export interface SurveyInfo {
  id: number;
  title: string;
  hostCityName: string;
  /** the date printed in the title row, 'YYYY-MM-DD' */
  date: string;
  /** a published edition (第N版): printed in the title row with its publication date */
  edition?: number;
}

/**
 * «A response» as the workbooks take it: the domain's answers (server/domain/response.ts), where 第N次 may also
 * come as the text written (e.g. 「第3次」) and 不定期 may be absent (false).
 */
export type PlanAnswers = Omit<DomainPlanAnswers, 'latestNumber' | 'updateCycleIrregular'> & {
  latestNumber: DomainPlanAnswers['latestNumber'] | string;
  updateCycleIrregular?: boolean;
};
export type WorkbookAnswers = Omit<ResponseAnswers, 'plan'> & { plan: PlanAnswers };
/** The name the builders' callers (and test fixtures) know it by. */
export type { WorkbookAnswers as ResponseAnswers };

/** One participant of a survey with its response and invitation history (organiser's view). */
export interface ParticipantRecord {
  cityCode: string;
  cityName: string;
  /** the roster's reading (市名カナ), when known: masked with the name for cities that must not be named */
  cityKana?: string | null;
  prefecture: string;
  population: number;
  bandIndex: number;
  isHost: boolean;
  status: ResponseStatus | 'not_started';
  invitedAt: Date | null;
  mailedAt: Date | null;
  openedAt: Date | null;
  updatedAt: Date | null;
  submittedAt: Date | null;
  answers: WorkbookAnswers | null;
}

export interface OrganiserWorkbookData {
  survey: SurveyInfo;
  results: ResultsData;
  participants: ParticipantRecord[];
}

export interface RespondentWorkbookData extends OrganiserWorkbookData {
  /** the city downloading the workbook */
  cityCode: string;
}
