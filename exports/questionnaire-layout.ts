// The 調査票 sheet's questions, shared by the builder and the parser: each question's number (column A),
// label, where its answer goes in the response, and the choices of its dropdown — one per field of the table.
import { ANSWER_LABELS } from '../server/domain/glossary.js';
import { type FieldKind, fieldLocation, RESPONSE_FIELDS, type ResponseFieldSpec } from '../server/domain/response-fields.js';

export const QUESTIONNAIRE_SHEET = '調査票';
export const META_SHEET = '管理情報';
export const FORMAT_ID = 'chukakushi-questionnaire-v1';

/** Columns of 調査票: A 番号/分類, B 質問/対策, C 対策コード, D 回答 */
export const COL = { id: 1, label: 2, code: 3, answer: 4 } as const;
export const ANSWER_COLUMN_LETTER = 'D';

export interface Question {
  id: string;
  label: string;
  /** JSON pointer into «A response» */
  path: string;
  kind: FieldKind;
  /** label shown → stored value, for dropdowns */
  choices?: Record<string, string | boolean>;
  /** the field of the table (domain/response-fields.ts) the question asks */
  field: ResponseFieldSpec;
}

const invert = <T extends string>(labels: Record<T, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [v, k])) as Record<string, T>;

export const MEASURE_CHOICES: Record<string, string> = invert(ANSWER_LABELS);

export interface QuestionGroup {
  heading: string;
  questions: Question[];
}

/** The sheet's three questions: 質問1 the contact, 質問2 the plan, 質問3 the disclosure. */
const HEADINGS = {
  contact: '質問1 貴市及び、ご回答いただいたご担当者様の情報についてお伺いします。',
  plan: '質問2 情報化計画についてお伺いします。',
  disclosure: '質問3 集計結果について',
} as const satisfies Record<'contact' | 'plan' | 'disclosure', string>;

/** The questions of the sheet, one per field of the table, grouped under their question in table order. */
export function questionGroups(fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): QuestionGroup[] {
  const groups: QuestionGroup[] = [];
  for (const f of fields) {
    const { group, key } = fieldLocation(f.path);
    const heading = HEADINGS[(group ?? key) as keyof typeof HEADINGS];
    let g = groups.find((x) => x.heading === heading);
    if (!g) groups.push((g = { heading, questions: [] }));
    const choices = f.choices ? Object.fromEntries(f.choices.map((c) => [c.label, c.value])) : undefined;
    g.questions.push({ id: f.questionnaire.id, label: f.questionnaire.label, path: f.path, kind: f.kind, ...(choices ? { choices } : {}), field: f });
  }
  return groups;
}

export const QUESTION_GROUPS: QuestionGroup[] = questionGroups();

export const MEASURES_HEADING = '質問4 次の対策について、貴市の実施状況を「実施済」「検討中」「未実施」から選んでください。';
