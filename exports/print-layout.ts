// How the workbooks lay out on paper, computed rather than left to the spreadsheet: the display width of
// Japanese text (full-width = 2 units of a column width), the lines a wrapped text takes in a column and
// so the row's height, the printable area of an A4 page, and where the pages break. Pure: no exceljs.

/** Points per line of 10 pt text (游ゴシック and its substitutes need about 1.5 × the font size). */
export const LINE_HEIGHT = 15;
/** Space above and below the text of a row. */
export const ROW_PADDING = 1.5;
/** The height of a row of one line of 10 pt text. */
export const SINGLE_LINE_ROW = LINE_HEIGHT + ROW_PADDING;

// Half-width: ASCII and Latin-1 (control characters never reach a cell: safe-cell.ts removes them), half-width
// katakana and symbols (U+FF61–U+FFDC), and the spaces and hyphens that Japanese fonts draw narrow. Everything
// else (kana, kanji, full-width forms, 「」、。・…) is full-width.
const HALF_WIDTH = /[\u0020-\u00ff\u2000-\u200f\u2010-\u2012\uff61-\uffdc\uffe8-\uffee]/;

/** The width a text takes in a column, in Excel column-width units: a full-width character counts 2, a half-width 1. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += HALF_WIDTH.test(ch) ? 1 : 2;
  return width;
}

// A line may not start with closing punctuation nor end with opening punctuation (禁則), and a run of
// half-width letters or digits is a word that wraps as a whole (as Excel and LibreOffice wrap them).
const NO_LINE_START = /[、。，．,.)）」』】〕〉》・：；:;!！?？ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%％]/;
const NO_LINE_END = /[(（「『【〔〈《]/;

/** The unbreakable pieces of a text, in order (spaces are their own pieces: a line may break after them). */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) {
    const last = out[out.length - 1];
    const halfWord = /[0-9A-Za-z\u00c0-\u00ff'’\-_/@.]/.test(ch);
    if (last !== undefined && (NO_LINE_START.test(ch) || NO_LINE_END.test(last[last.length - 1]) || (halfWord && /[0-9A-Za-z\u00c0-\u00ff'’\-_/@.]$/.test(last)))) {
      out[out.length - 1] = last + ch;
    } else {
      out.push(ch);
    }
  }
  return out;
}

/**
 * The number of lines a wrapped text takes in a column of the given width (Excel units). A column of width w
 * holds w digits and a few pixels of margin; a full-width character, counted 2, is slightly narrower than two
 * digits, so a line of exactly w units fits. A line breaks between any two full-width characters, after a space,
 * or inside a word only when the word alone is wider than the column. Explicit line breaks count.
 */
export function wrappedLines(text: string, columnWidth: number, fontSize = 10): number {
  const capacity = Math.max(1, columnWidth);
  const scale = fontSize / 10;
  let lines = 0;
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    lines++;
    let used = 0;
    for (const piece of pieces(paragraph)) {
      const width = displayWidth(piece) * scale;
      if (piece === ' ' || piece === '\u3000' || used + width <= capacity) {
        used += width;
        continue;
      }
      if (used > 0) lines++;
      // a piece wider than the whole column (a long URL, a mail address) is broken where it overflows
      const extra = Math.ceil(width / capacity) - 1;
      lines += extra;
      used = width - extra * capacity;
    }
  }
  return Math.max(1, lines);
}

export interface WrappedCell {
  text: string;
  /** the column's width, or the sum of the widths of a merged range */
  width: number;
  fontSize?: number;
}

/** The height (points) of a row whose wrapped cells are given: enough lines for the longest, never less than `minLines`. */
export function rowHeight(cells: WrappedCell[], minLines = 1): number {
  let height = minLines * LINE_HEIGHT + ROW_PADDING;
  for (const cell of cells) {
    if (!cell.text) continue;
    const size = cell.fontSize ?? 10;
    const lineHeight = (LINE_HEIGHT * size) / 10;
    height = Math.max(height, wrappedLines(cell.text, cell.width, size) * lineHeight + ROW_PADDING);
  }
  // Excel keeps row heights in whole pixels (0.75 pt at 96 dpi): a height it would round is rounded up here.
  return Math.ceil(height / 0.75) * 0.75;
}

/** Page margins in inches, as the xlsx stores them. */
export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
  header: number;
  footer: number;
}

/** Room for a header line (the survey title) and a footer line (the page number) inside the top and bottom margins. */
export const MARGINS: Margins = { left: 0.4, right: 0.4, top: 0.55, bottom: 0.5, header: 0.2, footer: 0.2 };

export type Orientation = 'portrait' | 'landscape';

/** A4 in points. */
const A4 = { short: 595.28, long: 841.89 };

/** The printable area of an A4 page inside the margins, in points at 100 % scale. */
export function printableArea(orientation: Orientation, margins: Margins = MARGINS): { width: number; height: number } {
  const [w, h] = orientation === 'landscape' ? [A4.long, A4.short] : [A4.short, A4.long];
  return { width: w - (margins.left + margins.right) * 72, height: h - (margins.top + margins.bottom) * 72 };
}

/**
 * A column's printed width in points. Excel draws a column of width w as w × (the default font's digit
 * width) + 5 pixels; the digit width of 10 pt 游ゴシック is 7 px, and 10 % is added for fonts that run wider.
 */
export function columnPoints(width: number): number {
  return (width * 7 + 5) * 0.75 * 1.1;
}

/** One row as the paginator sees it: its height, and whether it must stay on the page of the row before it. */
export interface PrintRow {
  height: number;
  keepWithPrevious?: boolean;
}

/**
 * The indexes of the rows that start a new page. Rows fill a page of `pageHeight` points; the first page also
 * holds `firstPageTop` points above the rows (a title and the table's header), every later page the repeated
 * title rows (`repeatedHeight`). A row that must keep with the one before moves to the next page together with it.
 */
export function rowPageStarts(rows: PrintRow[], opts: { pageHeight: number; firstPageTop: number; repeatedHeight: number }): number[] {
  // a few points of room for the spreadsheet's own rounding of heights and margins
  const room = (top: number) => opts.pageHeight - top - 4;
  const starts: number[] = [];
  let pageStart = 0;
  let used = 0;
  let available = room(opts.firstPageTop);
  for (let i = 0; i < rows.length; i++) {
    if (used + rows[i].height <= available || i === pageStart) {
      used += rows[i].height;
      continue;
    }
    let start = i;
    while (start > pageStart + 1 && rows[start].keepWithPrevious) start--;
    starts.push(start);
    pageStart = start;
    available = room(opts.repeatedHeight);
    used = rows.slice(start, i + 1).reduce((sum, r) => sum + r.height, 0);
  }
  return starts;
}

/** A run of columns that reads together on paper (a category's measures), split only when it is wider than a page. */
export interface ColumnGroup {
  /** 1-based column numbers, inclusive */
  first: number;
  last: number;
  /** may share its page with the next group when both fit on it (a few columns of details before the measures) */
  shareWithNext?: boolean;
}

/**
 * The columns that start a new page when a wide list prints across pages with its first columns repeated:
 * each group starts a page of its own (unless it may share one with the next and both fit), and a group wider
 * than a page is split into parts of about equal width.
 */
export function columnPageStarts(widths: number[], groups: ColumnGroup[], opts: { pageWidth: number; repeatedColumns: number }): number[] {
  const points = (c: number) => columnPoints(widths[c - 1] ?? 10);
  const span = (first: number, last: number) => {
    let sum = 0;
    for (let c = first; c <= last; c++) sum += points(c);
    return sum;
  };
  const capacity = opts.pageWidth - span(1, opts.repeatedColumns);
  const starts: number[] = [];
  groups.forEach((group, g) => {
    const previous = groups[g - 1];
    const shared = previous?.shareWithNext && span(previous.first, group.last) <= capacity;
    if (group.first > opts.repeatedColumns + 1 && !shared) starts.push(group.first);
    const columns = Array.from({ length: group.last - group.first + 1 }, (_, i) => group.first + i);
    const total = span(group.first, group.last);
    if (total <= capacity) return;
    const parts = Math.ceil(total / capacity);
    let split = greedyStarts(columns, points, capacity);
    // the narrowest page width (from an even share up) that still splits the group into `parts` pages
    for (let limit = total / parts; limit < capacity; limit += 2) {
      const even = greedyStarts(columns, points, limit);
      if (even.length + 1 <= parts) {
        split = even;
        break;
      }
    }
    starts.push(...split);
  });
  return starts;
}

function greedyStarts(columns: number[], points: (c: number) => number, limit: number): number[] {
  const starts: number[] = [];
  let used = 0;
  for (const c of columns) {
    const w = points(c);
    if (used > 0 && used + w > limit) {
      starts.push(c);
      used = 0;
    }
    used += w;
  }
  return starts;
}
