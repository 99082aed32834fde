// The plan's own facts from its text: title, edition number, period (fiscal years), update cycle, next plan. Pure.
// The title is taken from the cover (the first page, or the first lines of a text file) and the edition only from
// that title, so a predecessor or a higher plan quoted in the text (「第四次長期総合計画」) is never taken.
import { formatLatestNumber, parseLatestNumber } from '../../domain/response.js';
import { parseFiscalYear } from '../../domain/wareki.js';
import { compactOf, widthFold } from './text.js';

export interface Evidence {
  page: number;
  text: string;
}
export interface Field<T> {
  value: T;
  evidence: Evidence[];
}
export type NextPlan = 'update' | 'merge' | 'abolish' | 'undecided';

export interface PlanFields {
  name: Field<string> | null;
  latestNumber: Field<string> | null;
  periodStart: Field<number> | null;
  periodEnd: Field<number> | null;
  updateCycleYears: Field<number> | null;
  nextPlan: Field<NextPlan> | null;
}

const PLAN_WORDS = /(計画|プラン|戦略|ビジョン|指針|方針)(?:[(（][^)）]{1,12}[)）])?$/;
/** Cover lines that are not the title: headings of the preface, dates, the city name alone. */
const NOT_TITLE = /策定に当たって|策定にあたって|はじめに|目次|あいさつ|挨拶|概要版|について$/;

function coverLines(pages: string[]): Array<{ page: number; line: string }> {
  const out: Array<{ page: number; line: string }> = [];
  for (let p = 0; p < pages.length && out.length < 40; p++) {
    for (const raw of pages[p].split('\n')) {
      const line = raw.trim();
      if (line !== '') out.push({ page: p + 1, line });
      if (out.length >= 40) break;
    }
    if (pages[p].trim() !== '') break; // the first page with text is the cover
  }
  return out;
}

const squeeze = (s: string) => s.replace(/[\s\u3000]+/g, '');
/** 'ICT 推進 計画' → 'ICT推進計画': spaces stay only between two Latin letters or digits. */
const dropCjkSpaces = (s: string) => s.trim().replace(/([^\s])[\s\u3000]+(?=([^\s]))/g, (m, a: string, b: string) => (/[A-Za-z0-9]/.test(a) && /[A-Za-z0-9]/.test(b) ? `${a} ` : a));

export function readName(pages: string[]): Field<string> | null {
  const lines = coverLines(pages).slice(0, 25);
  for (let i = 0; i < lines.length; i++) {
    const { page, line } = lines[i];
    if (line.length > 50 || /[。「」『』]/.test(line) || NOT_TITLE.test(line)) continue;
    const folded = widthFold(line).trim();
    if (!PLAN_WORDS.test(folded)) continue;
    // A title broken over two cover lines: 「武蔵村山市」 / 「第四次情報化基本計画」.
    const prev = i > 0 ? lines[i - 1] : undefined;
    if (prev && prev.line.length <= 20 && /[市町村区]$/.test(prev.line) && !PLAN_WORDS.test(prev.line) && !/^第/.test(prev.line) && /^第|^[^市町村]/.test(line)) {
      if (!squeeze(line).startsWith(squeeze(prev.line))) {
        return { value: squeeze(prev.line) + squeeze(line), evidence: [{ page: prev.page, text: prev.line }, { page, text: line }] };
      }
    }
    return { value: dropCjkSpaces(line), evidence: [{ page, text: line }] };
  }
  return null;
}

export function readLatestNumber(name: Field<string> | null): Field<string> | null {
  if (!name) return null;
  const m = /第\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*(次|期)/.exec(name.value);
  if (!m) return null;
  const n = parseLatestNumber(m[1]);
  return n === undefined ? null : { value: formatLatestNumber(n)!, evidence: name.evidence };
}

const ERA = '(令和|平成|昭和|R|H)';
const YEAR = '(元|[0-9]{1,4})';
const ONE_SIDE = `${ERA}?\\s*${YEAR}\\s*(年度|年)?\\s*(?:[(（]\\s*([0-9]{4})\\s*年度?\\s*[)）])?`;
const RANGE = new RegExp(`${ONE_SIDE}\\s*(?:～|~|〜|－|-|―|–|—|ー|から)\\s*${ONE_SIDE}\\s*(?:まで)?`, 'g');

interface PeriodHit {
  start: number;
  end: number;
  text: string;
}

function sideYear(era: string | undefined, year: string, greg: string | undefined, inheritEra: string | undefined): number | undefined {
  if (greg) return Number(greg);
  if (/^[0-9]{4}$/.test(year)) return Number(year);
  const e = era ?? inheritEra;
  if (!e) return undefined;
  return parseFiscalYear(`${e}${year}年度`);
}

/** Every fiscal-year range in a passage: 平成28年度～平成32年度, 令和 2 年度～令和 7 年度, 平成30年度(2018年度)から34年度(2022年度)まで. */
export function findPeriods(passage: string): PeriodHit[] {
  const folded = widthFold(passage);
  const out: PeriodHit[] = [];
  for (const m of folded.matchAll(RANGE)) {
    const [, era1, y1, unit1, g1, era2, y2, unit2, g2] = m;
    if (!unit1 && !unit2 && !g1 && !g2) continue; // a bare '28-32' is not a period
    if (!era1 && !/^[0-9]{4}$/.test(y1) && !g1) continue;
    const start = sideYear(era1, y1, g1, undefined);
    const end = sideYear(era2, y2, g2, era1);
    if (start === undefined || end === undefined || end < start || end - start > 15 || start < 1950 || end > 2100) continue;
    // Months on either side mean a date range (平成27年5月～), not fiscal years.
    const after = folded.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2);
    if (/^\s*月/.test(after)) continue;
    out.push({ start, end, text: passage.slice(m.index, (m.index ?? 0) + m[0].length).trim() });
  }
  return out;
}

