// The wording a copied round carries over from the previous one: years, eras, fiscal years, dates and edition
// numbers are found (the trial's copied intro kept 第4次 and 平成30年度 unnoticed), with a hint for each.
import { describe, expect, it } from 'vitest';
import { findRoundWording, markedSegments } from '../server/domain/round-wording.js';

const INTRO_2018 =
  '西宮市では、平成30年度に第4次情報化推進計画（2014年度～2018年度）の見直しを行います。' +
  '御回答は2018年10月31日（水）までにお願いします。電話 0798-35-3151';

describe('finding round-bound wording', () => {
  it('finds the 2018 intro\'s era year, edition, fiscal years and deadline, and nothing in the phone number', () => {
    const spans = findRoundWording(INTRO_2018, { previousYear: 2018, currentYear: 2026 });
    expect(spans.map((s) => [s.text, s.kind, s.year ?? null, s.previousRound])).toEqual([
      ['平成30年度', 'fiscal-year', 2018, true],
      ['第4次', 'edition', null, false],
      ['2014年度', 'fiscal-year', 2014, false],
      ['2018年度', 'fiscal-year', 2018, true],
      ['2018年10月31日', 'date', 2018, true],
    ]);
    for (const s of spans) expect(INTRO_2018.slice(s.start, s.end)).toBe(s.text);
  });

  it('suggests the shifted year and the next edition', () => {
    const [heisei, edition, , , deadline] = findRoundWording(INTRO_2018, { previousYear: 2018, currentYear: 2026 });
    expect(heisei.hint).toBe('前回の調査の年（2018年度（平成30年度））です。今回は 2026年度（令和8年度） ではないか確認してください。');
    expect(edition.hint).toContain('第4次 → 第5次');
    expect(deadline.hint).toBe('前回の調査の年（2018年（平成30年））の日付です。今回は 2026年（令和8年） ではないか確認してください。');
  });

  it('reads 令和元年, R2, H30, full-width digits, kanji editions, ISO dates and dates without a year', () => {
    const text = '令和元年5月1日、R2年度、H30、２０１８年度、第四次、第十二回、2018-10-31、10月31日まで';
    const spans = findRoundWording(text, { previousYear: 2018 });
    expect(spans.map((s) => [s.text, s.kind, s.year ?? null])).toEqual([
      ['令和元年5月1日', 'date', 2019],
      ['R2年度', 'fiscal-year', 2020],
      ['H30', 'fiscal-year', 2018],
      ['２０１８年度', 'fiscal-year', 2018],
      ['第四次', 'edition', null],
      ['第十二回', 'edition', null],
      ['2018-10-31', 'date', 2018],
      ['10月31日', 'date', null],
    ]);
    expect(spans[4].hint).toContain('第4次 → 第5次');
    expect(spans[5].hint).toContain('第12回 → 第13回');
    // without this round's year, no year is suggested
    expect(spans[2].hint).toBe('前回の調査の年（2018年度（平成30年度））です。今回の調査に合わせて直す必要がないか確認してください。');
  });

  it('a deadline early in the year belongs to the fiscal year before: both years count as the previous round', () => {
    const spans = findRoundWording('平成29年度と平成30年度と令和元年度', { previousYear: 2018 });
    expect(spans.map((s) => s.previousRound)).toEqual([true, true, false]);
  });

  it('leaves text without years alone', () => {
    expect(findRoundWording('各市の情報化の取組について御回答ください。RPA、AI-OCR、第三者認証', { previousYear: 2018 })).toEqual([]);
  });
});

describe('cutting the text for the page', () => {
  it('the segments put the text back together, with the spans marked', () => {
    const text = '平成30年度の第4次計画';
    const segments = markedSegments(text, findRoundWording(text, { previousYear: 2018 }));
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.map((s) => [s.text, s.mark !== undefined])).toEqual([
      ['平成30年度', true],
      ['の', false],
      ['第4次', true],
      ['計画', false],
    ]);
  });
});
