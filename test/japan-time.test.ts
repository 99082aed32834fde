// Japan time: a day staff name (a deadline, a log filter's date) is a day in Japan, UTC+9 all year.
import { describe, expect, it } from 'vitest';
import { japanDate, japanDayEnd, japanDayStart } from '../server/domain/japan-time.js';
import { deadlinePassed } from '../server/domain/deadlines.js';

describe('Japan time', () => {
  it('a Japanese day starts at 15:00 UTC of the day before and ends 24 hours later', () => {
    expect(japanDayStart('2027-01-22').toISOString()).toBe('2027-01-21T15:00:00.000Z');
    expect(japanDayEnd('2027-01-22').toISOString()).toBe('2027-01-22T15:00:00.000Z');
    // no summer time: the same in July
    expect(japanDayStart('2026-07-01').toISOString()).toBe('2026-06-30T15:00:00.000Z');
  });

  it('an instant belongs to the Japanese date it reads as in Tokyo', () => {
    expect(japanDate(new Date('2027-01-21T14:59:59Z'))).toBe('2027-01-21');
    expect(japanDate(new Date('2027-01-21T15:00:00Z'))).toBe('2027-01-22');
    expect(japanDate(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
  });

  it('a deadline has passed only once its whole day is over in Japan', () => {
    expect(deadlinePassed('2027-01-22', new Date('2027-01-22T14:59:59Z'))).toBe(false);
    expect(deadlinePassed('2027-01-22', new Date('2027-01-22T15:00:00Z'))).toBe(true);
  });
});
