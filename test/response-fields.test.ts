// One definition of a response (issue #10 §1): a question added to a copy of the field table appears in the
// JSON schema, the form (its input, label, error link), the 調査票 (its row, prefilled and read back), the
// workbook's list, the change list and the summary — with nothing else edited.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import ExcelJS from 'exceljs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { answersLayout, answersRow, putBodyRow, putTableHeader } from '../exports/list-sheets.js';
import { buildQuestionnaire } from '../exports/questionnaire.js';
import { questionGroups } from '../exports/questionnaire-layout.js';
import { parseQuestionnaire } from '../exports/questionnaire-parse.js';
import type { ParticipantRecord, ResultsData } from '../exports/types.js';
import { EMPTY_ANSWERS, type ResponseAnswers } from '../server/domain/response.js';
import { RESPONSE_FIELDS, responseFields, type ResponseFieldSpec } from '../server/domain/response-fields.js';
import { registerHelpers } from '../server/views/helpers.js';
import { formModel, inputFromValues, valuesFromAnswers, valuesFromBody } from '../server/routes/pages/respondent/form.js';
import { ResponseInputSchema, responseSchemasFor } from '../server/schemas/response.js';
import { contactLines } from '../server/services/response-summary.js';
import { cellText, roundTrip } from './excel-fixtures.js';

/** The new question: a fax number, asked in 質問1 after the e-mail address. */
const FAX: ResponseFieldSpec = {
  path: '/contact/fax',
  label: 'FAX番号',
  kind: 'text',
  description: 'FAX番号（直通）',
  maxLength: { max: 40, name: 'FAX番号' },
  form: { name: 'fax', id: 'f-fax', slot: 'contact', label: 'FAX番号（直通）', hint: '例: 0798-35-0000', type: 'tel' },
  questionnaire: { id: '1-6', label: 'FAX番号（直通）' },
  lists: { answers: { header: 'FAX番号', width: 14, organiserOnly: true } },
  summary: { label: 'FAX番号（直通）', empty: '' },
};
const afterEmail = RESPONSE_FIELDS.findIndex((f) => f.path === '/contact/email') + 1;
const FIELDS: ResponseFieldSpec[] = [...RESPONSE_FIELDS.slice(0, afterEmail), FAX, ...RESPONSE_FIELDS.slice(afterEmail)];

const MEASURES = [{ code: 'M01', category: '自治体の対策', label: 'ICTガバナンスの強化' }];
const withFax = (fax: string) => ({ ...EMPTY_ANSWERS, contact: { ...EMPTY_ANSWERS.contact, fax } }) as unknown as ResponseAnswers;

function renderForm(model: unknown): string {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const dir = path.resolve(import.meta.dirname, '../templates');
  for (const file of readdirSync(`${dir}/partials`)) hbs.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(`${dir}/partials/${file}`, 'utf8'));
  const page = hbs.compile(readFileSync(`${dir}/pages/respondent/form.hbs`, 'utf8'));
  return page({ survey: { title: '中核市情報化推進計画調査', deadline: '2026-12-18', intro_text: '' }, city: { name: '西宮市' }, statusLabel: '一時保存', form: model, csrf: 't', version: 1 });
}

