// Deadlines are dates in Japan time (回答期限 2027-01-22 means until the end of that day, JST).
const JST_OFFSET_MS = 9 * 3600_000;

/** 'YYYY-MM-DD' of an instant in Japan time. */
export function japanToday(now: Date): string {
  return new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** true once the deadline day has ended in Japan. */
export function deadlinePassed(deadline: string, now: Date): boolean {
  return japanToday(now) > deadline;
}
