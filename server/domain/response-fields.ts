// The fields of a response (質問1–3), each once: its path (API.md «A response»), Japanese label, kind, limits,
// and where it appears — the form (input name, id, label, hint), the 調査票 (question number and wording) and the
// workbooks' lists (column header and width). The TypeBox schema, the form, the questionnaire, the change lists,
// the summary and the workbooks derive from this table; the type checks at the end keep it and the types in
// domain/response.ts in step, so a question added here appears everywhere or the compiler says where it does not.
import { ANSWER_LABELS, DISCLOSURE_LABELS, DISCLOSURES, NEXT_PLAN_LABELS, NEXT_PLANS } from './glossary.js';
import type { ContactAnswers, MeasureRef, PlanAnswers, ResponseAnswers } from './response.js';
import { formatWarekiFiscalYear } from './wareki.js';

/**
 * How a field's value is typed, read and shown: text (free text), yesNo (a boolean or unanswered), latestNumber
 * (第N次, stored as N), updateCycle (years, with its 不定期 companion), year (年度, Gregorian), choice (one of `choices`).
 */
export type FieldKind = 'text' | 'yesNo' | 'latestNumber' | 'updateCycle' | 'year' | 'choice';

/** Where the form template places a field's input (templates/pages/respondent/form.hbs). */
export type FormSlot = 'contact' | 'hasPlan' | 'planFields' | 'updateCycle' | 'period' | 'nextPlan' | 'notes' | 'disclosure';

/** A column of a workbook list (回答一覧 / 計画一覧). `format` names a cell other than the field's own value. */
export interface ListColumn {
  header: string;
  width: number;
  /** only in the organiser's workbook (a respondent's workbook leaves it out) */
  organiserOnly?: boolean;
  /** placed before the other field columns (回答一覧's 調査結果の取扱い comes before the contact) */
  lead?: boolean;
  format?: 'periodWareki' | 'periodSeireki';
}

export interface ResponseFieldSpec {
  /** JSON pointer into «A response»: /contact/<key>, /plan/<key> or /disclosure */
  path: string;
  /** the label of the change lists (audit log, conflict page, questionnaire import) */
  label: string;
  kind: FieldKind;
  /** the API document's description of the JSON property */
  description?: string;
  /** text: the most characters stored, and the name the error message uses */
  maxLength?: { max: number; name: string };
  /** choice / yesNo: each stored value with its label (the questionnaire's dropdown and the change lists) */
  choices?: ReadonlyArray<{ value: string | boolean; label: string }>;
  /** a second JSON property answered by the same question (更新頻度's 不定期) */
  companion?: { key: string; formName: string; description: string };
  form: {
    /** the input's name (and the key of FormValues) */
    name: string;
    /** the text input's id, or the radios' id prefix (each radio is `<id>-<value>`) */
    id: string;
    slot: FormSlot;
    label?: string;
    hint?: string;
    /** the hint when the submission sends a receipt to this address */
    receiptHint?: string;
    type?: 'tel' | 'email';
    autocomplete?: string;
    multiline?: boolean;
    /** radios whose values and labels differ from `choices` (計画あり → yes) */
    options?: ReadonlyArray<{ value: string; label: string }>;
  };
  /** the 調査票's row: question number (column A) and wording (column B) */
  questionnaire: { id: string; label: string };
  /** the columns of the workbook lists */
  lists?: { answers?: ListColumn; plans?: readonly ListColumn[] };
  /**
   * the line of the summary (confirmation page, read-only view, receipt mail): its label, what an unanswered field
   * reads (default 「（未回答）」), and for a range the field of its end (shown as 「start ～ end」)
   */
  summary?: { label: string; empty?: string; through?: string };
}

const labelled = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((value) => ({ value, label: labels[value] }));

