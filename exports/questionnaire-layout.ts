// The 調査票 sheet's questions, shared by the builder and the parser: each question's number (column A),
// label, where its answer goes in the response, and the choices of its dropdown.
import { ANSWER_LABELS, DISCLOSURE_LABELS, NEXT_PLAN_LABELS } from '../server/domain/glossary.js';

export const QUESTIONNAIRE_SHEET = '調査票';
export const META_SHEET = '管理情報';
export const FORMAT_ID = 'chukakushi-questionnaire-v1';

/** Columns of 調査票: A 番号/分類, B 質問/対策, C 対策コード, D 回答 */
export const COL = { id: 1, label: 2, code: 3, answer: 4 } as const;
export const ANSWER_COLUMN_LETTER = 'D';

export type QuestionKind = 'text' | 'choice' | 'latestNumber' | 'updateCycle' | 'year';

export interface Question {
  id: string;
  label: string;
  /** JSON pointer into «A response» */
  path: string;
  kind: QuestionKind;
  /** label shown → stored value, for dropdowns */
  choices?: Record<string, string | boolean>;
  hint?: string;
}

const invert = <T extends string>(labels: Record<T, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [v, k])) as Record<string, T>;

export const MEASURE_CHOICES: Record<string, string> = invert(ANSWER_LABELS);
export const HAS_PLAN_CHOICES: Record<string, boolean> = { 計画あり: true, 計画なし: false };
export const NEXT_PLAN_CHOICES: Record<string, string> = invert(NEXT_PLAN_LABELS);
export const DISCLOSURE_CHOICES: Record<string, string> = invert(DISCLOSURE_LABELS);

export interface QuestionGroup {
  heading: string;
  questions: Question[];
}

export const QUESTION_GROUPS: QuestionGroup[] = [
  {
    heading: '質問1 貴市及び、ご回答いただいたご担当者様の情報についてお伺いします。',
    questions: [
      { id: '1-2', label: '担当部署（部課等名）', path: '/contact/department', kind: 'text' },
      { id: '1-3', label: '担当者名（カナ）', path: '/contact/personKana', kind: 'text' },
      { id: '1-4', label: '電話番号（直通）', path: '/contact/phone', kind: 'text' },
      { id: '1-5', label: 'メールアドレス（所属）', path: '/contact/email', kind: 'text' },
    ],
  },
  {
    heading: '質問2 情報化計画についてお伺いします。',
    questions: [
      { id: '2-1', label: '情報化計画を策定していますか。', path: '/plan/hasPlan', kind: 'choice', choices: HAS_PLAN_CHOICES },
      { id: '2-2', label: '計画名称を教えてください。', path: '/plan/name', kind: 'text' },
      { id: '2-3', label: '最新番号を教えてください（例: 第4次）。', path: '/plan/latestNumber', kind: 'latestNumber' },
      { id: '2-4', label: '更新頻度を教えてください（年数。定まっていない場合は「不定期」）。', path: '/plan/updateCycleYears', kind: 'updateCycle' },
      { id: '2-5', label: '最新の計画の期間: 開始年度（例: 2014 または 平成26年度）', path: '/plan/periodStart', kind: 'year' },
      { id: '2-6', label: '最新の計画の期間: 終了年度（例: 2018 または 平成30年度）', path: '/plan/periodEnd', kind: 'year' },
      { id: '2-7', label: '次期計画の策定予定について教えてください。', path: '/plan/nextPlan', kind: 'choice', choices: NEXT_PLAN_CHOICES },
      { id: '2-8', label: '備考', path: '/plan/notes', kind: 'text' },
    ],
  },
  {
    heading: '質問3 集計結果について',
    questions: [
      {
        id: '3-1',
        label: '御回答をいただいた自治体様に調査結果を送付させていただく予定です。その際の、貴市の調査結果の取扱いについて、選択してください。',
        path: '/disclosure',
        kind: 'choice',
        choices: DISCLOSURE_CHOICES,
      },
    ],
  },
];

export const MEASURES_HEADING = '質問4 次の対策について、貴市の実施状況を「実施済」「検討中」「未実施」から選んでください。';
