// The respondent form's view model and parsing: form fields ⇄ ResponseInput, error paths ⇄ field ids, all derived
// from the field table (domain/response-fields.ts): each field's input name, id, label, hint and slot in the template.
// The form posts strings; the domain normalises and validates them exactly as it does the JSON API's.
import type { Measure } from '../../../db/schema.js';
import type { FieldError } from '../../../domain/errors.js';
import { ANSWER_LABELS, ANSWERS } from '../../../domain/glossary.js';
import { formatLatestNumber, type ResponseAnswers, type ResponseInput } from '../../../domain/response.js';
import {
  companionValue,
  type FieldKind,
  fieldLocation,
  fieldValue,
  type FormName,
  type FormSlot,
  RESPONSE_FIELDS,
  type ResponseFieldSpec,
} from '../../../domain/response-fields.js';

type Field = (typeof RESPONSE_FIELDS)[number];
type CompanionName = Extract<Field, { companion: unknown }>['companion']['formName'];

/** The form's raw values (what the respondent sees in the inputs): one per field of the table, by its input name. */
export type FormValues = Record<FormName, string> & Record<CompanionName, boolean> & { measures: Record<string, string> };

type Body = Record<string, unknown>;
const str = (v: unknown): string => (Array.isArray(v) ? str(v[0]) : typeof v === 'string' ? v : '');
type Values = Record<string, string | boolean | Record<string, string>>;

/** The radios of a field: the form's own options, or its choices (their stored values are the inputs' values). */
const radioOptions = (f: ResponseFieldSpec) => f.form.options ?? (f.choices ?? []).map((c) => ({ value: String(c.value), label: c.label }));
const RADIO_KINDS: ReadonlySet<FieldKind> = new Set(['yesNo', 'choice']);

/** Each kind's stored value as the form shows it. yesNo: the option at the index of the value's choice. */
const TO_FORM: Record<FieldKind, (f: ResponseFieldSpec, value: unknown) => string> = {
  text: (_f, v) => String(v ?? ''),
  yesNo: (f, v) => (v === null || v === undefined ? '' : (radioOptions(f)[(f.choices ?? []).findIndex((c) => c.value === v)]?.value ?? '')),
  latestNumber: (_f, v) => formatLatestNumber((v ?? null) as number | null) ?? '',
  updateCycle: (_f, v) => (v === null || v === undefined ? '' : String(v)),
  year: (_f, v) => (v === null || v === undefined ? '' : String(v)),
  choice: (_f, v) => String(v ?? ''),
};

/** Each kind's typed text as the domain takes it (it normalises and validates strings itself). */
const FROM_FORM: Record<FieldKind, (f: ResponseFieldSpec, text: string) => unknown> = {
  text: (_f, t) => t,
  yesNo: (f, t) => {
    const i = radioOptions(f).findIndex((o) => o.value === t);
    return i === -1 ? null : (f.choices?.[i]?.value ?? null);
  },
  latestNumber: (_f, t) => t,
  updateCycle: (_f, t) => t,
  year: (_f, t) => t,
  choice: (_f, t) => t,
};

export function valuesFromBody(body: Body, measures: Pick<Measure, 'code'>[], fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): FormValues {
  const v: Values = {};
  for (const f of fields) {
    v[f.form.name] = str(body[f.form.name]);
    if (f.companion) v[f.companion.formName] = str(body[f.companion.formName]) === '1';
  }
  v.measures = Object.fromEntries(measures.map((m) => [m.code, str(body[`m_${m.code}`])]));
  return v as FormValues;
}

export function valuesFromAnswers(a: ResponseAnswers, fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): FormValues {
  const v: Values = {};
  for (const f of fields) {
    v[f.form.name] = TO_FORM[f.kind](f, fieldValue(a, f.path));
    if (f.companion) v[f.companion.formName] = companionValue(a, f) === true;
  }
  v.measures = { ...a.measures };
  return v as FormValues;
}

export function inputFromValues(values: FormValues, fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): ResponseInput {
  const v = values as unknown as Values;
  const input: Record<string, unknown> = { contact: {}, plan: {} };
  for (const f of fields) {
    const { group, key } = fieldLocation(f.path);
    const target = group === null ? input : (input[group] as Record<string, unknown>);
    target[key] = FROM_FORM[f.kind](f, String(v[f.form.name] ?? ''));
    if (f.companion) target[f.companion.key] = v[f.companion.formName] === true;
  }
  input.measures = values.measures;
  return input as ResponseInput;
}

/** The form inputs that carry each field of the table (a measure: `measures.<code>`). */
const formKeys = (f: ResponseFieldSpec) => [f.form.name, ...(f.companion ? [f.companion.formName] : [])];

