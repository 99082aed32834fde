// A plan's text as sentences with their page and the headings they stand under. Pure.
// Sentences are exact substrings of the extracted page text, so evidence can be quoted as it stands.

export type SectionKind = 'past' | 'future' | 'skip' | 'other';

export interface Sentence {
  page: number;
  /** exact passage of the page text (trimmed) */
  text: string;
  /** comparable form: full-width ASCII → half-width, no spaces or '*' footnote marks, Latin lower-cased */
  compact: string;
  section: SectionKind;
  /** the headings above this sentence, outermost first */
  headings: string[];
  /** a heading line itself (a 施策's title in a plan's measures chapter) */
  heading?: boolean;
  /** the nearest heading when it is an item (①, 1), 1., 【…】): often the measure's own name */
  item?: { page: number; text: string; compact: string };
}

/** Full-width ASCII → ASCII, ideographic space → space, NFKC for the rest of the compatibility forms. */
export function widthFold(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .normalize('NFKC');
}

/** Full-width ASCII → ASCII only (NFKC would turn ① into 1, and a 施策 item into a chapter heading). */
const narrow = (value: string) => value.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

export function compactOf(value: string): string {
  return widthFold(value).replace(/[\s*＊]/g, '').toLowerCase();
}

const HEADING_LEVELS: Array<[RegExp, number]> = [
  [/^(?:用語集|用語解説|参考資料|資料編|資料|目次|はじめに|おわりに|あとがき)$/, 2],
  [/^第\s*[0-9一二三四五六七八九十]+\s*[章部編]/, 1],
  [/^第\s*[0-9一二三四五六七八九十]+\s*節/, 2],
  [/^[0-9]{1,2}\s+[^\s0-9月年日]/, 2],
  [/^[(（][0-9]{1,2}[)）]/, 3],
  [/^[①-⑳]/, 4],
  [/^[0-9]{1,2}\)\s*\S/, 4],
  [/^[0-9]{1,2}[.．]\s*[^\s0-9]/, 5],
  [/^[ア-ン][.．)）]\s*\S/, 6],
  [/^【[^】]{1,20}】$/, 7],
  [/^(?:現状|課題|施策|実現イメージ|取組内容|主な取組|今後の取組|今後の方向性|これまでの取組|目標|概要)$/, 8],
];

/** A table-of-contents line: one title then a page number (a tab or dot leaders before it). */
function isContentsLine(line: string): boolean {
  return /^[^\t]+(?:\t|\.{3,}|…{2,}|・{3,})\s*[0-9]{1,3}\s*$/.test(line.trim());
}

function headingLevel(line: string): number | undefined {
  if (line.length > 60 || line.includes('。') || line.includes('\t') || line.startsWith('<')) return undefined;
  return HEADING_LEVELS.find(([re]) => re.test(narrow(line)))?.[1];
}

const SKIP = /動向|背景|用語|目次|アンケート|ニーズ|規則|名簿|経過|参考資料|資料編|出典|社会情勢/;
const PAST = /これまで|実績|実施状況|現状|評価|前計画|振り返|成果|取組状況|進捗/;
const FUTURE = /施策|今後|方向性|取組|取り組み|推進|基本目標|体系|展開|アクション|重点|計画/;

/** The kind of the deepest heading that says something about time; 'skip' anywhere above wins. */
export function sectionKind(headings: string[]): SectionKind {
  if (headings.some((h) => SKIP.test(h))) return 'skip';
  for (let i = headings.length - 1; i >= 0; i--) {
    if (PAST.test(headings[i])) return 'past';
    if (FUTURE.test(headings[i])) return 'future';
  }
  return 'other';
}

/** Splits a line into sentences: at 。 and at markup tags (plans exported from HTML tables keep their <p>). */
function lineSentences(line: string): string[] {
  const out: string[] = [];
  for (const segment of line.split(/<[^>]{0,200}>/)) {
    let rest = segment;
    while (rest !== '') {
      const end = rest.indexOf('。');
      const piece = end < 0 ? rest : rest.slice(0, end + 1);
      rest = end < 0 ? '' : rest.slice(end + 1);
      const t = piece.trim();
      if (t.replace(/[\s・\-—–]/g, '') !== '') out.push(t);
    }
  }
  return out;
}

/**
 * Joins lines a PDF broke inside a sentence (a line not ending in 。 followed by a line that continues it),
 * so that a sentence and its cue word stay together. Headings, table rows and blank lines end a paragraph.
 */
function paragraphs(pageText: string): string[] {
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') out.push(current);
    current = '';
  };
  for (const raw of pageText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.includes('\t') || headingLevel(line) !== undefined || isContentsLine(raw)) {
      flush();
      if (line !== '') out.push(raw.trim());
      continue;
    }
    current = current === '' ? line : current + line;
    if (line.endsWith('。')) flush();
  }
  flush();
  return out;
}

/** Every sentence of the document with its page (1-based) and section context. */
export function sentencesOf(pages: string[]): Sentence[] {
  const out: Sentence[] = [];
  let stack: Array<{ level: number; text: string; page: number }> = [];
  pages.forEach((pageText, i) => {
    for (const para of paragraphs(pageText)) {
      if (isContentsLine(para)) continue;
      const level = headingLevel(para);
      if (level !== undefined) {
        stack = stack.filter((h) => h.level < level);
        stack.push({ level, text: para, page: i + 1 });
        const headings = stack.map((h) => h.text);
        out.push({ page: i + 1, text: para, compact: compactOf(para), section: sectionKind(headings), headings, heading: true });
        continue;
      }
      const headings = stack.map((h) => h.text);
      const section = sectionKind(headings);
      const last = stack.filter((h) => h.level >= 4 && h.level <= 6).at(-1);
      const item = last ? { page: last.page, text: last.text, compact: compactOf(last.text) } : undefined;
      for (const text of lineSentences(para)) out.push({ page: i + 1, text, compact: compactOf(text), section, headings, item });
    }
  });
  return out;
}
