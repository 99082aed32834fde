// Which survey status moves are allowed (API.md): draft→open, open→closed, closed→open, closed→published.
import type { SurveyStatus } from './glossary.js';

const ALLOWED: Record<SurveyStatus, SurveyStatus[]> = {
  draft: ['open'],
  open: ['closed'],
  closed: ['open', 'published'],
  published: [],
};

export function canMoveSurvey(from: SurveyStatus, to: SurveyStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedMoves(from: SurveyStatus): SurveyStatus[] {
  return ALLOWED[from];
}
