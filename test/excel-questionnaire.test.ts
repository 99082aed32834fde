// The 調査票 workbook: prefilled answers in the measure's own row, dropdowns on exact cells, locked labels,
// a hidden sheet naming survey and city; and parsing a filled copy back, with errors by sheet and cell.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildQuestionnaire, type QuestionnaireData } from '../exports/questionnaire.js';
import { parseQuestionnaire } from '../exports/questionnaire-parse.js';
import { checkXlsxUpload } from '../exports/upload-guard.js';
import { answerFor, cellText, MEASURES, participants, roundTrip } from './excel-fixtures.js';

const LABELS = { implemented: '実施済', studying: '検討中', none: '未実施' } as const;

function data(): QuestionnaireData {
  const toyonaka = participants()[1];
  return {
    survey: { id: 7, title: '中核市情報化推進計画調査', deadline: '2026-12-18', hostCityName: '西宮市' },
    city: { code: toyonaka.cityCode, name: toyonaka.cityName },
    measures: MEASURES,
    answers: toyonaka.answers!,
    signature: 'abc123',
    version: 3,
  };
}

function rowOf(ws: ExcelJS.Worksheet, col: number, text: string): number {
  let found = 0;
  ws.eachRow((row, n) => {
    if (!found && cellText(row.getCell(col)) === text) found = n;
  });
  if (!found) throw new Error(`no row with ${text}`);
  return found;
}

