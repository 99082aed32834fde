// The respondent form's measure table (46 measures × 3 radios) is most of the page and of its rendering time
// (issue #15). Its partial is rendered once per survey definition with no answer chosen and once with every answer
// chosen; the difference is exactly the ` checked` of each radio, so a page splices in those of its answers and
// is the same HTML as the partial rendered for it. A page with an error on a measure renders the partial itself.
import type { FieldError } from '../../../domain/errors.js';
import { ANSWERS } from '../../../domain/glossary.js';
import type { Measure } from '../../../db/schema.js';
import { measureGroups } from './form.js';

export const MEASURE_TABLE_PARTIAL = 'respondent-measures';
const CHECKED = ' checked';

export interface MeasureTable {
  /** the HTML between the radios' ` checked` slots (one more than the slots) */
  segments: string[];
  /** each slot's measure and answer, in page order */
  slots: Array<{ code: string; answer: string }>;
}

type Render = (context: unknown) => string;
type Measures = Array<Pick<Measure, 'code' | 'category' | 'label'>>;

/** The table of a definition: the partial without and with every radio checked, aligned slot by slot. */
export function measureTableOf(render: Render, measures: Measures): MeasureTable {
  const none = render({ groups: measureGroups({ measures: {} }, [], measures) });
  const slots = measures.flatMap((m) => ANSWERS.map((answer) => ({ code: m.code, answer })));
  const everyGroup = measureGroups({ measures: {} }, [], measures) as Array<{ rows: Array<{ options: Array<{ checked: boolean }> }> }>;
  for (const g of everyGroup) for (const r of g.rows) for (const o of r.options) o.checked = true;
  const all = render({ groups: everyGroup });
  const segments: string[] = [];
  let start = 0;
  let j = 0;
  for (let i = 0; i < none.length; i++, j++) {
    if (none[i] === all[j]) continue;
    if (!all.startsWith(CHECKED, j)) throw new Error('measure table: the checked rendering differs by more than the radios\' checked');
    segments.push(none.slice(start, i));
    start = i;
    j += CHECKED.length;
  }
  segments.push(none.slice(start));
  if (segments.length !== slots.length + 1 || j !== all.length) throw new Error(`measure table: ${segments.length - 1} checked slots for ${slots.length} radios`);
  return { segments, slots };
}

/** The table with the given answers chosen. */
export function fillMeasureTable(table: MeasureTable, answers: Record<string, string>): string {
  let html = table.segments[0];
  for (let k = 0; k < table.slots.length; k++) {
    const slot = table.slots[k];
    html += (answers[slot.code] === slot.answer ? CHECKED : '') + table.segments[k + 1];
  }
  return html;
}

/**
 * The measure table of a page, for `{{{measureTable}}}` on a line of its own in form.hbs: without the first line's
 * indentation and the last newline, which that line supplies. From the definition's table, or rendered when a
 * measure has an error.
 */
export function measureTableHtml(render: Render, table: () => MeasureTable, answers: Record<string, string>, errors: FieldError[], measures: Measures): string {
  const html = errors.some((e) => e.path.startsWith('/measures/'))
    ? render({ groups: measureGroups({ measures: answers }, errors, measures) })
    : fillMeasureTable(table(), answers);
  return html.replace(/^ {4}/, '').replace(/\n$/, '');
}