export const RESPONSE_FIELDS = [
  {
    path: '/contact/department', label: '担当部署', kind: 'text', description: '担当部署（部課等名）', maxLength: { max: 200, name: '担当部署' },
    form: { name: 'department', id: 'f-department', slot: 'contact', label: '担当部署（部課等名）', hint: '例: 総務局 情報管理部 情報企画課', autocomplete: 'organization-title' },
    questionnaire: { id: '1-2', label: '担当部署（部課等名）' },
    summary: { label: '担当部署（部課等名）', empty: '' },
    lists: { answers: { header: '担当部署', width: 22, organiserOnly: true } },
  },
  {
    path: '/contact/personKana', label: '担当者名（カナ）', kind: 'text', description: '担当者名（カナ）', maxLength: { max: 100, name: '担当者名（カナ）' },
    form: { name: 'personKana', id: 'f-personKana', slot: 'contact', label: '担当者名（カナ）', hint: 'カタカナで入力してください（例: ニシノミヤ タロウ）。ひらがなと半角カナは、全角のカタカナに直して保存します。' },
    questionnaire: { id: '1-3', label: '担当者名（カナ）' },
    summary: { label: '担当者名（カナ）', empty: '' },
    lists: { answers: { header: '担当者名（カナ）', width: 20, organiserOnly: true } },
  },
  {
    path: '/contact/phone', label: '電話番号（直通）', kind: 'text', description: '電話番号（直通）', maxLength: { max: 40, name: '電話番号' },
    form: { name: 'phone', id: 'f-phone', slot: 'contact', label: '電話番号（直通）', type: 'tel', hint: '例: 0798-35-3151（全角の数字・ハイフンでも入力できます）', autocomplete: 'tel' },
    questionnaire: { id: '1-4', label: '電話番号（直通）' },
    summary: { label: '電話番号（直通）', empty: '' },
    lists: { answers: { header: '電話番号（直通）', width: 14, organiserOnly: true } },
  },
  {
    path: '/contact/email', label: 'メールアドレス（所属）', kind: 'text', description: 'メールアドレス（所属）', maxLength: { max: 254, name: 'メールアドレス' },
    form: {
      name: 'email', id: 'f-email', slot: 'contact', label: 'メールアドレス（所属）', type: 'email', autocomplete: 'email', hint: '例: joho@city.example.lg.jp',
      receiptHint: '例: joho@city.example.lg.jp（送信時に、照会先のメールアドレスと、それと同じドメインのこのアドレスへ受付のメールをお送りします）',
    },
    questionnaire: { id: '1-5', label: 'メールアドレス（所属）' },
    summary: { label: 'メールアドレス（所属）', empty: '' },
    lists: { answers: { header: 'メールアドレス（所属）', width: 28, organiserOnly: true } },
  },
  {
    path: '/plan/hasPlan', label: '情報化計画の策定', kind: 'yesNo', description: '計画あり / 計画なし（「なし」）',
    choices: [{ value: true, label: '計画あり' }, { value: false, label: '計画なし' }],
    form: { name: 'hasPlan', id: 'f-hasPlan', slot: 'hasPlan', options: [{ value: 'yes', label: '計画を策定している' }, { value: 'no', label: 'なし（計画を策定していない）' }] },
    questionnaire: { id: '2-1', label: '情報化計画を策定していますか。' },
    lists: { answers: { header: '計画の有無', width: 8 }, plans: [{ header: '計画の有無', width: 10 }] },
  },
  {
    path: '/plan/name', label: '計画名称', kind: 'text', description: '計画名称', maxLength: { max: 300, name: '計画名称' },
    form: { name: 'planName', id: 'f-planName', slot: 'planFields', label: '計画名称', hint: '例: 西宮市情報化推進計画' },
    questionnaire: { id: '2-2', label: '計画名称を教えてください。' },
    summary: { label: '計画名称' },
    lists: { plans: [{ header: '計画名称', width: 24 }] },
  },
  {
    path: '/plan/latestNumber', label: '最新番号', kind: 'latestNumber', description: '最新番号: "第4次" / "第四次" / 4',
    form: { name: 'latestNumber', id: 'f-latestNumber', slot: 'planFields', label: '最新番号', hint: '例: 第4次（「第四次」「4」でも入力できます）' },
    questionnaire: { id: '2-3', label: '最新番号を教えてください（例: 第4次）。' },
    summary: { label: '最新番号' },
    lists: { plans: [{ header: '最新番号', width: 8 }] },
  },
  {
    path: '/plan/updateCycleYears', label: '更新頻度', kind: 'updateCycle', description: '更新頻度（年、1〜20）',
    companion: { key: 'updateCycleIrregular', formName: 'updateCycleIrregular', description: '更新頻度が不定期' },
    form: { name: 'updateCycleYears', id: 'f-updateCycleYears', slot: 'updateCycle', label: '更新頻度（年ごと）', hint: '1〜20 の年数（例: 5、五年ごと）。定まっていない場合は下の「不定期」を選んでください。' },
    questionnaire: { id: '2-4', label: '更新頻度を教えてください（年数。定まっていない場合は「不定期」）。' },
    summary: { label: '更新頻度' },
    lists: { plans: [{ header: '更新頻度', width: 9 }] },
  },
  {
    path: '/plan/periodStart', label: '計画期間（開始年度）', kind: 'year',
    form: { name: 'periodStart', id: 'f-periodStart', slot: 'period', label: '開始年度', hint: '西暦（例: 2014）または和暦（例: 平成26年度、H26、令和2年度、R2）' },
    questionnaire: { id: '2-5', label: '最新の計画の期間: 開始年度（例: 2014 または 平成26年度）' },
    summary: { label: '最新の計画が対象とする期間', through: '/plan/periodEnd' },
    lists: { plans: [{ header: '計画期間（和暦）', width: 22, format: 'periodWareki' }, { header: '計画期間（西暦）', width: 14, format: 'periodSeireki' }] },
  },
  {
    path: '/plan/periodEnd', label: '計画期間（終了年度）', kind: 'year',
    form: { name: 'periodEnd', id: 'f-periodEnd', slot: 'period', label: '終了年度', hint: '西暦（例: 2018）または和暦（例: 平成30年度、H30）' },
    questionnaire: { id: '2-6', label: '最新の計画の期間: 終了年度（例: 2018 または 平成30年度）' },
    // 計画期間's columns (under /plan/periodStart) show the start and the end together
    lists: {},
  },
  {
    path: '/plan/nextPlan', label: '次期計画', kind: 'choice', choices: labelled(NEXT_PLANS, NEXT_PLAN_LABELS),
    form: { name: 'nextPlan', id: 'f-nextPlan', slot: 'nextPlan' },
    questionnaire: { id: '2-7', label: '次期計画の策定予定について教えてください。' },
    summary: { label: '次期計画の策定予定' },
    lists: { plans: [{ header: '次期計画', width: 10 }] },
  },
  {
    path: '/plan/notes', label: '備考', kind: 'text', description: '備考', maxLength: { max: 2000, name: '備考' },
    form: { name: 'notes', id: 'f-notes', slot: 'notes', label: '備考', multiline: true, hint: '任意' },
    questionnaire: { id: '2-8', label: '備考' },
    summary: { label: '備考', empty: 'なし' },
    lists: { plans: [{ header: '備考', width: 24 }] },
  },
  {
    path: '/disclosure', label: '調査結果の取扱い', kind: 'choice', choices: labelled(DISCLOSURES, DISCLOSURE_LABELS),
    form: { name: 'disclosure', id: 'f-disclosure', slot: 'disclosure' },
    questionnaire: { id: '3-1', label: '御回答をいただいた自治体様に調査結果を送付させていただく予定です。その際の、貴市の調査結果の取扱いについて、選択してください。' },
    summary: { label: '調査結果の取扱い' },
    lists: { answers: { header: '調査結果の取扱い', width: 26, organiserOnly: true, lead: true }, plans: [{ header: '調査結果の取扱い', width: 18, organiserOnly: true }] },
  },
] as const satisfies readonly ResponseFieldSpec[];

