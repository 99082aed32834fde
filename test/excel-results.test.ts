// The results workbooks read back with exceljs: the organiser's five sheets laid out like the published
// table, and the respondent's own 貴市 column with every other city's disclosure choice honoured.
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildRespondentWorkbook } from '../exports/respondent-workbook.js';
import { buildResultsWorkbook } from '../exports/results-workbook.js';
import type { ResultsData } from '../exports/types.js';
import { wrappedLines } from '../exports/print-layout.js';
import { allTexts, answerFor, BANDS, cellText, MEASURES, participants, resultsFor, roundTrip, SURVEY } from './excel-fixtures.js';

const LABELS = { implemented: '実施済', studying: '検討中', none: '未実施' } as const;
const rowValues = (ws: ExcelJS.Worksheet, row: number) => Array.from((ws.getRow(row).values as unknown[]).slice(1), (v) => (v === undefined ? null : v));

async function organiserBook() {
  const list = participants();
  return roundTrip(buildResultsWorkbook({ survey: SURVEY, results: resultsFor(list), participants: list }));
}

describe('organiser results workbook: 集計表', () => {
  it('has the five sheets, 集計表 first', async () => {
    const wb = await organiserBook();
    expect(wb.worksheets.map((w) => w.name)).toEqual(['集計表', '内訳', '回答一覧', '計画一覧', '回答状況']);
  });

  it('title row, formula line with the denominator, and the header row of the published table', async () => {
    const ws = (await organiserBook()).getWorksheet('集計表')!;
    expect(cellText(ws.getCell('A1'))).toBe('中核市情報化推進計画調査（2026年11月21日）');
    expect(cellText(ws.getCell('A2'))).toBe('実施・検討率:「総数」/4*100');
    expect(rowValues(ws, 3)).toEqual(['分類', '対策', '30万人未満の市', '30万人以上50万人未満の市', '50万人以上の市', '総数', '本市', '実施・検討率(%)']);
  });

  it('one row per measure in survey order, counts as numbers, 本市 as text, the rate as a 0.00% fraction', async () => {
    const list = participants();
    const results = resultsFor(list);
    const ws = (await roundTrip(buildResultsWorkbook({ survey: SURVEY, results, participants: list }))).getWorksheet('集計表')!;
    const host = list.find((p) => p.isHost)!;
    MEASURES.forEach((m, i) => {
      const row = 4 + i;
      expect(cellText(ws.getCell(row, 2))).toBe(m.label);
      const counted = list.filter((p) => p.status === 'submitted' && !p.isHost);
      const yes = (band: number) => counted.filter((p) => p.bandIndex === band && p.answers!.measures[m.code] !== 'none').length;
      expect([0, 1, 2].map((b) => ws.getCell(row, 3 + b).value)).toEqual([yes(0), yes(1), yes(2)]);
      const total = yes(0) + yes(1) + yes(2);
      expect(ws.getCell(row, 6).value).toBe(total);
      const hostAnswer = host.answers!.measures[m.code];
      expect(ws.getCell(row, 7).value).toBe(hostAnswer === 'none' ? null : LABELS[hostAnswer]);
      expect(ws.getCell(row, 8).value).toBeCloseTo(total / 4, 4);
      expect(ws.getCell(row, 8).numFmt).toBe('0.00%');
    });
    expect(ws.getCell(4 + MEASURES.length, 2).value).toBeNull();
  });

  it('writes 15 of 48 as the fraction 0.3125', async () => {
    const results: ResultsData = {
      surveyId: 1, respondents: 48, denominator: 48,
      bands: BANDS.map((b, i) => ({ ...b, respondents: [6, 34, 8][i] })),
      measures: [{
        code: 'M01', category: '自治体の対策', label: 'ICTガバナンスの強化', host: 'studying', implemented: 12, studying: 3, total: 15, ratePercent: 31.25,
        counts: [{ implemented: 1, studying: 0, total: 1 }, { implemented: 9, studying: 2, total: 11 }, { implemented: 2, studying: 1, total: 3 }],
      }],
    };
    const ws = (await roundTrip(buildResultsWorkbook({ survey: SURVEY, results, participants: [] }))).getWorksheet('集計表')!;
    expect(cellText(ws.getCell('A2'))).toBe('実施・検討率:「総数」/48*100');
    expect(rowValues(ws, 4)).toEqual(['自治体の対策', 'ICTガバナンスの強化', 1, 11, 3, 15, '検討中', 0.3125]);
  });

  it('merges 分類 down its measures and explains the fills in the legend 「表中： 実施済 検討中」', async () => {
    const ws = (await organiserBook()).getWorksheet('集計表')!;
    expect(ws.getCell('A5').isMerged).toBe(true);
    expect(ws.getCell('A15').master.address).toBe('A4');
    expect(ws.getCell('A16').master.address).toBe('A16');
    expect(cellText(ws.getCell('A16'))).toBe('自治体の業務');
    const legendRow = 4 + MEASURES.length + 1;
    expect([cellText(ws.getCell(legendRow, 1)), cellText(ws.getCell(legendRow, 2)), cellText(ws.getCell(legendRow, 3))]).toEqual(['表中：', '実施済', '検討中']);
    const fill = (c: ExcelJS.Cell) => (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    expect(fill(ws.getCell(legendRow, 2))).toBeTruthy();
    expect(fill(ws.getCell(legendRow, 2))).not.toBe(fill(ws.getCell(legendRow, 3)));
    const implementedRow = MEASURES.findIndex((m) => participants()[0].answers!.measures[m.code] === 'implemented') + 4;
    expect(fill(ws.getCell(implementedRow, 7))).toBe(fill(ws.getCell(legendRow, 2)));
  });

  it('prints like the published table: Japanese font, A4 landscape, fit to width, print titles, frozen header', async () => {
    const ws = (await organiserBook()).getWorksheet('集計表')!;
    expect(ws.getCell('B4').font.name).toMatch(/游ゴシック|MS Pゴシック/);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe('2:3');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3, xSplit: 2 });
    expect(ws.getColumn(2).width).toBeGreaterThan(25);
    expect(ws.getCell('B4').alignment.wrapText).toBe(true);
  });
});

