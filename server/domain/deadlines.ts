// Deadlines are dates in Japan time (回答期限 2027-01-22 means until the end of that day, JST), and how pages and
// mails write them.
import { japanDate, japanDayEnd } from './japan-time.js';
import { formatDateWareki } from './wareki.js';

/** 'YYYY-MM-DD' of today in Japan. */
export function japanToday(now: Date): string {
  return japanDate(now);
}

/** true once the deadline day has ended in Japan. */
export function deadlinePassed(deadline: string, now: Date): boolean {
  return japanToday(now) > deadline;
}

/** The first instant at which deadlinePassed() is true. */
export function deadlinePassesAt(deadline: string): Date {
  return japanDayEnd(deadline);
}

/** A survey's deadline as every page and mail writes it: 令和9年1月22日（金）, or 令和9年（2027年）1月22日（金）. */
export function formatDeadline(survey: { deadline: string; deadline_gregorian?: boolean | null }): string {
  return formatDateWareki(survey.deadline, { gregorian: survey.deadline_gregorian === true });
}
