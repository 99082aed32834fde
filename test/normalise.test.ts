// Normalisation and checks of what respondents type: phone numbers, kana names, e-mail, latest number.
import { describe, expect, it } from 'vitest';
import { halfToFullKatakana, isEmail, isKatakanaName, isPhoneNumber, normaliseEmail, normaliseKana, normalisePhone } from '../server/domain/normalise.js';
import { EMPTY_ANSWERS, normaliseResponse, parseLatestNumber, validateForSubmit } from '../server/domain/response.js';

describe('phone numbers', () => {
  it.each([
    ['０７９８－３５－３１５１', '0798-35-3151'],
    ['0798ー35ー3151', '0798-35-3151'],
    [' 0798‐35‐3151 ', '0798-35-3151'],
    ['(0798) 35 3151', '0798-35-3151'],
    ['0798353151', '0798353151'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
    expect(isPhoneNumber(expected)).toBe(true);
  });
  it.each(['12-34', '0798-35-31', '03-1234-567890', 'abc', '0798-35-3151 内線'])('refuses %s', (input) => {
    expect(isPhoneNumber(normalisePhone(input))).toBe(false);
  });
});

describe('kana names', () => {
  it('half-width katakana with voiced marks becomes full-width', () => {
    expect(halfToFullKatakana('ﾆｼﾉﾐﾔ ﾀﾛｳ')).toBe('ニシノミヤ タロウ');
    expect(halfToFullKatakana('ｶﾞｸﾎﾟﾝ ｳﾞｨｰ')).toBe('ガクポン ヴィー');
  });
  it('trims and folds ideographic spaces', () => {
    expect(normaliseKana('　ニシノミヤ　　タロウ ')).toBe('ニシノミヤ タロウ');
  });
  it('accepts katakana, spaces and ー only', () => {
    expect(isKatakanaName('ニシノミヤ タロウ')).toBe(true);
    expect(isKatakanaName('サトー')).toBe(true);
    expect(isKatakanaName('にしのみや')).toBe(false);
    expect(isKatakanaName('西宮 タロウ')).toBe(false);
    expect(isKatakanaName('Taro')).toBe(false);
    expect(isKatakanaName('ー ー')).toBe(false);
  });
});

describe('e-mail', () => {
  it('folds full-width characters and checks the format', () => {
    expect(normaliseEmail(' ｊｏｈｏ＠example.lg.jp ')).toBe('joho@example.lg.jp');
    expect(isEmail('joho@city.nishinomiya.lg.jp')).toBe(true);
    expect(isEmail('joho@localhost')).toBe(false);
    expect(isEmail('joho city@example.jp')).toBe(false);
  });
});

describe('latest number (最新番号)', () => {
  it.each([
    ['第4次', 4],
    ['第四次', 4],
    ['第４次', 4],
    ['4', 4],
    ['第十二次', 12],
    ['第二十次', 20],
    [7, 7],
  ])('%s → %i', (input, n) => {
    expect(parseLatestNumber(input)).toBe(n);
  });
  it('cannot read free text', () => {
    expect(parseLatestNumber('最新版')).toBeUndefined();
  });
});

describe('response normalisation and submit validation', () => {
  const measures = [{ code: 'M01', label: 'ICTガバナンスの強化' }];
  it('「計画なし」 relaxes every other plan question', () => {
    const { answers, errors } = normaliseResponse(
      { contact: { department: '情報企画課', personKana: 'タロウ', phone: '0798-35-3151', email: 'a@example.jp' }, plan: { hasPlan: false }, disclosure: 'private', measures: { M01: 'none' } },
      EMPTY_ANSWERS,
      measures,
    );
    expect(errors).toEqual([]);
    expect(validateForSubmit(answers, measures)).toEqual([]);
  });
  it('the update cycle must be 1–20 years, or 不定期, not both', () => {
    expect(normaliseResponse({ plan: { updateCycleYears: 0 } }, EMPTY_ANSWERS, measures).errors[0].path).toBe('/plan/updateCycleYears');
    expect(normaliseResponse({ plan: { updateCycleYears: '20年' } }, EMPTY_ANSWERS, measures).answers.plan.updateCycleYears).toBe(20);
    const both = normaliseResponse({ plan: { hasPlan: true, updateCycleYears: 5, updateCycleIrregular: true } }, EMPTY_ANSWERS, measures).answers;
    expect(validateForSubmit(both, measures).map((e) => e.path)).toContain('/plan/updateCycleYears');
  });
  it('an unknown measure code or answer is an error, not silently dropped', () => {
    const { errors } = normaliseResponse({ measures: { M99: 'implemented', M01: 'maybe' } }, EMPTY_ANSWERS, measures);
    expect(errors.map((e) => e.path)).toEqual(['/measures/M99', '/measures/M01']);
  });
});

describe('kana and kanji numerals as a city office writes them', () => {
  it('ひらがな in the kana field becomes カタカナ instead of being refused', () => {
    expect(normaliseKana('にしのみや　たろう')).toBe('ニシノミヤ タロウ');
    expect(isKatakanaName(normaliseKana('にしのみや たろう'))).toBe(true);
    expect(normaliseKana('ﾆｼﾉﾐﾔ')).toBe('ニシノミヤ');
  });

  it('「五年」「五年ごと」「十年」 read as update cycles like 「第四次」 as an edition', () => {
    for (const [text, years] of [['五年', 5], ['五年ごと', 5], ['十年', 10], ['５年ごと', 5]] as const) {
      const { answers, errors } = normaliseResponse({ plan: { updateCycleYears: text } }, EMPTY_ANSWERS, []);
      expect(errors, text).toEqual([]);
      expect(answers.plan.updateCycleYears, text).toBe(years);
    }
  });
});
