// Input shapes of the workbook builders: plain data (no database, no HTTP), mirroring API.md's
// results object and «A response», so that the builders stay pure and testable without a server.
import type { Answer, Disclosure, NextPlan, ResponseStatus } from '../server/domain/glossary.js';

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

export interface ContactAnswers {
  department: string;
  personKana: string;
  phone: string;
  email: string;
}

export interface PlanAnswers {
  hasPlan: boolean | null;
  name: string;
  /** 第N次: the number, or text as the respondent wrote it */
  latestNumber: number | string | null;
  updateCycleYears: number | null;
  /** 更新頻度が「不定期」 */
  updateCycleIrregular?: boolean;
  periodStart: number | null;
  periodEnd: number | null;
  nextPlan: NextPlan | null;
  notes: string;
}

/** API.md «A response» (without version). */
export interface ResponseAnswers {
  contact: ContactAnswers;
  plan: PlanAnswers;
  disclosure: Disclosure | null;
  measures: Record<string, Answer>;
}

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
  answers: ResponseAnswers | null;
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
