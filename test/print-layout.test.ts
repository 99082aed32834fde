// How the workbooks lay text out on paper (exports/print-layout.ts), checked with widths counted by hand:
// a full-width character takes 2 units of a column's width, a half-width one 1.
import { describe, expect, it } from 'vitest';
import { columnPageStarts, displayWidth, rowHeight, rowPageStarts, wrappedLines } from '../exports/print-layout.js';

const LONG_MEASURE = 'ユニバーサルデザインに基づいた機器・システム'; // 22 full-width characters

describe('display width and wrapped lines', () => {
  it('counts a full-width character as 2 and a half-width one as 1', () => {
    expect(displayWidth(LONG_MEASURE)).toBe(44);
    expect(displayWidth('BCPの策定(ICT)')).toBe(3 + 2 * 3 + 5);
    expect(displayWidth('ｶﾅ')).toBe(2);
    expect(displayWidth('')).toBe(0);
  });

  it('wraps the long measure name onto two lines in a column of 42, keeps it on one in a column of 44', () => {
    expect(wrappedLines(LONG_MEASURE, 42)).toBe(2);
    expect(wrappedLines(LONG_MEASURE, 44)).toBe(1);
    // 9 units a line: 4 full-width characters, so 22 characters take 6 lines
    expect(wrappedLines(LONG_MEASURE, 9)).toBe(6);
  });

  it('counts the lines of a text with line breaks, and never breaks a half-width word that fits on a line', () => {
    expect(wrappedLines('一行目\n二行目\n三行目', 20)).toBe(3);
    // 「総務部 情報政策課」 is 18 units; 「joho1@city.example.lg.jp」 (24) moves whole to the next line
    expect(wrappedLines('総務部 情報政策課 joho1@city.example.lg.jp', 30)).toBe(2);
  });

  it('does not start a line with 、 or 。 (the character before moves down with it)', () => {
    // 「あいうえ」 fills 8 units; 「。」 may not start the next line, so 「え。」 goes down together
    expect(wrappedLines('あいうえ。', 8)).toBe(2);
    expect(wrappedLines('あいうえ', 8)).toBe(1);
  });

  it('gives a row the height of its longest wrapped text, in whole pixels', () => {
    const one = rowHeight([{ text: 'ICTガバナンスの強化', width: 42 }]);
    const two = rowHeight([{ text: 'ICTガバナンスの強化', width: 42 }, { text: LONG_MEASURE, width: 42 }]);
    expect(one).toBeGreaterThanOrEqual(15); // a line of 10 pt text
    expect(two).toBeGreaterThanOrEqual(2 * 15);
    expect(rowHeight([{ text: 'あ', width: 10 }], 2)).toBe(two);
    for (const h of [one, two]) expect((h / 0.75) % 1).toBe(0);
  });
});

describe('page breaks', () => {
  it('starts a new page at the row that no longer fits under the repeated title rows', () => {
    // pages of 104 points (100 usable: 4 are kept for rounding), 20 of repeated titles, rows of 20
    const rows = Array.from({ length: 12 }, () => ({ height: 20 }));
    // first page: 20 of titles + 4 rows; later pages: 20 of titles + 4 rows
    expect(rowPageStarts(rows, { pageHeight: 104, firstPageTop: 20, repeatedHeight: 20 })).toEqual([4, 8]);
    // a first page with a 40-point title holds 3 rows
    expect(rowPageStarts(rows, { pageHeight: 104, firstPageTop: 40, repeatedHeight: 20 })).toEqual([3, 7, 11]);
  });

  it('moves a row that must keep with the one before to the next page together with it', () => {
    const rows = [{ height: 20 }, { height: 20 }, { height: 20 }, { height: 20, keepWithPrevious: true }, { height: 20, keepWithPrevious: true }];
    // without the keep, page 2 would start at row 4 (index 4); with it, at index 2
    expect(rowPageStarts(rows, { pageHeight: 84, firstPageTop: 0, repeatedHeight: 0 })).toEqual([2]);
  });

  it('starts a page at each group of columns, and splits a group wider than a page into even parts', () => {
    // columns of width 10 are (10 × 7 + 5) px × 0.75 × 1.1 = 61.875 pt
    const widths = Array.from({ length: 21 }, () => 10);
    const groups = [
      { first: 2, last: 5 },
      { first: 6, last: 9 },
      { first: 10, last: 21 }, // 12 columns, 742.5 pt: two pages of 6
    ];
    // a page of 500 points holds the repeated column A (61.875) and 7 more columns (433.1)
    expect(columnPageStarts(widths, groups, { pageWidth: 500, repeatedColumns: 1 })).toEqual([6, 10, 16]);
  });

  it('lets a few columns of details share their page with the next group when both fit', () => {
    const widths = Array.from({ length: 9 }, () => 10);
    const groups = [
      { first: 2, last: 3, shareWithNext: true },
      { first: 4, last: 6 },
      { first: 7, last: 9 },
    ];
    expect(columnPageStarts(widths, groups, { pageWidth: 500, repeatedColumns: 1 })).toEqual([7]);
    // on a page of 300 points (A and 3 more columns), the details stay on their own page
    expect(columnPageStarts(widths, groups, { pageWidth: 300, repeatedColumns: 1 })).toEqual([4, 7]);
  });
});