/** `mine` with the fields named taken from `theirs` (the conflict page's per-field choice). */
export function takeFields(mine: FormValues, theirs: FormValues, paths: string[]): FormValues {
  const merged: FormValues = { ...mine, measures: { ...mine.measures } };
  for (const path of paths) {
    const measure = /^\/measures\/(.+)$/.exec(path);
    if (measure) merged.measures[measure[1]] = theirs.measures[measure[1]] ?? '';
    else {
      const field = (RESPONSE_FIELDS as readonly ResponseFieldSpec[]).find((f) => f.path === path);
      for (const key of field ? formKeys(field) : []) (merged as unknown as Values)[key] = (theirs as unknown as Values)[key];
    }
  }
  return merged;
}

/** The form values as hidden inputs (name, value), so a page can carry what was typed to the next POST. */
export function hiddenInputs(v: FormValues): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [key, value] of Object.entries(v)) {
    if (key === 'measures') continue;
    if (typeof value === 'boolean') {
      if (value) out.push({ name: key, value: '1' });
    } else out.push({ name: key, value: String(value) });
  }
  for (const [code, value] of Object.entries(v.measures)) out.push({ name: `m_${code}`, value });
  return out;
}

/** The element an error links to: a text input, or a field's first radio. */
function formId(f: ResponseFieldSpec): string {
  return RADIO_KINDS.has(f.kind) ? `${f.form.id}-${radioOptions(f)[0].value}` : f.form.id;
}

export function fieldIdFor(path: string, fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS): string {
  const m = /^\/measures\/(.+)$/.exec(path);
  if (m) return `m-${m[1]}-implemented`;
  const f = fields.find((x) => x.path === path);
  return f ? formId(f) : 'respond-form';
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

function textField(id: string, name: string, label: string, v: FormValues, errs: Map<string, string>, path: string, extra: Partial<TextField> = {}): TextField {
  const error = errs.get(path);
  const hintId = extra.hint ? `${id}-hint` : '';
  return {
    id,
    name,
    label,
    value: String((v as unknown as Values)[name] ?? ''),
    type: 'text',
    ...extra,
    error,
    describedBy: [hintId, error ? `${id}-error` : ''].filter(Boolean).join(' '),
  };
}

function radios(idPrefix: string, name: string, options: ReadonlyArray<{ value: string; label: string }>, selected: string) {
  return options.map((o) => ({ id: `${idPrefix}-${o.value}`, name, value: o.value, label: o.label, checked: o.value === selected }));
}

/** Where the template places each slot's fields: a list of inputs, or one. */
const SLOTS = { contact: 'list', hasPlan: 'one', planFields: 'list', updateCycle: 'one', period: 'list', nextPlan: 'one', notes: 'one', disclosure: 'one' } as const satisfies Record<FormSlot, 'list' | 'one'>;

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
export function formModel(
  v: FormValues,
  errors: FieldError[],
  measures: Pick<Measure, 'code' | 'category' | 'label'>[],
  opts: { receipts?: boolean; groups?: boolean } = {},
  fields: readonly ResponseFieldSpec[] = RESPONSE_FIELDS,
) {
  const errs = errorMap(errors);
  const groups = opts.groups === false ? [] : measureGroups(v, errors, measures);
  const values = v as unknown as Values;
  const slots: Record<string, unknown> = Object.fromEntries(Object.entries(SLOTS).filter(([, n]) => n === 'list').map(([slot]) => [slot, []]));
  for (const f of fields) {
    const { id, name, slot } = f.form;
    let model: unknown;
    if (RADIO_KINDS.has(f.kind)) model = { error: errs.get(f.path), errorId: `${id}-error`, options: radios(id, name, radioOptions(f), String(values[name] ?? '')) };
    else {
      const { hint, receiptHint, type, autocomplete, multiline } = f.form as ResponseFieldSpec['form'];
      const extra = Object.fromEntries(Object.entries({ type, hint: (opts.receipts && receiptHint) || hint, autocomplete, multiline }).filter(([, x]) => x !== undefined));
      model = textField(id, name, f.form.label ?? f.label, v, errs, f.path, extra);
    }
    if (f.companion && slot === 'updateCycle') model = { field: model, irregular: values[f.companion.formName] === true };
    if (SLOTS[slot] === 'list') (slots[slot] as unknown[]).push(model);
    else slots[slot] = model;
  }
  return { errors: errors.map((e) => ({ ...e, fieldId: fieldIdFor(e.path, fields) })), ...slots, groups };
}
