// Which survey status moves are allowed (API.md): draft→open, open→closed, closed→open, closed→published, and
// published→closed (withdrawing a publication in order to correct and publish again).
import type { SurveyStatus } from './glossary.js';

const ALLOWED: Record<SurveyStatus, SurveyStatus[]> = {
  draft: ['open'],
  open: ['closed'],
  closed: ['open', 'published'],
  published: ['closed'],
};

export function canMoveSurvey(from: SurveyStatus, to: SurveyStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedMoves(from: SurveyStatus): SurveyStatus[] {
  return ALLOWED[from];
}