/**
 * The plan's period: a range on the cover next to the title first; then a sentence about this plan's period
 * (本計画 / 計画期間 without another plan named in 「」); predecessors and quoted plans are passed over.
 */
export function readPeriod(pages: string[], name: Field<string> | null): { start: Field<number>; end: Field<number> } | null {
  const cover = coverLines(pages);
  for (const { page, line } of cover.slice(0, 25)) {
    if (/[「『]/.test(line)) continue;
    const hit = findPeriods(line)[0];
    if (hit) return { start: { value: hit.start, evidence: [{ page, text: hit.text }] }, end: { value: hit.end, evidence: [{ page, text: hit.text }] } };
  }
  const own = name ? compactOf(name.value) : undefined;
  for (let p = 0; p < pages.length; p++) {
    for (const sentence of pages[p].split(/(?<=。)|\n/)) {
      if (!/計画期間|本計画の期間|計画の期間|期間と(?:し|す)/.test(sentence)) continue;
      const quoted = [...sentence.matchAll(/「([^」]{2,40})」/g)].map((q) => compactOf(q[1]));
      const aboutOther = quoted.some((q) => q !== own && /計画|戦略/.test(q)) || /前計画|第[0-9一二三四五六七八九十]+次.{0,15}計画の計画期間|満了/.test(sentence);
      const aboutThis = /本計画|この計画|当計画/.test(sentence) || (own !== undefined && compactOf(sentence).includes(own));
      if (aboutOther && !aboutThis) continue;
      const hit = findPeriods(sentence)[0];
      if (hit) return { start: { value: hit.start, evidence: [{ page: p + 1, text: hit.text }] }, end: { value: hit.end, evidence: [{ page: p + 1, text: hit.text }] } };
    }
  }
  return null;
}

const KANJI_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** 更新頻度: the period's length, else a stated span of this plan (今後5年間の「…計画」, 5か年計画, 5年ごとに見直し). */
export function readUpdateCycle(pages: string[], period: { start: Field<number>; end: Field<number> } | null, name: Field<string> | null): Field<number> | null {
  if (period) return { value: period.end.value - period.start.value + 1, evidence: period.start.evidence };
  const own = name ? compactOf(name.value) : undefined;
  for (let p = 0; p < pages.length; p++) {
    for (const sentence of pages[p].split(/(?<=。)|\n/)) {
      const folded = widthFold(sentence);
      const m = /(?:今後|向こう)\s*([0-9]{1,2}|[一二三四五六七八九十])\s*(?:年間|か年|ヵ年|カ年|箇年)|([0-9]{1,2}|[一二三四五六七八九十])\s*年(?:ごと|毎)に(?:見直|改定|策定)|([0-9]{1,2}|[一二三四五六七八九十])\s*(?:か年|ヵ年|カ年|箇年)計画/.exec(folded);
      if (!m) continue;
      const ownShort = own?.replace(/\([^)]*\)/g, '');
      const compact = compactOf(sentence);
      const aboutThis = /本計画|この計画|当計画/.test(sentence) || (own !== undefined && (compact.includes(own) || compact.includes(ownShort!))) || /計画」?を策定/.test(sentence);
      if (!aboutThis) continue;
      const digits = m[1] ?? m[2] ?? m[3];
      const n = /^[0-9]+$/.test(digits) ? Number(digits) : KANJI_DIGITS[digits];
      if (n >= 1 && n <= 15) return { value: n, evidence: [{ page: p + 1, text: sentence.trim() }] };
    }
  }
  return null;
}

/** 次期計画 when the plan says what follows it; null when it does not say. */
export function readNextPlan(pages: string[]): Field<NextPlan> | null {
  const rules: Array<[RegExp, NextPlan]> = [
    [/次期計画.{0,30}(?:統合|一体的に策定|包含)|(?:計画|戦略)に統合/, 'merge'],
    [/次期計画.{0,30}(?:策定|改定|見直)|計画期間(?:の)?満了.{0,20}(?:新たな|次期).{0,10}計画/, 'update'],
  ];
  for (let p = 0; p < pages.length; p++) {
    for (const sentence of pages[p].split(/(?<=。)|\n/)) {
      if (!/次期計画|計画期間(?:の)?満了/.test(sentence) || !/本計画|この計画|当計画/.test(sentence)) continue;
      for (const [re, value] of rules) if (re.test(sentence)) return { value, evidence: [{ page: p + 1, text: sentence.trim() }] };
    }
  }
  return null;
}

export function readPlanFields(pages: string[]): PlanFields {
  const name = readName(pages);
  const period = readPeriod(pages, name);
  return {
    name,
    latestNumber: readLatestNumber(name),
    periodStart: period?.start ?? null,
    periodEnd: period?.end ?? null,
    updateCycleYears: readUpdateCycle(pages, period, name),
    nextPlan: readNextPlan(pages),
  };
}
