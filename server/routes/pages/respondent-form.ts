// The respondent form's view model and parsing: form fields ⇄ ResponseInput, error paths ⇄ field ids.
// The form posts strings; the domain normalises and validates them exactly as it does the JSON API's.
import type { Measure } from '../../db/schema.js';
import type { FieldError } from '../../domain/errors.js';
import { ANSWER_LABELS, ANSWERS, DISCLOSURE_LABELS, DISCLOSURES, NEXT_PLAN_LABELS, NEXT_PLANS } from '../../domain/glossary.js';
import { formatLatestNumber, type ResponseAnswers, type ResponseInput } from '../../domain/response.js';

/** The form's raw values (what the respondent sees in the inputs). */
export interface FormValues {
  department: string;
  personKana: string;
  phone: string;
  email: string;
  hasPlan: string;
  planName: string;
  latestNumber: string;
  updateCycleYears: string;
  updateCycleIrregular: boolean;
  periodStart: string;
  periodEnd: string;
  nextPlan: string;
  notes: string;
  disclosure: string;
  measures: Record<string, string>;
}

type Body = Record<string, unknown>;
const str = (v: unknown): string => (Array.isArray(v) ? str(v[0]) : typeof v === 'string' ? v : '');

export function valuesFromBody(body: Body, measures: Pick<Measure, 'code'>[]): FormValues {
  return {
    department: str(body.department),
    personKana: str(body.personKana),
    phone: str(body.phone),
    email: str(body.email),
    hasPlan: str(body.hasPlan),
    planName: str(body.planName),
    latestNumber: str(body.latestNumber),
    updateCycleYears: str(body.updateCycleYears),
    updateCycleIrregular: str(body.updateCycleIrregular) === '1',
    periodStart: str(body.periodStart),
    periodEnd: str(body.periodEnd),
    nextPlan: str(body.nextPlan),
    notes: str(body.notes),
    disclosure: str(body.disclosure),
    measures: Object.fromEntries(measures.map((m) => [m.code, str(body[`m_${m.code}`])])),
  };
}

export function valuesFromAnswers(a: ResponseAnswers): FormValues {
  return {
    ...a.contact,
    hasPlan: a.plan.hasPlan === null ? '' : a.plan.hasPlan ? 'yes' : 'no',
    planName: a.plan.name,
    latestNumber: formatLatestNumber(a.plan.latestNumber) ?? '',
    updateCycleYears: a.plan.updateCycleYears === null ? '' : String(a.plan.updateCycleYears),
    updateCycleIrregular: a.plan.updateCycleIrregular,
    periodStart: a.plan.periodStart === null ? '' : String(a.plan.periodStart),
    periodEnd: a.plan.periodEnd === null ? '' : String(a.plan.periodEnd),
    nextPlan: a.plan.nextPlan ?? '',
    notes: a.plan.notes,
    disclosure: a.disclosure ?? '',
    measures: { ...a.measures },
  };
}

export function inputFromValues(v: FormValues): ResponseInput {
  return {
    contact: { department: v.department, personKana: v.personKana, phone: v.phone, email: v.email },
    plan: {
      hasPlan: v.hasPlan === 'yes' ? true : v.hasPlan === 'no' ? false : null,
      name: v.planName,
      latestNumber: v.latestNumber,
      updateCycleYears: v.updateCycleYears,
      updateCycleIrregular: v.updateCycleIrregular,
      periodStart: v.periodStart,
      periodEnd: v.periodEnd,
      nextPlan: v.nextPlan,
      notes: v.notes,
    },
    disclosure: v.disclosure,
    measures: v.measures,
  };
}

/** The form inputs that carry each field of domain/response-fields.ts (a measure: `measures.<code>`). */
const FORM_KEYS: Record<string, Array<Exclude<keyof FormValues, 'measures'>>> = {
  '/contact/department': ['department'],
  '/contact/personKana': ['personKana'],
  '/contact/phone': ['phone'],
  '/contact/email': ['email'],
  '/plan/hasPlan': ['hasPlan'],
  '/plan/name': ['planName'],
  '/plan/latestNumber': ['latestNumber'],
  '/plan/updateCycleYears': ['updateCycleYears', 'updateCycleIrregular'],
  '/plan/periodStart': ['periodStart'],
  '/plan/periodEnd': ['periodEnd'],
  '/plan/nextPlan': ['nextPlan'],
  '/plan/notes': ['notes'],
  '/disclosure': ['disclosure'],
};