describe('organiser results workbook: the other sheets', () => {
  it('内訳 gives 実施済 and 検討中 per band per measure', async () => {
    const list = participants();
    const ws = (await roundTrip(buildResultsWorkbook({ survey: SURVEY, results: resultsFor(list), participants: list }))).getWorksheet('内訳')!;
    expect(rowValues(ws, 2).slice(2, 4)).toEqual(['実施済', '検討中']);
    expect(cellText(ws.getCell(1, 3))).toBe('30万人未満の市');
    expect(cellText(ws.getCell(1, 9))).toBe('合計');
    const m = MEASURES[0];
    const band1 = list.filter((p) => p.status === 'submitted' && !p.isHost && p.bandIndex === 1);
    expect(ws.getCell(3, 5).value).toBe(band1.filter((p) => p.answers!.measures[m.code] === 'implemented').length);
    expect(ws.getCell(3, 6).value).toBe(band1.filter((p) => p.answers!.measures[m.code] === 'studying').length);
  });

  it('回答一覧 lists every participant with contact, disclosure and every answer', async () => {
    const ws = (await organiserBook()).getWorksheet('回答一覧')!;
    const header = rowValues(ws, 1) as string[];
    expect(header.slice(0, 3)).toEqual(['団体コード', '市名', '都道府県']);
    expect(header).toContain('調査結果の取扱い');
    expect(header.slice(-MEASURES.length)).toEqual(MEASURES.map((m) => m.label));
    const names = [2, 3, 4, 5, 6, 7, 8].map((r) => cellText(ws.getCell(r, 2)));
    expect(names).toEqual(['西宮市（本市）', '豊中市', '姫路市', '尼崎市', '明石市', '奈良市', '大津市']);
    const amagasaki = rowValues(ws, 5);
    expect(amagasaki).toContain('公表しない');
    expect(amagasaki).toContain('尼崎市 資産統括局 ICT推進部');
    const firstMeasureCol = header.length - MEASURES.length + 1;
    expect(ws.getCell(5, firstMeasureCol).value).toBe(LABELS[answerFor(4, 0)]);
    expect(cellText(ws.getCell(8, 6))).toBe('未回答');
  });

  it('計画一覧 gives the period in 和暦 and 西暦, and a status column: submitted plans only, drafts marked', async () => {
    const ws = (await organiserBook()).getWorksheet('計画一覧')!;
    expect(rowValues(ws, 1)).toEqual(['団体コード', '市名', '計画の有無', '計画名称', '最新番号', '更新頻度', '計画期間（和暦）', '計画期間（西暦）', '次期計画', '備考', '調査結果の取扱い', '回答の状態']);
    expect(rowValues(ws, 2)).toEqual(['282049', '西宮市', 'あり', '西宮市情報化推進計画', '第3次', '5年更新', '平成28年度～令和2年度', '2016～2020年度', '更新', null, 'すべて公表してよい', '送信済み']);
    // a period spanning two eras, the longest there is, stays on one line (it wrapped inside 「令和」 before)
    expect(wrappedLines('平成28年度～令和10年度', ws.getColumn(7).width!)).toBe(1);
    const statuses = Array.from({ length: ws.rowCount - 1 }, (_v, i) => rowValues(ws, i + 2).at(-1));
    expect(statuses.every((s) => s === '送信済み' || s === '一時保存中（未送信のため集計外）')).toBe(true);
    for (let r = 2; r <= ws.rowCount; r++) {
      const values = rowValues(ws, r);
      // a draft's plan is not listed as if it counted
      if (values.at(-1) !== '送信済み') expect(values[3]).toBeNull();
    }
  });

  it('回答状況 shows invited, opened and submitted times in Japan time', async () => {
    const ws = (await organiserBook()).getWorksheet('回答状況')!;
    expect(rowValues(ws, 1)).toContain('送信日時');
    const toyonaka = rowValues(ws, 3);
    expect(toyonaka[1]).toBe('豊中市');
    expect((toyonaka[3] as Date).toISOString()).toBe('2026-10-01T09:00:00.000Z');
    expect(toyonaka[6]).toBe('送信済');
    expect(ws.getCell(3, 4).numFmt).toBe('yyyy/mm/dd hh:mm');
    expect(rowValues(ws, 8)[6]).toBe('未回答');
  });
});

