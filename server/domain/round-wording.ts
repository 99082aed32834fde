// The parts of a copied round's texts (intro, mail subjects and bodies) that are tied to the round they were
// written for: years (西暦・和暦), fiscal years, dates and edition numbers (第4次 …). Pure. The review page marks
// them so that wording such as 「平成30年度」「第4次」 from the previous round is not sent out again unnoticed.
import { formatFiscalYear, formatWarekiFiscalYear, parseFiscalYear } from './wareki.js';

export type WordingKind = 'date' | 'year' | 'fiscal-year' | 'edition';

export interface WordingSpan {
  start: number;
  end: number;
  text: string;
  kind: WordingKind;
  /** the Gregorian year the span names, when it names one */
  year?: number;
  /** the year is the previous round's (its deadline year or the fiscal year before it) */
  previousRound: boolean;
  /** one sentence for the organiser: what the span is and what it might become */
  hint: string;
}

const D = '[0-9０-９]';
const ERA = '(?:令和|平成|昭和)';
const KANJI_DIGITS = '〇一二三四五六七八九十';
// In priority order: a date before the year it contains, a fiscal year before a bare year.
const PATTERNS: Array<{ kind: WordingKind; source: string }> = [
  { kind: 'date', source: `${ERA}\\s*(?:元|${D}{1,2})\\s*年\\s*${D}{1,2}\\s*月(?:\\s*${D}{1,2}\\s*日)?` },
  { kind: 'date', source: `(?<!${D})${D}{4}\\s*年\\s*${D}{1,2}\\s*月(?:\\s*${D}{1,2}\\s*日)?` },
  { kind: 'date', source: `(?<!${D})${D}{4}[-/／.]${D}{1,2}[-/／.]${D}{1,2}(?!${D})` },
  { kind: 'date', source: `(?<!${D}|年\\s*)${D}{1,2}\\s*月\\s*${D}{1,2}\\s*日` },
  { kind: 'fiscal-year', source: `${ERA}\\s*(?:元|${D}{1,2})\\s*年度` },
  { kind: 'year', source: `${ERA}\\s*(?:元|${D}{1,2})\\s*年` },
  { kind: 'fiscal-year', source: `(?<![A-Za-z0-9])[RHrh]\\.?\\s*${D}{1,2}(?:年度)?(?![0-9０-９A-Za-z])` },
  { kind: 'fiscal-year', source: `(?<!${D})(?:19|20|１９|２０)${D}{2}\\s*年度` },
  { kind: 'year', source: `(?<!${D})(?:19|20|１９|２０)${D}{2}(?:\\s*年)?(?!${D})` },
  { kind: 'edition', source: `第\\s*(?:${D}{1,2}|[${KANJI_DIGITS}]{1,3})\\s*(?:次|回|期|版)` },
];
const SCANNER = new RegExp(PATTERNS.map((p) => `(${p.source})`).join('|'), 'gu');

const toHalf = (s: string) => s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

function kanjiNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const digit = (c: string) => KANJI_DIGITS.indexOf(c);
  if (s === '十') return 10;
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? digit(m[1]) : 1) * 10 + (m[2] ? digit(m[2]) : 0);
  return s.length === 1 && digit(s) > 0 ? digit(s) : undefined;
}

/** The Gregorian year a year, fiscal year or date span names. */
function yearOf(text: string): number | undefined {
  const t = toHalf(text).replace(/\s/g, '');
  const era = /^(令和|平成|昭和|[RHrh])\.?(元|\d{1,2})/.exec(t);
  if (era) return parseFiscalYear(`${era[1]}${era[2]}`);
  const gregorian = /^(\d{4})/.exec(t);
  return gregorian ? Number(gregorian[1]) : undefined;
}

function label(kind: WordingKind, year: number): string {
  return kind === 'fiscal-year' ? formatFiscalYear(year) : `${year}年（${formatWarekiFiscalYear(year).replace(/年度$/, '年')}）`;
}

function hintFor(kind: WordingKind, text: string, year: number | undefined, previousRound: boolean, shift: number | undefined): string {
  if (kind === 'edition') {
    const m = /第\s*(\S+?)\s*(次|回|期|版)/.exec(toHalf(text));
    const n = m ? kanjiNumber(m[1]) : undefined;
    return n !== undefined
      ? `計画・調査の次数です。前回のままでよいか確認してください（例: 第${n}${m![2]} → 第${n + 1}${m![2]}）。`
      : '計画・調査の次数です。前回のままでよいか確認してください。';
  }
  if (kind === 'date' && year === undefined) return '年のない日付です。前回の期限などのままでないか確認してください。';
  if (year === undefined) return '年・年度の表記です。今回の調査に合うか確認してください。';
  const what = kind === 'date' ? 'の日付' : '';
  if (previousRound && shift) return `前回の調査の年（${label(kind, year)}）${what}です。今回は ${label(kind, year + shift)} ではないか確認してください。`;
  if (previousRound) return `前回の調査の年（${label(kind, year)}）${what}です。今回の調査に合わせて直す必要がないか確認してください。`;
  return `${label(kind, year)}${what}を指しています。今回の調査に合うか確認してください。`;
}

/**
 * The round-bound spans of a text, left to right. `previousYear` is the year of the previous round's deadline; a
 * year counts as the previous round's when it is that year or the one before (a deadline early in the year
 * belongs to the fiscal year before). `currentYear` (this round's deadline year) makes the hints suggest a year.
 */
export function findRoundWording(text: string, opts: { previousYear: number; currentYear?: number }): WordingSpan[] {
  const shift = opts.currentYear !== undefined ? opts.currentYear - opts.previousYear : undefined;
  const spans: WordingSpan[] = [];
  for (const match of text.matchAll(SCANNER)) {
    const index = match.slice(1).findIndex((g) => g !== undefined);
    const kind = PATTERNS[index].kind;
    const found = match[0];
    const year = kind === 'edition' ? undefined : yearOf(found);
    const previousRound = year !== undefined && (year === opts.previousYear || year === opts.previousYear - 1);
    spans.push({ start: match.index!, end: match.index! + found.length, text: found, kind, year, previousRound, hint: hintFor(kind, found, year, previousRound, shift) });
  }
  return spans;
}

export interface MarkedSegment {
  text: string;
  mark?: { hint: string; previousRound: boolean };
}

/** The text cut at the spans, for a template to wrap the marked parts in <mark> (every part still escaped). */
export function markedSegments(text: string, spans: WordingSpan[]): MarkedSegment[] {
  const out: MarkedSegment[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) out.push({ text: text.slice(at, s.start) });
    out.push({ text: s.text, mark: { hint: s.hint, previousRound: s.previousRound } });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