/** `mine` with the fields named taken from `theirs` (the conflict page's per-field choice). */
export function takeFields(mine: FormValues, theirs: FormValues, paths: string[]): FormValues {
  const merged: FormValues = { ...mine, measures: { ...mine.measures } };
  for (const path of paths) {
    const measure = /^\/measures\/(.+)$/.exec(path);
    if (measure) merged.measures[measure[1]] = theirs.measures[measure[1]] ?? '';
    else for (const key of FORM_KEYS[path] ?? []) (merged as unknown as Record<string, unknown>)[key] = theirs[key];
  }
  return merged;
}

/** The form values as hidden inputs (name, value), so a page can carry what was typed to the next POST. */
export function hiddenInputs(v: FormValues): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [key, value] of Object.entries(v)) {
    if (key === 'measures') continue;
    if (key === 'updateCycleIrregular') {
      if (value) out.push({ name: key, value: '1' });
    } else out.push({ name: key, value: String(value) });
  }
  for (const [code, value] of Object.entries(v.measures)) out.push({ name: `m_${code}`, value });
  return out;
}

const FIELD_IDS: Record<string, string> = {
  '/contact/department': 'f-department',
  '/contact/personKana': 'f-personKana',
  '/contact/phone': 'f-phone',
  '/contact/email': 'f-email',
  '/plan/hasPlan': 'f-hasPlan-yes',
  '/plan/name': 'f-planName',
  '/plan/latestNumber': 'f-latestNumber',
  '/plan/updateCycleYears': 'f-updateCycleYears',
  '/plan/periodStart': 'f-periodStart',
  '/plan/periodEnd': 'f-periodEnd',
  '/plan/nextPlan': 'f-nextPlan-update',
  '/plan/notes': 'f-notes',
  '/disclosure': 'f-disclosure-public',
};

export function fieldIdFor(path: string): string {
  const m = /^\/measures\/(.+)$/.exec(path);
  return m ? `m-${m[1]}-implemented` : (FIELD_IDS[path] ?? 'respond-form');
}

interface TextField {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value: string;
  type: string;
  autocomplete?: string;
  error?: string;
  describedBy: string;
  multiline?: boolean;
}

function textField(id: string, name: keyof FormValues, label: string, v: FormValues, errs: Map<string, string>, path: string, extra: Partial<TextField> = {}): TextField {
  const error = errs.get(path);
  const hintId = extra.hint ? `${id}-hint` : '';
  return {
    id,
    name,
    label,
    value: String(v[name]),
    type: 'text',
    ...extra,
    error,
    describedBy: [hintId, error ? `${id}-error` : ''].filter(Boolean).join(' '),
  };
}

function radios(idPrefix: string, name: string, options: Array<{ value: string; label: string }>, selected: string) {
  return options.map((o) => ({ id: `${idPrefix}-${o.value}`, name, value: o.value, label: o.label, checked: o.value === selected }));
}

const errorMap = (errors: FieldError[]) => {
  const errs = new Map<string, string>();
  for (const e of errors) if (!errs.has(e.path)) errs.set(e.path, e.message);
  return errs;
};

/** The measures by category, each with its radios (the measure table of templates/partials/respondent-measures.hbs). */
export function measureGroups(v: Pick<FormValues, 'measures'>, errors: FieldError[], measures: Pick<Measure, 'code' | 'category' | 'label'>[]) {
  const errs = errorMap(errors);
  const groups: Array<{ category: string; headingId: string; rows: unknown[] }> = [];
  measures.forEach((m) => {
    let g = groups.at(-1);
    if (!g || g.category !== m.category) groups.push((g = { category: m.category, headingId: `cat-${groups.length + 1}`, rows: [] }));
    const error = errs.get(`/measures/${m.code}`);
    g.rows.push({
      code: m.code,
      label: m.label,
      legendId: `m-${m.code}-legend`,
      error,
      errorId: `m-${m.code}-error`,
      options: radios(`m-${m.code}`, `m_${m.code}`, ANSWERS.map((a) => ({ value: a, label: ANSWER_LABELS[a] })), v.measures[m.code] ?? ''),
    });
  });
  return groups;
}

