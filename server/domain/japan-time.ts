// Japan time (JST, UTC+9, no summer time), the one place its arithmetic is written: a date staff read (回答期限
// 2027-01-22, a log filter's 日付) is a day in Japan, and a time the app shows is Japan time.
const JST_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The instant shifted by nine hours, so that its UTC fields (getUTCHours …) read Japan time. */
export function inJapanTime(instant: Date): Date {
  return new Date(instant.getTime() + JST_OFFSET_MS);
}

/** 'YYYY-MM-DD' of an instant in Japan time. */
export function japanDate(instant: Date): string {
  return inJapanTime(instant).toISOString().slice(0, 10);
}

/** The first instant of a day in Japan ('2027-01-22' → 2027-01-21T15:00:00Z). */
export function japanDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - JST_OFFSET_MS);
}

/** The first instant after a day in Japan: the day is over from then on. */
export function japanDayEnd(day: string): Date {
  return new Date(japanDayStart(day).getTime() + DAY_MS);
}
