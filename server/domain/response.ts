// The response model (質問1–3 and the measure table): types, normalisation, and validation for a draft
// (only what cannot be stored) and for submission (every required answer). One code path for form, API and Excel.
import type { FieldError } from './errors.js';
import { ANSWERS, type Answer, DISCLOSURES, type Disclosure, NEXT_PLANS, type NextPlan } from './glossary.js';
import { isEmail, isKatakanaName, isPhoneNumber, normaliseEmail, normaliseKana, normalisePhone, normaliseText, parseSmallInteger, toHalfWidthDigits, trimAll } from './normalise.js';
import { fieldValue, RESPONSE_FIELDS } from './response-fields.js';
import { parseFiscalYear } from './wareki.js';

export interface ContactAnswers {
  department: string;
  personKana: string;
  phone: string;
  email: string;
}

export interface PlanAnswers {
  hasPlan: boolean | null;
  name: string;
  /** 第4次 → 4 */
  latestNumber: number | null;
  updateCycleYears: number | null;
  /** 更新頻度が「不定期」 */
  updateCycleIrregular: boolean;
  /** fiscal years (年度), Gregorian */
  periodStart: number | null;
  periodEnd: number | null;
  nextPlan: NextPlan | null;
  notes: string;
}

/** A response as stored: normalised values. */
export interface ResponseAnswers {
  contact: ContactAnswers;
  plan: PlanAnswers;
  disclosure: Disclosure | null;
  measures: Record<string, Answer>;
}

/** What a caller may send: any field may be absent (kept as is), typed loosely (strings from forms and sheets). */
export interface ResponseInput {
  contact?: Partial<Record<keyof ContactAnswers, string | null>>;
  plan?: {
    hasPlan?: boolean | null;
    name?: string | null;
    latestNumber?: string | number | null;
    updateCycleYears?: string | number | null;
    updateCycleIrregular?: boolean | null;
    periodStart?: string | number | null;
    periodEnd?: string | number | null;
    nextPlan?: string | null;
    notes?: string | null;
  };
  disclosure?: string | null;
  /** code → answer; null clears an answer */
  measures?: Record<string, string | null>;
}

export interface MeasureRef {
  code: string;
  label: string;
}

export const EMPTY_ANSWERS: ResponseAnswers = {
  contact: { department: '', personKana: '', phone: '', email: '' },
  plan: {
    hasPlan: null,
    name: '',
    latestNumber: null,
    updateCycleYears: null,
    updateCycleIrregular: false,
    periodStart: null,
    periodEnd: null,
    nextPlan: null,
    notes: '',
  },
  disclosure: null,
  measures: {},
};

export const MIN_FISCAL_YEAR = 1900;
export const MAX_FISCAL_YEAR = 2100;

