// Deadlines are dates in Japan time (回答期限 2027-01-22 means until the end of that day, JST).
import { japanDate } from './japan-time.js';

/** 'YYYY-MM-DD' of today in Japan. */
export function japanToday(now: Date): string {
  return japanDate(now);
}

/** true once the deadline day has ended in Japan. */
export function deadlinePassed(deadline: string, now: Date): boolean {
  return japanToday(now) > deadline;
}