export type FieldPath = (typeof RESPONSE_FIELDS)[number]['path'];
/** The form's input names (FormValues' keys besides the measures). */
export type FormName = (typeof RESPONSE_FIELDS)[number]['form']['name'];

/** A field's group in «A response» and its key there (disclosure: the top-level property). */
export function fieldLocation(path: string): { group: 'contact' | 'plan' | null; key: string } {
  const [, a, b] = path.split('/');
  return b === undefined ? { group: null, key: a } : { group: a as 'contact' | 'plan', key: b };
}

/** The stored value of a field (undefined for a path that is not one). */
export function fieldValue(a: ResponseAnswers, path: string): unknown {
  const { group, key } = fieldLocation(path);
  return group === null ? (a as unknown as Record<string, unknown>)[key] : (a[group] as unknown as Record<string, unknown>)[key];
}

/** The value of a field's companion (更新頻度's 不定期). */
export function companionValue(a: ResponseAnswers, f: ResponseFieldSpec): unknown {
  return f.companion ? fieldValue(a, f.path.replace(/[^/]+$/, f.companion.key)) : undefined;
}

const year = (y: number | null) => (y === null ? '' : `${formatWarekiFiscalYear(y)}（${y}年度）`);
const choiceLabel = (f: ResponseFieldSpec, value: unknown) => f.choices?.find((c) => c.value === value)?.label ?? '';