describe('respondent results workbook', () => {
  async function respondentBook(cityCode: string) {
    const list = participants();
    return roundTrip(buildRespondentWorkbook({ survey: SURVEY, results: resultsFor(list), participants: list, cityCode }));
  }

  it('集計表 adds a 貴市 column with the city own answers, marked where they differ from its band', async () => {
    const list = participants();
    const results = resultsFor(list);
    const wb = await roundTrip(buildRespondentWorkbook({ survey: SURVEY, results, participants: list, cityCode: '272035' }));
    const ws = wb.getWorksheet('集計表')!;
    expect(rowValues(ws, 3)).toEqual(['分類', '対策', '30万人未満の市', '30万人以上50万人未満の市', '50万人以上の市', '総数', '本市', '貴市', '実施・検討率(%)']);
    const own = list.find((p) => p.cityCode === '272035')!;
    // band 1 counted: 豊中市, 尼崎市, 明石市 (西宮市 is the host, 奈良市 a draft)
    const band = list.filter((p) => p.bandIndex === 1 && p.status === 'submitted' && !p.isHost);
    let differing = 0;
    MEASURES.forEach((m, i) => {
      const answer = own.answers!.measures[m.code];
      expect(ws.getCell(4 + i, 8).value).toBe(LABELS[answer]);
      const same = band.filter((p) => p.answers!.measures[m.code] === answer).length;
      const most = Math.max(...(['implemented', 'studying', 'none'] as const).map((a) => band.filter((p) => p.answers!.measures[m.code] === a).length));
      const marked = ws.getCell(4 + i, 8).font.bold === true;
      expect(marked).toBe(same < most);
      if (marked) differing++;
    });
    expect(differing).toBeGreaterThan(0);
  });

  it('a private city name, department and plan name appear in no cell', async () => {
    const texts = allTexts(await respondentBook('272035')).join('\n');
    for (const secret of ['尼崎', '資産統括局', 'ICTプラン', '282022']) expect(texts).not.toContain(secret);
    expect(texts).toContain('公表しないと回答した 1 団体');
  });

  it('anonymous cities are never named; with one private city among four, 計画一覧 lists nobody and says why', async () => {
    // (the plan list with A市/B市 when it is safe: quality-privacy-differencing.test.ts)
    const wb = await respondentBook('272035');
    const texts = allTexts(wb).join('\n');
    for (const secret of ['姫路', '明石', '282014', '282031', '情報政策室']) expect(texts).not.toContain(secret);
    const plans = wb.getWorksheet('計画一覧')!;
    expect(cellText(plans.getCell(2, 1))).toBe('');
    expect(texts).toContain('回答団体数が少ないため、団体別の回答は表示していません。');
  });

  it('contact details and cities that have not submitted never appear', async () => {
    const texts = allTexts(await respondentBook('272035')).join('\n');
    for (const secret of ['@example.lg.jp', '06-0000-0000', 'ジョウホウ', '総務局 情報政策課', '奈良', '大津']) expect(texts).not.toContain(secret);
    const wb = await respondentBook('272035');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['集計表', '内訳', '回答一覧', '計画一覧']);
  });

  it('the public city of a band with two non-public cities is not listed in 回答一覧 (its band count minus it would leave two)', async () => {
    // (a public city listed with its band and answers when it is safe: quality-privacy-differencing.test.ts)
    const ws = (await respondentBook('282014')).getWorksheet('回答一覧')!;
    expect(cellText(ws.getCell(2, 1))).toBe('');
    expect(allTexts(await respondentBook('282014')).join('\n')).toContain('回答団体数が少ないため');
  });
});
