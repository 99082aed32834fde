// Hand-made survey data for the workbook builder tests: six cities with every disclosure choice.
import ExcelJS from 'exceljs';
import type { Answer } from '../server/domain/glossary.js';
import { CHUKAKUSHI_2018 } from '../server/domain/templates/chukakushi-2018.js';
import type { ParticipantRecord, ResponseAnswers, ResultsData, SurveyInfo } from '../exports/types.js';

export const BANDS = [
  { label: '30万人未満の市', min: 0, max: 299999 },
  { label: '30万人以上50万人未満の市', min: 300000, max: 499999 },
  { label: '50万人以上の市', min: 500000, max: null },
];
export const MEASURES = CHUKAKUSHI_2018.measures;
export const SURVEY: SurveyInfo = { id: 7, title: '中核市情報化推進計画調査', hostCityName: '西宮市', date: '2026-11-21' };

const ORDER: Answer[] = ['implemented', 'studying', 'none'];
/** A deterministic answer per city and measure, so each city's column differs. */
export function answerFor(seed: number, index: number): Answer {
  return ORDER[(seed * 7 + index * 3 + Math.floor(index / 5)) % 3];
}

function answers(seed: number, extra: Partial<ResponseAnswers> & { planName?: string; department?: string; notes?: string }): ResponseAnswers {
  return {
    contact: { department: extra.department ?? '総務局 情報政策課', personKana: 'ジョウホウ タロウ', phone: '06-0000-0000', email: `it${seed}@example.lg.jp` },
    plan: {
      hasPlan: true,
      name: extra.planName ?? '情報化推進計画',
      latestNumber: 3,
      updateCycleYears: 5,
      periodStart: 2016,
      periodEnd: 2020,
      nextPlan: 'update',
      notes: extra.notes ?? '',
    },
    disclosure: extra.disclosure ?? 'public',
    measures: Object.fromEntries(MEASURES.map((m, i) => [m.code, answerFor(seed, i)])),
  };
}

const at = (s: string) => new Date(s);
function participant(p: Partial<ParticipantRecord> & Pick<ParticipantRecord, 'cityCode' | 'cityName' | 'population' | 'bandIndex'>): ParticipantRecord {
  return {
    prefecture: '兵庫県',
    isHost: false,
    status: 'submitted',
    invitedAt: at('2026-10-01T00:00:00Z'),
    mailedAt: at('2026-10-01T00:05:00Z'),
    openedAt: at('2026-10-02T01:00:00Z'),
    updatedAt: at('2026-10-03T02:00:00Z'),
    submittedAt: at('2026-10-03T02:00:00Z'),
    answers: null,
    ...p,
  };
}

export function participants(): ParticipantRecord[] {
  return [
    participant({ cityCode: '282049', cityName: '西宮市', population: 485587, bandIndex: 1, isHost: true, answers: answers(1, { planName: '西宮市情報化推進計画' }) }),
    participant({ cityCode: '272035', cityName: '豊中市', prefecture: '大阪府', population: 401558, bandIndex: 1, answers: answers(2, { planName: '豊中市情報化基本計画' }) }),
    participant({
      cityCode: '282014', cityName: '姫路市', population: 530495, bandIndex: 2,
      answers: answers(3, { disclosure: 'anonymous', planName: '姫路市情報化推進計画', department: '姫路市 総務局 情報政策室', notes: '姫路の地域情報化と連携' }),
    }),
    participant({
      cityCode: '282022', cityName: '尼崎市', population: 459593, bandIndex: 1,
      answers: answers(4, { disclosure: 'private', planName: '尼崎市ICTプラン', department: '尼崎市 資産統括局 ICT推進部' }),
    }),
    participant({ cityCode: '282031', cityName: '明石市', population: 303601, bandIndex: 1, answers: answers(7, { disclosure: 'anonymous', planName: 'あかし情報化計画' }) }),
    participant({ cityCode: '292010', cityName: '奈良市', prefecture: '奈良県', population: 354630, bandIndex: 1, status: 'draft', submittedAt: null, answers: answers(6, { planName: '奈良市DX計画' }) }),
    participant({ cityCode: '262013', cityName: '大津市', prefecture: '滋賀県', population: 345070, bandIndex: 1, status: 'not_started', openedAt: null, updatedAt: null, submittedAt: null }),
  ];
}

/** Counts the fixture's submitted non-host answers the way API.md defines the results. */
export function resultsFor(list: ParticipantRecord[]): ResultsData {
  const counted = list.filter((p) => p.status === 'submitted' && !p.isHost && p.answers);
  const host = list.find((p) => p.isHost);
  const denominator = counted.length;
  return {
    surveyId: SURVEY.id,
    respondents: denominator,
    denominator,
    bands: BANDS.map((b, i) => ({ ...b, respondents: counted.filter((p) => p.bandIndex === i).length })),
    measures: MEASURES.map((m) => {
      const counts = BANDS.map((_, i) => {
        const inBand = counted.filter((p) => p.bandIndex === i);
        const implemented = inBand.filter((p) => p.answers!.measures[m.code] === 'implemented').length;
        const studying = inBand.filter((p) => p.answers!.measures[m.code] === 'studying').length;
        return { implemented, studying, total: implemented + studying };
      });
      const implemented = counts.reduce((s, c) => s + c.implemented, 0);
      const studying = counts.reduce((s, c) => s + c.studying, 0);
      const total = implemented + studying;
      return {
        ...m, counts, implemented, studying, total,
        ratePercent: Math.round((total / denominator) * 10000) / 100,
        host: host?.status === 'submitted' ? (host.answers?.measures[m.code] ?? null) : null,
      };
    }),
  };
}

export async function roundTrip(wb: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const buffer = await wb.xlsx.writeBuffer();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(buffer as ArrayBuffer);
  return back;
}

/** Every cell's text in a workbook (rich text and formulas flattened), for "appears nowhere" checks. */
export function allTexts(wb: ExcelJS.Workbook): string[] {
  const texts: string[] = [];
  wb.eachSheet((ws) => ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => texts.push(cellText(cell)))));
  return texts;
}

export function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && v !== null && 'richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
  if (typeof v === 'object' && v !== null && 'formula' in v) return `=${(v as ExcelJS.CellFormulaValue).formula}`;
  return v instanceof Date ? v.toISOString() : String(v);
}
