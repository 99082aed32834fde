// Suggestions per measure: a sentence mentions the measure (label terms + curated synonyms), and the sentence's
// tense and the section it stands in decide implemented (実施済) or studying (検討中). Pure.
// Sections on national trends, citizens' survey results, the glossary and the table of contents are not the city's
// own measures and are skipped; a sentence whose subject is 国・総務省・都道府県 is skipped too.
import type { Evidence } from './plan-fields.js';
import { type Sentence } from './text.js';
import { type Term, termsFor } from './synonyms.js';

export type Suggestion = 'implemented' | 'studying';
export interface MeasureSuggestion {
  suggestion: Suggestion;
  evidence: Evidence[];
}
export interface MeasureLabel {
  code: string;
  label: string;
}

const ACTION = '(?:導入|実施|運用|開始|構築|整備|提供|配信|設置|開設|稼働|稼動|公開|活用|利用|発信|作成|策定|推進|改修|移行|転換|再構築|切り替え|切替|取り組|取組|進め|行|図|努め|拡充|拡大|実現)';
/** Done: an action verb in the past or the present perfect (導入しました, 運用しています, 進めてきました, 行ったところです). */
const DONE = new RegExp(
  `${ACTION}(?:を行い|を行っ|し|され|して|を図っ|に努め|っ|い)?(?:ました|ています|ており|てきました|てきた|てきま|た。|たところ)|導入済|実施済|整備済|構築済|実施中|稼働中|稼動中|を開始|ところです|(?<!なり|増え|変わり|高まり|広がり|登場し|普及し|発生し|進み|され)ました|[んて]できました|てきました`,
);
const PLAN = /(?:します|いきます|まいります|検討|予定|推進|目指|めざ|図ります|努めます|進めます|取り組みます|する。|を図る|必要があ|必要です|導入に向け|拡充|充実を図|求められ|研究|新規|実施$|検討$)/;
const NEGATED = /未実施|未導入|未整備|していません|されていません|至っていない|できていない|見送/;
const OTHERS_SUBJECT = /^(?:国|政府|総務省|内閣|経済産業省|文部科学省|厚生労働省|国土交通省|[都道府県]|東京都|大阪府|IT総合戦略本部)(?:は|では|が|において|により|による)|国の|政府の|総務省の|全国の|他の自治体|他自治体|先進自治体|民間企業では|とされてい|といわれ|と言われ/;
/** Survey findings about residents, not the city's own measures; definitions of terms. */
const NOT_A_MEASURE = /回答|アンケート|割合|利用率|利用状況|[0-9.]+%|[0-9.]+％|ポイント|[0-9,]+\s*件|^[^、。]{1,40}とは[、,]/;
/** In a review of the previous plan, its old intentions (「…を検討します」) say nothing of today; only 今後 does. */
const STILL_AHEAD = /今後|引き続き|次期|これから|継続して/;

const has = (compact: string, terms: Term[]) => terms.some((t) => (typeof t === 'string' ? compact.includes(t) : t.test(compact)));

/** The sentence names the measure, or stands under an item heading that does (「5.マイナンバーカードの活用」). */
function mentions(s: Sentence, terms: Term[]): 'sentence' | 'item' | undefined {
  if (has(s.compact, terms)) return 'sentence';
  if (s.item && s.section === 'future' && has(s.item.compact, terms)) return 'item';
  return undefined;
}

export function tenseOf(s: Sentence): Suggestion | undefined {
  if (NEGATED.test(s.text)) return PLAN.test(s.text) ? 'studying' : undefined;
  // 「検討しています」 is still a study; otherwise a sentence that says it was done wins over its plans
  // (「…を導入しましたが、今後は拡充します。」: the measure is implemented).
  const done = DONE.test(s.text);
  const plan = PLAN.test(s.text);
  if (/検討|予定|目指|めざ|研究/.test(s.text) && !/導入済|実施済|導入しました|開始しました|稼働し/.test(s.text)) return 'studying';
  if (done) return 'implemented';
  if (plan) return 'studying';
  return undefined;
}

/** One sentence's vote, or undefined when it says nothing the city has done or will do. */
function vote(s: Sentence): Suggestion | undefined {
  if (s.section === 'skip') return undefined;
  // A 施策 heading in the plan's measures chapter is a measure the plan will carry out.
  if (s.heading) return s.section === 'future' && !OTHERS_SUBJECT.test(s.text) ? 'studying' : undefined;
  if (s.text.length < 8) return undefined;
  if (OTHERS_SUBJECT.test(s.text) || NOT_A_MEASURE.test(s.text)) return undefined;
  const tense = tenseOf(s);
  if (tense === 'studying' && s.section === 'past' && !STILL_AHEAD.test(s.text)) return undefined;
  if (tense) return tense;
  // A table row in the previous plan's review without a verb: 「⑤ ホームページの充実	実施中」.
  if (s.section === 'past' && /\t/.test(s.text) && /実施中|実施済|完了/.test(s.text)) return 'implemented';
  return undefined;
}

export function suggestMeasures(sentences: Sentence[], measures: MeasureLabel[]): Record<string, MeasureSuggestion> {
  const out: Record<string, MeasureSuggestion> = {};
  for (const m of measures) {
    const terms = termsFor(m.label);
    if (terms.length === 0) continue;
    const votes: Record<Suggestion, Evidence[]> = { implemented: [], studying: [] };
    for (const s of sentences) {
      const how = mentions(s, terms);
      if (!how) continue;
      const v = vote(s);
      if (!v || votes[v].length >= 3 || votes[v].some((e) => e.text === s.text)) continue;
      // Under an item heading, the heading is quoted first: it is what names the measure.
      if (how === 'item' && s.item && !votes[v].some((e) => e.text === s.item!.text)) votes[v].push({ page: s.item.page, text: s.item.text });
      votes[v].push({ page: s.page, text: s.text });
    }
    if (votes.implemented.length > 0) out[m.code] = { suggestion: 'implemented', evidence: votes.implemented.slice(0, 2) };
    else if (votes.studying.length > 0) out[m.code] = { suggestion: 'studying', evidence: votes.studying.slice(0, 2) };
  }
  return out;
}