/** 更新頻度 as every page, list and workbook writes it: 「5年更新」 (the 調査票's own example), 「不定期」, or ''. */
export function formatUpdateCycle(years: number | null | undefined, irregular: boolean | null | undefined): string {
  if (irregular) return '不定期';
  return years ? `${years}年更新` : '';
}

/** Each kind's value as a person reads it ('' when unanswered): the change lists' formatter. */
const SHOW: Record<FieldKind, (f: ResponseFieldSpec, value: unknown, a: ResponseAnswers) => string> = {
  text: (_f, v) => String(v ?? ''),
  yesNo: choiceLabel,
  choice: choiceLabel,
  latestNumber: (_f, v) => (v === null || v === undefined ? '' : `第${v as number}次`),
  updateCycle: (f, v, a) => formatUpdateCycle(v as number | null, companionValue(a, f) === true),
  year: (_f, v) => year((v ?? null) as number | null),
};

/** A field's value as a person reads it ('' when unanswered). */
export function showField(f: ResponseFieldSpec, a: ResponseAnswers): string {
  return SHOW[f.kind](f, fieldValue(a, f.path), a);
}

export interface ChangeField {
  path: string;
  label: string;
  /** the value as a person reads it ('' when unanswered) */
  show: (a: ResponseAnswers) => string;
}

/** Every field of a survey's response: 質問1–3, then one per measure. */
export function responseFields(measures: readonly MeasureRef[], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): ChangeField[] {
  return [
    ...fields.map((f) => ({ path: f.path, label: f.label, show: (a: ResponseAnswers) => showField(f, a) })),
    ...measures.map((m) => ({ path: `/measures/${m.code}`, label: m.label, show: (a: ResponseAnswers) => (a.measures[m.code] ? ANSWER_LABELS[a.measures[m.code]] : '') })),
  ];
}

export interface FieldDifference {
  path: string;
  label: string;
  before: string;
  after: string;
}

/** The fields whose value reads differently in `after` than in `before`, in form order. */
export function differences(before: ResponseAnswers, after: ResponseAnswers, measures: readonly MeasureRef[]): FieldDifference[] {
  return responseFields(measures)
    .map((f) => ({ path: f.path, label: f.label, before: f.show(before), after: f.show(after) }))
    .filter((d) => d.before !== d.after);
}

// Type checks: every property of «A response» is a field (or a field's companion) of the table, and every field
// is a property. Adding a question to the types without the table, or to the table without the types, fails here.
type KeysOf<G extends string> = FieldPath extends infer P ? (P extends `/${G}/${infer K}` ? K : never) : never;
type CompanionKeys = Extract<(typeof RESPONSE_FIELDS)[number], { companion: unknown }>['companion']['key'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyContactField: Same<KeysOf<'contact'>, keyof ContactAnswers> = true;
const everyPlanField: Same<KeysOf<'plan'> | CompanionKeys, keyof PlanAnswers> = true;
const everyTopField: Same<Exclude<FieldPath, `/${string}/${string}`>, `/${Exclude<keyof ResponseAnswers, 'contact' | 'plan' | 'measures'>}`> = true;
void [everyContactField, everyPlanField, everyTopField];