describe('a question added to the field table', () => {
  it('is a property of the JSON schema, with its limit, and only of the table that has it', () => {
    const { input, answers } = responseSchemasFor(FIELDS);
    expect(Value.Check(input, { contact: { fax: '0798-35-0000' } })).toBe(true);
    expect(Value.Check(input, { contact: { fax: '0'.repeat(41) } })).toBe(false);
    expect(Value.Check(ResponseInputSchema, { contact: { fax: '0798-35-0000' } })).toBe(false);
    expect(answers.properties.contact.properties).toHaveProperty('fax');
    expect(Object.keys(answers.properties.contact.properties)).toEqual(['department', 'personKana', 'phone', 'email', 'fax']);
  });

  it('is an input of the form, labelled, prefilled, posted back, and linked from the error summary', () => {
    const shown = valuesFromAnswers(withFax('0798-35-0000'), FIELDS) as unknown as Record<string, unknown>;
    expect(shown.fax).toBe('0798-35-0000');
    const posted = valuesFromBody({ fax: '0798-35-1111', department: '情報企画課' }, [], FIELDS);
    expect((inputFromValues(posted, FIELDS).contact as Record<string, unknown>).fax).toBe('0798-35-1111');

    const html = renderForm(formModel(posted, [{ path: '/contact/fax', message: 'FAX番号は 40 文字以内で入力してください' }], MEASURES, {}, FIELDS));
    expect(html).toContain('<label for="f-fax">FAX番号（直通）</label>');
    expect(html).toMatch(/<input type="tel" id="f-fax" name="fax" value="0798-35-1111"[^>]* aria-invalid="true">/);
    expect(html).toContain('<a href="#f-fax">FAX番号は 40 文字以内で入力してください</a>');
    // after the e-mail address, in 質問1
    const q1 = html.slice(html.indexOf('id="q1-title"'), html.indexOf('id="q2-title"'));
    expect(q1.indexOf('id="f-fax"')).toBeGreaterThan(q1.indexOf('id="f-email"'));
  });

  it('is a row of the 調査票, prefilled, and read back from a filled copy', async () => {
    const groups = questionGroups(FIELDS);
    const wb = buildQuestionnaire(
      { survey: { id: 7, title: '調査', deadline: '2026-12-18', hostCityName: '西宮市' }, city: { code: '272035', name: '豊中市' }, measures: MEASURES, answers: withFax('06-6858-0000'), signature: 's', version: 1 },
      groups,
    );
    const back = await roundTrip(wb);
    const ws = back.getWorksheet('調査票')!;
    let row = 0;
    ws.eachRow((r, n) => {
      if (cellText(r.getCell(1)) === '1-6') row = n;
    });
    expect(row).toBeGreaterThan(0);
    expect(cellText(ws.getCell(row, 2))).toBe('FAX番号（直通）');
    expect(cellText(ws.getCell(row, 4))).toBe('06-6858-0000');
    expect(cellText(ws.getCell(row - 1, 1))).toBe('1-5');

    ws.getCell(row, 4).value = '06-6858-2222';
    const parsed = parseQuestionnaire(await roundTrip(back), MEASURES, groups);
    expect(parsed.errors).toEqual([]);
    expect((parsed.input.contact as Record<string, unknown>).fax).toBe('06-6858-2222');
    expect(parsed.cells['/contact/fax']).toBe(`調査票!D${row}`);
  });

  it("is a column of the organiser's 回答一覧 (not of a respondent's), with the city's answer", async () => {
    const results: ResultsData = { surveyId: 7, respondents: 1, denominator: 1, bands: [], measures: [] };
    const record: ParticipantRecord = {
      cityCode: '272035', cityName: '豊中市', prefecture: '大阪府', population: 401558, bandIndex: 1, isHost: false, status: 'submitted',
      invitedAt: null, mailedAt: null, openedAt: null, updatedAt: null, submittedAt: null, answers: withFax('06-6858-0000'),
    };
    const row = { record, displayName: '豊中市', mask: (t: string) => t, bandLabel: '30万人以上50万人未満の市' };
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回答一覧');
    const layout = answersLayout(results, 'organiser', FIELDS);
    putTableHeader(ws, layout);
    putBodyRow(ws, 2, answersRow(results, row, 'organiser', FIELDS), layout);
    const back = (await roundTrip(wb)).getWorksheet('回答一覧')!;
    const headers = (back.getRow(1).values as unknown[]).slice(1).map(String);
    const col = headers.indexOf('FAX番号') + 1;
    expect(headers[col - 2]).toBe('メールアドレス（所属）');
    expect(cellText(back.getCell(2, col))).toBe('06-6858-0000');
    expect(answersLayout(results, 'respondent', FIELDS).headers).not.toContain('FAX番号');
  });

  it('is in the change list and the summary', () => {
    const fax = responseFields([], FIELDS).find((f) => f.path === '/contact/fax')!;
    expect(fax.label).toBe('FAX番号');
    expect(fax.show(withFax('06-6858-0000'))).toBe('06-6858-0000');
    expect(contactLines(withFax('06-6858-0000'), FIELDS).at(-1)).toEqual({ label: 'FAX番号（直通）', value: '06-6858-0000' });
  });
});
