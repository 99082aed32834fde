// 和暦 ⇄ 西暦 for fiscal years, as respondents type them.
import { describe, expect, it } from 'vitest';
import { formatDeadline } from '../server/domain/deadlines.js';
import { formatDateWareki, formatFiscalYear, formatWarekiFiscalYear, parseFiscalYear, parsePeriod } from '../server/domain/wareki.js';

describe('parseFiscalYear', () => {
  it.each([
    ['2014', 2014],
    ['２０１４', 2014],
    ['2014年度', 2014],
    [' 2018年 ', 2018],
    ['平成26年度', 2014],
    ['平成26年', 2014],
    ['平成26', 2014],
    ['H26', 2014],
    ['h26', 2014],
    ['Ｈ２６', 2014],
    ['H.26', 2014],
    ['平成元年度', 1989],
    ['令和2年度', 2020],
    ['R2', 2020],
    ['令和元年度', 2019],
    ['R元', 2019],
    ['㍻30', 2018],
    ['昭和64年', 1989],
  ])('%s → %i', (input, year) => {
    expect(parseFiscalYear(input)).toBe(year);
  });

  it('平成31 and later 平成 years, used by plans written before the era change, map to 2019 and later', () => {
    expect(parseFiscalYear('平成31年度')).toBe(2019);
    expect(parseFiscalYear('H32')).toBe(2020);
    expect(parseFiscalYear('平成35年度')).toBe(2023);
  });

  it('accepts an integer as is', () => {
    expect(parseFiscalYear(2020)).toBe(2020);
  });

  it.each(['', '平成', 'H', '26', 'X26', '平成0年', '2014-15', 'いつか'])('cannot read %j', (input) => {
    expect(parseFiscalYear(input)).toBeUndefined();
  });
});

describe('parsePeriod (one cell, as in the 2018 調査票)', () => {
  it('「平成26年～30年」 → 2014–2018, the end inheriting the era', () => {
    expect(parsePeriod('平成26年～30年')).toEqual({ start: 2014, end: 2018 });
  });
  it('mixed eras and 西暦', () => {
    expect(parsePeriod('H30〜R4')).toEqual({ start: 2018, end: 2022 });
    expect(parsePeriod('2021-2025')).toEqual({ start: 2021, end: 2025 });
  });
  it('a bare end year after a 西暦 start is unreadable', () => {
    expect(parsePeriod('2014～30')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('names the era year of a fiscal year', () => {
    expect(formatWarekiFiscalYear(2014)).toBe('平成26年度');
    expect(formatWarekiFiscalYear(2019)).toBe('令和元年度');
    expect(formatWarekiFiscalYear(2020)).toBe('令和2年度');
    expect(formatFiscalYear(2018)).toBe('2018年度（平成30年度）');
    expect(formatFiscalYear(null)).toBe('');
  });
});

describe('dates as a deadline is written (和暦 and the weekday)', () => {
  // calendar facts: 令和 began on Wednesday 1 May 2019, the day after 平成31年4月30日 (Tuesday);
  // 平成 began on Sunday 8 January 1989, the day after 昭和64年1月7日 (Saturday); 22 January 2027 is a Friday.
  it.each([
    ['2019-05-01', '令和元年5月1日（水）'],
    ['2019-04-30', '平成31年4月30日（火）'],
    ['1989-01-08', '平成元年1月8日（日）'],
    ['1989-01-07', '昭和64年1月7日（土）'],
    ['2027-01-22', '令和9年1月22日（金）'],
    ['2020-02-29', '令和2年2月29日（土）'],
    ['2026-12-25', '令和8年12月25日（金）'],
  ])('%s → %s', (iso, text) => {
    expect(formatDateWareki(iso)).toBe(text);
  });

  it('puts 西暦 beside the era year when asked', () => {
    expect(formatDateWareki('2027-01-22', { gregorian: true })).toBe('令和9年（2027年）1月22日（金）');
    expect(formatDateWareki('2019-05-01', { gregorian: true })).toBe('令和元年（2019年）5月1日（水）');
  });

  it("writes a survey's deadline with 西暦 only where the survey says so", () => {
    expect(formatDeadline({ deadline: '2027-01-22', deadline_gregorian: false })).toBe('令和9年1月22日（金）');
    expect(formatDeadline({ deadline: '2027-01-22', deadline_gregorian: true })).toBe('令和9年（2027年）1月22日（金）');
  });

  it('leaves anything that is not a date as it is', () => {
    expect(formatDateWareki('')).toBe('');
    expect(formatDateWareki(null)).toBe('');
    expect(formatDateWareki('未定')).toBe('未定');
  });
});
