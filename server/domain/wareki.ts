// 和暦 ⇄ 西暦 for fiscal years (年度): '平成26年度' / 'H26' / '令和2年度' / 'R2' / '2014' → 2014, and back.
// Pure. 平成31 and later 平成 years (plans written before the 2019 era change use them) map to 2019+.
import { toHalfWidthDigits, trimAll } from './normalise.js';

interface Era {
  name: string;
  letter: string;
  /** Gregorian year of the era's year 1, minus one (平成: 1988, so 平成1 = 1989). */
  offset: number;
  /** First Gregorian year of the era, for formatting. */
  from: number;
}

const ERAS: Era[] = [
  { name: '令和', letter: 'R', offset: 2018, from: 2019 },
  { name: '平成', letter: 'H', offset: 1988, from: 1989 },
  { name: '昭和', letter: 'S', offset: 1925, from: 1926 },
  { name: '大正', letter: 'T', offset: 1911, from: 1912 },
  { name: '明治', letter: 'M', offset: 1867, from: 1868 },
];

const ERA_SYMBOLS: Record<string, string> = { '㋿': '令和', '㍻': '平成', '㍼': '昭和', '㍽': '大正', '㍾': '明治' };

function eraFor(token: string): Era | undefined {
  const t = ERA_SYMBOLS[token] ?? token;
  return ERAS.find((e) => e.name === t || e.letter === t.toUpperCase());
}

/**
 * A fiscal year typed as 西暦 or 和暦 → the Gregorian year, or undefined when it cannot be read.
 * Accepts '2014', '2014年度', '２０１４', '平成26年度', '平成26年', 'H26', 'h.26', '令和元年度', 'R2', 2014.
 */
export function parseFiscalYear(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) ? input : undefined;
  const v = trimAll(toHalfWidthDigits(input.normalize('NFKC'))).replace(/[\s.．]/g, '');
  if (v === '') return undefined;
  const gregorian = /^(\d{4})(?:年度?)?$/.exec(v);
  if (gregorian) return Number(gregorian[1]);
  const wareki = /^(令和|平成|昭和|大正|明治|[RHSTMrhstm㋿㍻㍼㍽㍾])(元|\d{1,2})(?:年度?)?$/.exec(v);
  if (!wareki) return undefined;
  const era = eraFor(wareki[1]);
  if (!era) return undefined;
  const n = wareki[2] === '元' ? 1 : Number(wareki[2]);
  if (n < 1) return undefined;
  return era.offset + n;
}

/**
 * A period written in one cell, as in the 2018 調査票: '平成26年～30年' → { start: 2014, end: 2018 }.
 * The end inherits the start's era when it has none; undefined when either side cannot be read.
 */
export function parsePeriod(input: string): { start: number; end: number } | undefined {
  const v = trimAll(toHalfWidthDigits(input.normalize('NFKC')));
  const parts = v.split(/\s*[~〜～\-－―–—]\s*|\s*から\s*/).filter((p) => p !== '');
  if (parts.length !== 2) return undefined;
  const start = parseFiscalYear(parts[0]);
  if (start === undefined) return undefined;
  let end = parseFiscalYear(parts[1]);
  const bare = /^(元|\d{1,2})(?:年度?)?$/.exec(parts[1].replace(/\s/g, ''));
  if (bare) {
    const era = /^(令和|平成|昭和|大正|明治|[RHSTMrhstm])/.exec(parts[0].replace(/\s/g, ''));
    if (!era) return undefined;
    end = parseFiscalYear(era[1] + parts[1]);
  }
  if (end === undefined) return undefined;
  return { start, end };
}

/** 2014 → '平成26年度', 2019 → '令和元年度' (the fiscal year starting in April of that year). */
export function formatWarekiFiscalYear(year: number): string {
  const era = ERAS.find((e) => year >= e.from);
  if (!era) return `${year}年度`;
  const n = year - era.offset;
  return `${era.name}${n === 1 ? '元' : n}年度`;
}

/** 2014 → '2014年度（平成26年度）' for summaries. */
export function formatFiscalYear(year: number | null | undefined): string {
  if (year === null || year === undefined) return '';
  return `${year}年度（${formatWarekiFiscalYear(year)}）`;
}

/** The first day of each era (Gregorian calendar), newest first: a date takes the era whose first day it reaches. */
const ERA_FIRST_DAYS: Array<{ name: string; firstDay: string; year1: number }> = [
  { name: '令和', firstDay: '2019-05-01', year1: 2019 },
  { name: '平成', firstDay: '1989-01-08', year1: 1989 },
  { name: '昭和', firstDay: '1926-12-25', year1: 1926 },
  { name: '大正', firstDay: '1912-07-30', year1: 1912 },
];

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/**
 * A calendar date ('YYYY-MM-DD') as a city office writes a deadline: '2027-01-22' → 「令和9年1月22日（金）」,
 * with `gregorian` → 「令和9年（2027年）1月22日（金）」. 2019-05-01 → 令和元年, 2019-04-30 → 平成31年.
 * Anything that is not such a date comes back as it was.
 */
export function formatDateWareki(value: string | null | undefined, opts: { gregorian?: boolean } = {}): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()];
  const iso = m[0];
  const era = ERA_FIRST_DAYS.find((e) => iso >= e.firstDay);
  const gregorian = opts.gregorian ? `（${y}年）` : '';
  if (!era) return `${y}年${mo}月${d}日（${weekday}）`;
  const n = y - era.year1 + 1;
  return `${era.name}${n === 1 ? '元' : n}年${gregorian}${mo}月${d}日（${weekday}）`;
}