describe('questionnaire workbook', () => {
  it('writes each measure answer in the same row as its label, and 質問1–3 prefilled', async () => {
    const wb = await roundTrip(buildQuestionnaire(data()));
    expect(wb.worksheets[0].name).toBe('調査票');
    const ws = wb.getWorksheet('調査票')!;
    MEASURES.forEach((m, i) => {
      const row = rowOf(ws, 2, m.label);
      expect(ws.getCell(row, 4).value).toBe(LABELS[answerFor(2, i)]);
    });
    expect(ws.getCell(rowOf(ws, 1, '1-1'), 4).value).toBe('豊中市');
    expect(ws.getCell(rowOf(ws, 1, '1-2'), 4).value).toBe('総務局 情報政策課');
    expect(ws.getCell(rowOf(ws, 1, '2-2'), 4).value).toBe('豊中市情報化基本計画');
    expect(ws.getCell(rowOf(ws, 1, '2-3'), 4).value).toBe('第3次');
    expect(ws.getCell(rowOf(ws, 1, '2-7'), 4).value).toBe('更新');
    expect(ws.getCell(rowOf(ws, 1, '3-1'), 4).value).toBe('すべて公表してよい');
    expect(cellText(ws.getCell('A3'))).toContain('記入方法');
    // the deadline as pages and mails write it (18 December 2026 is a Friday)
    expect(cellText(ws.getCell('A2'))).toBe('中核市情報化推進計画調査　照会元: 西宮市　回答期限: 令和8年12月18日（金）');
  });

  it('has dropdowns on exact cells only, never whole columns', async () => {
    const buffer = await buildQuestionnaire(data()).xlsx.writeBuffer();
    const zip = await JSZip.loadAsync(buffer);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const sqrefs = [...sheetXml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((m) => m[1]);
    expect(sqrefs.length).toBeGreaterThanOrEqual(4);
    for (const ref of sqrefs) expect(ref).toMatch(/^[A-Z]+[0-9]+(:[A-Z]+[0-9]+)?$/);
    const wb = await roundTrip(buildQuestionnaire(data()));
    const ws = wb.getWorksheet('調査票')!;
    const measureCell = ws.getCell(rowOf(ws, 2, MEASURES[0].label), 4);
    expect(measureCell.dataValidation).toMatchObject({ type: 'list', formulae: ['"実施済,検討中,未実施"'] });
    expect(ws.getCell(rowOf(ws, 1, '3-1'), 4).dataValidation.formulae).toEqual(['"すべて公表してよい,市名を伏せれば公表してよい,公表しない"']);
    expect(ws.getCell(rowOf(ws, 1, '2-7'), 4).dataValidation.formulae).toEqual(['"更新,他計画へ統合,廃止,未定"']);
    expect(ws.getCell(rowOf(ws, 1, '1-2'), 4).dataValidation).toBeUndefined();
  });

  it('locks the labels and leaves only the answer cells editable', async () => {
    const buffer = await buildQuestionnaire(data()).xlsx.writeBuffer();
    const zip = await JSZip.loadAsync(buffer);
    expect(await zip.file('xl/worksheets/sheet1.xml')!.async('string')).toMatch(/<sheetProtection [^>]*sheet="1"/);
    const ws = (await roundTrip(buildQuestionnaire(data()))).getWorksheet('調査票')!;
    const row = rowOf(ws, 2, MEASURES[3].label);
    expect(ws.getCell(row, 4).protection?.locked).toBe(false);
    expect(ws.getCell(row, 2).protection?.locked).not.toBe(false);
    expect(ws.getCell(rowOf(ws, 1, '1-1'), 4).protection?.locked).not.toBe(false);
  });

  it('identifies survey and city on a hidden sheet', async () => {
    const wb = await roundTrip(buildQuestionnaire(data()));
    const meta = wb.getWorksheet('管理情報')!;
    expect(meta.state).toBe('hidden');
    const values = Object.fromEntries([1, 2, 3, 4].map((r) => [cellText(meta.getCell(r, 1)), meta.getCell(r, 2).value]));
    expect(values).toMatchObject({ surveyId: 7, cityCode: '272035', signature: 'abc123' });
  });
});

describe('parsing a filled questionnaire', () => {
  it('reads back what a city typed and chose', async () => {
    const wb = await roundTrip(buildQuestionnaire(data()));
    const ws = wb.getWorksheet('調査票')!;
    ws.getCell(rowOf(ws, 2, MEASURES[0].label), 4).value = '検討中';
    ws.getCell(rowOf(ws, 2, MEASURES[1].label), 4).value = null;
    ws.getCell(rowOf(ws, 1, '1-5'), 4).value = { text: 'it@city.toyonaka.lg.jp', hyperlink: 'mailto:it@city.toyonaka.lg.jp' };
    ws.getCell(rowOf(ws, 1, '2-4'), 4).value = '不定期';
    ws.getCell(rowOf(ws, 1, '2-5'), 4).value = '平成28年度';
    ws.getCell(rowOf(ws, 1, '3-1'), 4).value = '市名を伏せれば公表してよい';
    ws.getCell(rowOf(ws, 1, '2-1'), 4).value = { richText: [{ text: '計画' }, { text: 'あり' }] };
    const parsed = parseQuestionnaire(await roundTrip(wb), MEASURES);
    expect(parsed.errors).toEqual([]);
    expect(parsed).toMatchObject({ surveyId: 7, cityCode: '272035', signature: 'abc123' });
    expect(parsed.input.measures![MEASURES[0].code]).toBe('studying');
    expect(parsed.input.measures![MEASURES[1].code]).toBeNull();
    expect(parsed.input.measures![MEASURES[2].code]).toBe(answerFor(2, 2));
    expect(parsed.input.contact).toMatchObject({ department: '総務局 情報政策課', email: 'it@city.toyonaka.lg.jp' });
    expect(parsed.input.plan).toMatchObject({ hasPlan: true, updateCycleIrregular: true, updateCycleYears: null, periodStart: '平成28年度', latestNumber: '第3次', nextPlan: 'update' });
    expect(parsed.input.disclosure).toBe('anonymous');
  });

  it('names the sheet and cell of an answer that is not a choice', async () => {
    const wb = await roundTrip(buildQuestionnaire(data()));
    const ws = wb.getWorksheet('調査票')!;
    const row = rowOf(ws, 2, MEASURES[5].label);
    ws.getCell(row, 4).value = '実施中';
    ws.getCell(rowOf(ws, 1, '2-7'), 4).value = 'たぶん更新';
    const parsed = parseQuestionnaire(await roundTrip(wb), MEASURES);
    expect(parsed.errors).toHaveLength(2);
    expect(parsed.errors).toContainEqual({ path: `調査票!D${row}`, message: expect.stringMatching(new RegExp(`^調査票!D${row}: 「実施中」は選択肢にありません`)) });
    expect(parsed.errors.map((e) => e.path)).toContain(`調査票!D${rowOf(ws, 1, '2-7')}`);
  });

  it('refuses a workbook that is not the platform questionnaire', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').getCell('A1').value = 'hello';
    const parsed = parseQuestionnaire(await roundTrip(other), MEASURES);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0].message).toContain('調査票ではありません');
  });

  it('takes back the apostrophe the export put before text that looks like a formula', async () => {
    const d = data();
    d.answers = { ...d.answers, plan: { ...d.answers.plan, notes: '=未定（検討中）' } };
    const wb = await roundTrip(buildQuestionnaire(d));
    const ws = wb.getWorksheet('調査票')!;
    expect(ws.getCell(rowOf(ws, 1, '2-8'), 4).value).toBe("'=未定（検討中）");
    expect(parseQuestionnaire(wb, MEASURES).input.plan!.notes).toBe('=未定（検討中）');
  });
});

describe('upload guard', () => {
  it('accepts the questionnaire and refuses text, a zip without a workbook, and a zip bomb', async () => {
    const good = Buffer.from(await buildQuestionnaire(data()).xlsx.writeBuffer());
    expect(await checkXlsxUpload(good)).toBeNull();
    expect((await checkXlsxUpload(Buffer.from('団体コード,回答\n272035,実施済')))?.kind).toBe('not-xlsx');
    const plainZip = new JSZip();
    plainZip.file('readme.txt', 'hello');
    expect((await checkXlsxUpload(await plainZip.generateAsync({ type: 'nodebuffer' })))?.kind).toBe('not-xlsx');
    const bomb = await JSZip.loadAsync(good);
    bomb.file('xl/media/zeros.bin', Buffer.alloc(60 * 1024 * 1024));
    const bombBuffer = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bombBuffer.length).toBeLessThan(1024 * 1024);
    expect((await checkXlsxUpload(bombBuffer))?.kind).toBe('zip-bomb');
  });
});