/** Everything the form template needs, with errors attached to their fields; `groups: false` leaves the measure table out. */
export function formModel(v: FormValues, errors: FieldError[], measures: Pick<Measure, 'code' | 'category' | 'label'>[], opts: { receipts?: boolean; groups?: boolean } = {}) {
  const errs = errorMap(errors);
  const groups = opts.groups === false ? [] : measureGroups(v, errors, measures);
  const group = (path: string, id: string) => ({ error: errs.get(path), errorId: `${id}-error` });
  return {
    errors: errors.map((e) => ({ ...e, fieldId: fieldIdFor(e.path) })),
    contact: [
      textField('f-department', 'department', '担当部署（部課等名）', v, errs, '/contact/department', { hint: '例: 総務局 情報管理部 情報企画課', autocomplete: 'organization-title' }),
      textField('f-personKana', 'personKana', '担当者名（カナ）', v, errs, '/contact/personKana', { hint: 'カタカナで入力してください（例: ニシノミヤ タロウ）。半角カナは全角に直して保存します' }),
      textField('f-phone', 'phone', '電話番号（直通）', v, errs, '/contact/phone', { type: 'tel', hint: '例: 0798-35-3151（全角の数字・ハイフンでも入力できます）', autocomplete: 'tel' }),
      textField('f-email', 'email', 'メールアドレス（所属）', v, errs, '/contact/email', { type: 'email', hint: opts.receipts ? '例: joho@city.example.lg.jp（送信時に、照会先のメールアドレスと、それと同じドメインのこのアドレスへ受付のメールをお送りします）' : '例: joho@city.example.lg.jp', autocomplete: 'email' }),
    ],
    hasPlan: { ...group('/plan/hasPlan', 'f-hasPlan'), options: radios('f-hasPlan', 'hasPlan', [{ value: 'yes', label: '計画を策定している' }, { value: 'no', label: 'なし（計画を策定していない）' }], v.hasPlan) },
    planFields: [
      textField('f-planName', 'planName', '計画名称', v, errs, '/plan/name', { hint: '例: 西宮市情報化推進計画' }),
      textField('f-latestNumber', 'latestNumber', '最新番号', v, errs, '/plan/latestNumber', { hint: '例: 第4次（「第四次」「4」でも入力できます）' }),
    ],
    updateCycle: {
      field: textField('f-updateCycleYears', 'updateCycleYears', '更新頻度（年ごと）', v, errs, '/plan/updateCycleYears', { hint: '1〜20 の年数（例: 5）。定まっていない場合は下の「不定期」を選んでください' }),
      irregular: v.updateCycleIrregular,
    },
    period: [
      textField('f-periodStart', 'periodStart', '開始年度', v, errs, '/plan/periodStart', { hint: '西暦（例: 2014）または和暦（例: 平成26年度、H26、令和2年度、R2）' }),
      textField('f-periodEnd', 'periodEnd', '終了年度', v, errs, '/plan/periodEnd', { hint: '西暦（例: 2018）または和暦（例: 平成30年度、H30）' }),
    ],
    nextPlan: { ...group('/plan/nextPlan', 'f-nextPlan'), options: radios('f-nextPlan', 'nextPlan', NEXT_PLANS.map((p) => ({ value: p, label: NEXT_PLAN_LABELS[p] })), v.nextPlan) },
    notes: textField('f-notes', 'notes', '備考', v, errs, '/plan/notes', { multiline: true, hint: '任意' }),
    disclosure: { ...group('/disclosure', 'f-disclosure'), options: radios('f-disclosure', 'disclosure', DISCLOSURES.map((d) => ({ value: d, label: DISCLOSURE_LABELS[d] })), v.disclosure) },
    groups,
  };
}
