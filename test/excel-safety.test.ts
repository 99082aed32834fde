// Formula injection: hostile text in every free-text field of every exported workbook comes out as text
// (prefixed with '), never as a formula and never starting with =, +, -, @, tab, CR or LF.
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildQuestionnaire } from '../exports/questionnaire.js';
import { buildRespondentWorkbook } from '../exports/respondent-workbook.js';
import { buildResultsWorkbook } from '../exports/results-workbook.js';
import { safeText } from '../exports/safe-cell.js';
import type { ParticipantRecord } from '../exports/types.js';
import { MEASURES, participants, resultsFor, roundTrip, SURVEY } from './excel-fixtures.js';

const HOSTILE = ['=HYPERLINK("http://evil.example/","click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '\n=1+1', '=cmd|\' /C calc\'!A0'];

function hostileParticipants(): ParticipantRecord[] {
  return participants().map((p, i) => {
    const bad = (k: number) => HOSTILE[(i + k) % HOSTILE.length];
    return {
      ...p,
      cityName: i === 1 ? bad(0) : p.cityName,
      prefecture: bad(1),
      answers: p.answers && {
        ...p.answers,
        contact: { department: bad(2), personKana: bad(3), phone: bad(4), email: bad(5) },
        plan: { ...p.answers.plan, name: bad(6), notes: bad(7), latestNumber: bad(0) },
      },
    };
  });
}

const TRIGGER = /^[=+\-@\t\r\n]/;

function offendingCells(wb: ExcelJS.Workbook): string[] {
  const bad: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as unknown;
        if (typeof v === 'string' && TRIGGER.test(v)) bad.push(`${ws.name}!${cell.address}`);
        if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) bad.push(`${ws.name}!${cell.address} (formula)`);
        if (v && typeof v === 'object' && 'richText' in v) bad.push(`${ws.name}!${cell.address} (rich text)`);
      }),
    ),
  );
  return bad;
}

async function formulaElements(wb: ExcelJS.Workbook): Promise<number> {
  const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  let count = 0;
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet[0-9]+\.xml$/.test(n))) {
    count += ((await zip.file(name)!.async('string')).match(/<f[ >]/g) ?? []).length;
  }
  return count;
}

describe('formula injection', () => {
  it('safeText prefixes every trigger character and leaves ordinary text alone', () => {
    for (const h of HOSTILE) expect(safeText(h)).toBe(`'${h}`);
    expect(safeText('0798-35-3151')).toBe('0798-35-3151');
    expect(safeText('西宮市情報化推進計画')).toBe('西宮市情報化推進計画');
    expect(safeText('a\u0000b\u0007c')).toBe('abc');
  });

  it('the organiser workbook shows hostile answers as text', async () => {
    const list = hostileParticipants();
    const title = { ...SURVEY, title: '=1+1 調査' };
    const wb = await roundTrip(buildResultsWorkbook({ survey: title, results: resultsFor(list), participants: list }));
    expect(offendingCells(wb)).toEqual([]);
    expect(await formulaElements(wb)).toBe(0);
    const texts: string[] = [];
    wb.getWorksheet('回答一覧')!.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain(`'${HOSTILE[0]}`);
    expect(texts).toContain(`'${HOSTILE[3]}`);
  });

  it('the respondent workbook shows hostile answers as text', async () => {
    const list = hostileParticipants();
    const wb = await roundTrip(buildRespondentWorkbook({ survey: SURVEY, results: resultsFor(list), participants: list, cityCode: '282014' }));
    expect(offendingCells(wb)).toEqual([]);
    expect(await formulaElements(wb)).toBe(0);
  });

  it('the questionnaire shows hostile prefilled answers as text', async () => {
    const p = hostileParticipants()[2];
    const wb = await roundTrip(
      buildQuestionnaire({
        survey: { id: 7, title: '@調査', deadline: '2026-12-18', hostCityName: '-西宮市' },
        city: { code: p.cityCode, name: '+姫路市' },
        measures: MEASURES,
        answers: p.answers!,
        signature: 'x',
        version: 1,
      }),
    );
    expect(offendingCells(wb)).toEqual([]);
    expect(await formulaElements(wb)).toBe(0);
  });
});
