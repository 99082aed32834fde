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

const DONE = /(?:しました|されました|いたしました|できました|なりました|導入済|実施済|整備済|構築済|稼働し|稼動し|運用して|運用を開始|開始しました|実施中|行っています|しています|されています|しており|されており|取り組んできました|てきました|完了|図りました|努めました)/;
const PLAN = /(?:します|いきます|まいります|検討|予定|推進|目指|めざ|図ります|努めます|進めます|取り組みます|する。|を図る|必要があ|必要です|導入に向け|拡充|充実を図|求められ|考えられます|実施$|新規)/;
const NEGATED = /未実施|未導入|未整備|していません|されていません|ありません|至っていない|できていない|見送/;
const OTHERS_SUBJECT = /^(?:国|政府|総務省|内閣|経済産業省|文部科学省|厚生労働省|国土交通省|[都道府県]|東京都|大阪府|IT総合戦略本部)(?:は|では|が|において|により|による)|国の|政府の|総務省の|全国の|他の自治体|他自治体|先進自治体|民間企業では/;
/** Survey findings about residents, not the city's own measures. */
const RESIDENTS = /回答|アンケート|割合|利用率|利用状況|[0-9.]+%|[0-9.]+％|ポイント/;

function mentions(s: Sentence, terms: Term[]): boolean {
  return terms.some((t) => (typeof t === 'string' ? s.compact.includes(t) : t.test(s.compact)));
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
  if (s.section === 'skip' || s.text.length < 8) return undefined;
  if (OTHERS_SUBJECT.test(s.text) || RESIDENTS.test(s.text)) return undefined;
  const tense = tenseOf(s);
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
      if (!mentions(s, terms)) continue;
      const v = vote(s);
      if (v && votes[v].length < 3 && !votes[v].some((e) => e.text === s.text)) votes[v].push({ page: s.page, text: s.text });
    }
    if (votes.implemented.length > 0) out[m.code] = { suggestion: 'implemented', evidence: votes.implemented.slice(0, 2) };
    else if (votes.studying.length > 0) out[m.code] = { suggestion: 'studying', evidence: votes.studying.slice(0, 2) };
  }
  return out;
}