const KANJI_DIGITS: Record<string, number> = { 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 「四」「十二」「二十」 → 4, 12, 20 (1–99). */
function kanjiNumber(s: string): number | undefined {
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(s);
  if (!m || s === '') return undefined;
  if (!m[2]) return m[1] && !m[3] ? KANJI_DIGITS[m[1]] : undefined;
  return (m[1] ? KANJI_DIGITS[m[1]] : 1) * 10 + (m[3] ? KANJI_DIGITS[m[3]] : 0);
}

/** '第4次' / '第四次' / '４' / '4次' / 4 → 4; undefined when unreadable. */
export function parseLatestNumber(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) ? input : undefined;
  const v = trimAll(toHalfWidthDigits(input)).replace(/\s/g, '');
  const m = /^第?([0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:次|期|版)?$/.exec(v);
  if (!m) return undefined;
  return /^[0-9]+$/.test(m[1]) ? Number(m[1]) : kanjiNumber(m[1]);
}

export function formatLatestNumber(n: number | null): string | null {
  return n === null ? null : `第${n}次`;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && trimAll(v) === '');

/**
 * Applies an input over the current answers (absent fields keep their value; null or '' clears) and
 * normalises it. `errors` lists what cannot be stored at all (an unreadable year, an unknown measure …).
 */
export function normaliseResponse(input: ResponseInput, current: ResponseAnswers, measures: MeasureRef[]): { answers: ResponseAnswers; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const contact = { ...current.contact };
  const c = input.contact ?? {};
  if (c.department !== undefined) contact.department = normaliseText(c.department ?? '');
  if (c.personKana !== undefined) contact.personKana = normaliseKana(c.personKana ?? '');
  if (c.phone !== undefined) contact.phone = normalisePhone(c.phone ?? '');
  if (c.email !== undefined) contact.email = normaliseEmail(c.email ?? '');

  const plan = { ...current.plan };
  const p = input.plan ?? {};
  if (p.hasPlan !== undefined) plan.hasPlan = p.hasPlan;
  if (p.name !== undefined) plan.name = normaliseText(p.name ?? '');
  if (p.notes !== undefined) plan.notes = normaliseText(p.notes ?? '');
  if (p.updateCycleIrregular !== undefined) plan.updateCycleIrregular = p.updateCycleIrregular === true;
  if (p.latestNumber !== undefined) {
    const n = blank(p.latestNumber) ? null : parseLatestNumber(p.latestNumber!);
    if (n === undefined || (n !== null && (n < 1 || n > 99))) {
      errors.push({ path: '/plan/latestNumber', message: '最新番号は「第4次」「第四次」「4」のように、1〜99 の番号で入力してください' });
    } else plan.latestNumber = n;
  }
  if (p.updateCycleYears !== undefined) {
    const n = blank(p.updateCycleYears) ? null : parseSmallInteger(p.updateCycleYears!, '年|年ごと|年毎|年更新');
    if (n === undefined || (n !== null && (n < 1 || n > 20))) {
      errors.push({ path: '/plan/updateCycleYears', message: '更新頻度は 1〜20 の年数で入力してください（定まっていない場合は「不定期」を選んでください）' });
    } else plan.updateCycleYears = n;
  }
  for (const key of ['periodStart', 'periodEnd'] as const) {
    if (p[key] === undefined) continue;
    const label = key === 'periodStart' ? '計画期間の開始年度' : '計画期間の終了年度';
    const year = blank(p[key]) ? null : parseFiscalYear(p[key]!);
    if (year === undefined || (year !== null && (year < MIN_FISCAL_YEAR || year > MAX_FISCAL_YEAR))) {
      errors.push({ path: `/plan/${key}`, message: `${label}は西暦（例: 2014）または和暦（例: 平成26年度、H26、令和2年度、R2）で入力してください` });
    } else plan[key] = year;
  }
  if (p.nextPlan !== undefined) {
    if (blank(p.nextPlan)) plan.nextPlan = null;
    else if ((NEXT_PLANS as readonly string[]).includes(p.nextPlan!)) plan.nextPlan = p.nextPlan as NextPlan;
    else errors.push({ path: '/plan/nextPlan', message: '次期計画の策定予定は「更新」「他計画へ統合」「廃止」「未定」から選んでください' });
  }
  if (plan.periodStart !== null && plan.periodEnd !== null && plan.periodEnd < plan.periodStart && !errors.some((e) => e.path.startsWith('/plan/period'))) {
    errors.push({ path: '/plan/periodEnd', message: '計画期間の終了年度は開始年度と同じか、それより後の年度にしてください' });
  }

  let disclosure = current.disclosure;
  if (input.disclosure !== undefined) {
    if (blank(input.disclosure)) disclosure = null;
    else if ((DISCLOSURES as readonly string[]).includes(input.disclosure!)) disclosure = input.disclosure as Disclosure;
    else errors.push({ path: '/disclosure', message: '調査結果の取扱いは「すべて公表してよい」「市名を伏せれば公表してよい」「公表しない」から選んでください' });
  }

  const answers: Record<string, Answer> = { ...current.measures };
  const known = new Set(measures.map((m) => m.code));
  for (const [code, value] of Object.entries(input.measures ?? {})) {
    if (!known.has(code)) {
      errors.push({ path: `/measures/${code}`, message: `対策「${code}」はこの調査にありません` });
    } else if (blank(value)) {
      delete answers[code];
    } else if ((ANSWERS as readonly string[]).includes(value!)) {
      answers[code] = value as Answer;
    } else {
      errors.push({ path: `/measures/${code}`, message: '実施状況は「実施済」「検討中」「未実施」から選んでください' });
    }
  }
  for (const code of Object.keys(answers)) if (!known.has(code)) delete answers[code];
  const normalised: ResponseAnswers = { contact, plan, disclosure, measures: answers };
  for (const f of RESPONSE_FIELDS) {
    if (!('maxLength' in f)) continue;
    const { max, name } = f.maxLength;
    if (String(fieldValue(normalised, f.path)).length > max) errors.push({ path: f.path, message: `${name}は ${max} 文字以内で入力してください` });
  }
  return { answers: normalised, errors };
}

/** Every error that keeps a response from being submitted, in form order. */
export function validateForSubmit(a: ResponseAnswers, measures: MeasureRef[]): FieldError[] {
  const errors: FieldError[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) errors.push({ path, message });
  };
  need(a.contact.department !== '', '/contact/department', '担当部署を入力してください');
  if (a.contact.personKana === '') need(false, '/contact/personKana', '担当者名（カナ）を入力してください');
  else need(isKatakanaName(a.contact.personKana), '/contact/personKana', '担当者名（カナ）は、カタカナ（ひらがな・半角カナは全角のカタカナに直します）と空白、「ー」で入力してください');
  if (a.contact.phone === '') need(false, '/contact/phone', '電話番号（直通）を入力してください');
  else need(isPhoneNumber(a.contact.phone), '/contact/phone', '電話番号は 0 から始まる 10〜11 桁の数字で、例: 0798-35-3151 のように入力してください');
  if (a.contact.email === '') need(false, '/contact/email', 'メールアドレス（所属）を入力してください');
  else need(isEmail(a.contact.email), '/contact/email', 'メールアドレスの形式が正しくありません（例: joho@city.example.lg.jp）');

  need(a.plan.hasPlan !== null, '/plan/hasPlan', '情報化計画の策定状況（計画あり・計画なし）を選んでください');
  if (a.plan.hasPlan) {
    need(a.plan.name !== '', '/plan/name', '計画名称を入力してください');
    need(a.plan.latestNumber !== null, '/plan/latestNumber', '最新番号を入力してください（例: 第4次）');
    if (a.plan.updateCycleIrregular && a.plan.updateCycleYears !== null) {
      need(false, '/plan/updateCycleYears', '更新頻度は年数か「不定期」のどちらか一方にしてください');
    } else {
      need(a.plan.updateCycleIrregular || a.plan.updateCycleYears !== null, '/plan/updateCycleYears', '更新頻度を年数で入力するか、「不定期」を選んでください');
    }
    need(a.plan.periodStart !== null, '/plan/periodStart', '計画期間の開始年度を入力してください');
    need(a.plan.periodEnd !== null, '/plan/periodEnd', '計画期間の終了年度を入力してください');
    need(a.plan.nextPlan !== null, '/plan/nextPlan', '次期計画の策定予定を選んでください');
  }
  need(a.disclosure !== null, '/disclosure', '調査結果の取扱いを選んでください');
  for (const m of measures) {
    need(a.measures[m.code] !== undefined, `/measures/${m.code}`, `「${m.label}」の実施状況（実施済・検討中・未実施）を選んでください`);
  }
  return errors;
}

/** Format errors and missing answers together, one per field, in form order (so a submit reports everything at once). */
export function mergeErrors(formatErrors: FieldError[], missing: FieldError[], measures: MeasureRef[]): FieldError[] {
  const order = [...RESPONSE_FIELDS.map((f) => f.path as string), ...measures.map((m) => `/measures/${m.code}`)];
  const rank = (path: string) => (order.indexOf(path) === -1 ? order.length : order.indexOf(path));
  const seen = new Set(formatErrors.map((e) => e.path));
  return [...formatErrors, ...missing.filter((e) => !seen.has(e.path))].sort((a, b) => rank(a.path) - rank(b.path));
}
