// Issue 12 §2: the differencing attack, on generated rounds (fast-check, FUZZ_RUNS runs, 100 by default).
// From what a respondent receives — its results workbook read back, the results JSON (counts per band), the
// plan statistics and the charts — the attacker subtracts every city it can see (and itself) from each band's
// counts. Whatever is left must never be one non-public city, anonymous cities must never be placeable in one
// band, and swapping two hidden cities' answers must change nothing the respondent receives.
import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRespondentWorkbook } from '../exports/respondent-workbook.js';
import type { ParticipantRecord, ResultsData } from '../exports/types.js';
import { bandComparisonChart, planTimelineChart, rateChart } from '../server/views/charts.js';
import { SMALL_GROUP_MESSAGE } from '../server/domain/disclosure-control.js';
import type { Answer, Disclosure, NextPlan } from '../server/domain/glossary.js';
import { buildPlanStats, type PlanInput } from '../server/domain/plan-stats.js';
import { buildResults, type SurveyResults } from '../server/domain/results.js';
import { maskNames } from '../exports/disclosure.js';
import { cellText, roundTrip } from './excel-fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const BANDS = [
  { label: '30万人未満の市', min: 0, max: 299999 },
  { label: '30万人以上50万人未満の市', min: 300000, max: 499999 },
  { label: '50万人以上の市', min: 500000, max: null },
];
const MEASURES = ['M01', 'M02', 'M03', 'M04'].map((code, i) => ({ id: i + 1, code, category: '自治体の対策', label: `対策${i + 1}`, retired: false }));
const ANSWERS: Answer[] = ['implemented', 'studying', 'none'];
const HOST = '282049';
/** Cities with readings, as the roster has them (a few from the seed roster). */
const NAMES: Array<[string, string, string]> = [
  ['012025', '函館市', 'ハコダテシ'], ['012041', '旭川市', 'アサヒカワシ'], ['022012', '青森市', 'アオモリシ'], ['072036', '郡山市', 'コオリヤマシ'],
  ['092011', '宇都宮市', 'ウツノミヤシ'], ['112038', '川口市', 'カワグチシ'], ['122173', '柏市', 'カシワシ'], ['132012', '八王子市', 'ハチオウジシ'],
  ['172014', '金沢市', 'カナザワシ'], ['192015', '甲府市', 'コウフシ'], ['252018', '大津市', 'オオツシ'], ['272035', '豊中市', 'トヨナカシ'],
  ['282014', '姫路市', 'ヒメジシ'], ['282022', '尼崎市', 'アマガサキシ'], ['292010', '奈良市', 'ナラシ'], ['342076', '福山市', 'フクヤマシ'],
];

interface GenCity {
  band: number;
  disclosure: Disclosure | null;
  answers: Answer[];
  hasPlan: boolean;
  cycle: number | null;
  nextPlan: NextPlan | null;
  period: [number, number] | null;
}

const cityArb: fc.Arbitrary<GenCity> = fc.record({
  band: fc.integer({ min: 0, max: 2 }),
  disclosure: fc.constantFrom<Disclosure | null>('public', 'public', 'public', 'anonymous', 'private', null),
  answers: fc.array(fc.constantFrom(...ANSWERS), { minLength: MEASURES.length, maxLength: MEASURES.length }),
  hasPlan: fc.boolean(),
  cycle: fc.constantFrom(null, 3, 4, 5),
  nextPlan: fc.constantFrom<NextPlan | null>(null, 'update', 'merge', 'abolish', 'undecided'),
  period: fc.option(fc.tuple(fc.integer({ min: 2010, max: 2020 }), fc.integer({ min: 1, max: 9 })).map(([s, n]) => [s, s + n] as [number, number])),
});
const roundArb = fc.record({ cities: fc.array(cityArb, { minLength: 2, maxLength: NAMES.length }), viewer: fc.nat() });

function participantsOf(cities: GenCity[]): ParticipantRecord[] {
  return cities.map((c, i) => {
    const [code, name, kana] = NAMES[i];
    return {
      cityCode: code, cityName: name, cityKana: kana, prefecture: '', population: [200000, 400000, 600000][c.band], bandIndex: c.band, isHost: false,
      status: 'submitted', invitedAt: null, mailedAt: null, openedAt: null, updatedAt: null, submittedAt: null,
      answers: {
        contact: { department: `${name} 情報政策課`, personKana: 'ジョウホウ', phone: '000-0000-0000', email: `it${i}@example.lg.jp` },
        plan: {
          hasPlan: c.hasPlan, name: c.hasPlan ? `${name}情報化計画（${kana}）` : '', latestNumber: 2, updateCycleYears: c.cycle,
          periodStart: c.period?.[0] ?? null, periodEnd: c.period?.[1] ?? null, nextPlan: c.nextPlan, notes: `${kana.toLowerCase()} との連携`,
        },
        disclosure: c.disclosure,
        measures: Object.fromEntries(MEASURES.map((m, j) => [m.code, c.answers[j]])),
      },
    };
  });
}

function resultsOf(list: ParticipantRecord[]): SurveyResults {
  const counts = MEASURES.flatMap((m) =>
    BANDS.flatMap((_b, band) =>
      ANSWERS.map((answer) => ({ measureId: m.id, bandIndex: band, answer, count: list.filter((p) => p.bandIndex === band && p.answers!.measures[m.code] === answer).length })),
    ),
  );
  return buildResults({
    surveyId: 7, hostCityCode: HOST, bands: BANDS, measures: MEASURES, counts, hostAnswers: null,
    bandRespondents: BANDS.map((_b, band) => ({ bandIndex: band, count: list.filter((p) => p.bandIndex === band).length })),
  });
}

function planRowsOf(list: ParticipantRecord[]): PlanInput[] {
  return list.map((p) => ({
    cityCode: p.cityCode, cityName: p.cityName, cityKana: p.cityKana, bandIndex: p.bandIndex, hasPlan: p.answers!.plan.hasPlan, planName: p.answers!.plan.name,
    updateCycleYears: p.answers!.plan.updateCycleYears, updateIrregular: false, periodStart: p.answers!.plan.periodStart, periodEnd: p.answers!.plan.periodEnd,
    nextPlan: p.answers!.plan.nextPlan, disclosure: p.answers!.disclosure,
  }));
}

/** Everything the viewer receives, as it receives it. */
async function received(list: ParticipantRecord[], viewer: string) {
  const results = resultsOf(list);
  const json: ResultsData = { surveyId: results.surveyId, respondents: results.respondents, denominator: results.denominator, bands: results.bands, measures: results.measures };
  const workbook = await roundTrip(buildRespondentWorkbook({ survey: { id: 7, title: '調査', hostCityName: '西宮市', date: '2026-12-01' }, results: json, participants: list, cityCode: viewer }));
  const plans = buildPlanStats(7, planRowsOf(list));
  const charts = [rateChart(results), bandComparisonChart(results), planTimelineChart(plans.timeline)];
  return { json, workbook, plans, charts };
}

function sheetRows(ws: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n > 1) rows.push((row.values as unknown[]).slice(1).map((_v, i) => cellText(row.getCell(i + 1))));
  });
  return rows;
}

describe('the differencing attack on generated rounds', () => {
  it(`never isolates a hidden city, never places an anonymous city, and hidden answers do not show (${RUNS} rounds)`, async () => {
    await fc.assert(
      fc.asyncProperty(roundArb, async ({ cities, viewer: viewerIndex }) => {
        const list = participantsOf(cities);
        const viewer = list[viewerIndex % list.length];
        const { json, workbook, plans, charts } = await received(list, viewer.cityCode);
        const bandOfLabel = new Map(BANDS.map((b, i) => [b.label, i]));
        const byName = new Map(list.map((p) => [p.cityName, p]));

        // 回答一覧: the cities the attacker sees with their band and answers
        const answerRows = sheetRows(workbook.getWorksheet('回答一覧')!).filter((r) => bandOfLabel.has(r[1]));
        for (const r of answerRows) expect(byName.get(r[0])?.answers?.disclosure, `listed with answers: ${r[0]}`).toBe('public');
        const plansSheet = sheetRows(workbook.getWorksheet('計画一覧')!).filter((r) => r.length > 2 && r[0] !== '' && !r[0].startsWith('回答団体'));
        const namedPublic = new Set([...answerRows.map((r) => r[0]), ...plansSheet.map((r) => r[0]).filter((n) => byName.has(n)), ...plans.timeline.bars.map((b) => b.name).filter((n) => byName.has(n))]);

        // (1) band counts minus the listed cities (and the viewer itself) never leave exactly one city
        json.bands.forEach((band, b) => {
          const listed = answerRows.filter((r) => bandOfLabel.get(r[1]) === b);
          if (listed.length === 0) return;
          const viewerPooled = viewer.bandIndex === b && !listed.some((r) => r[0] === viewer.cityName) ? 1 : 0;
          const pooled = band.respondents - listed.length - viewerPooled;
          expect(pooled === 0 || pooled >= 2, `band ${b}: ${pooled} city left after subtracting ${listed.length} listed`).toBe(true);
          // the counts the attacker subtracts from really are those cities' answers: nothing else is hidden there
          MEASURES.forEach((m, j) => {
            const imp = listed.filter((r) => r[3 + j] === '実施済').length;
            expect(imp).toBeLessThanOrEqual(json.measures[j].counts[b].implemented);
          });
        });

        // (2) plan statistics minus the listed plans never leave exactly one city
        if (plansSheet.length > 0) {
          // the viewer's own row is there under its name or its alias when it is public or anonymous
          const viewerPooled = viewer.answers!.disclosure === 'public' || viewer.answers!.disclosure === 'anonymous' ? 0 : 1;
          const pooled = plans.respondents - plansSheet.length - viewerPooled;
          expect(pooled === 0 || pooled >= 2, `plans: ${pooled} left`).toBe(true);
        }

        // (3) an anonymous city (other than the viewer) cannot be placed in one band
        const otherAnonymous = list.filter((p) => p.answers!.disclosure === 'anonymous' && p !== viewer);
        if (otherAnonymous.length > 0) {
          const unnamed = json.bands.map((band, b) => band.respondents - [...namedPublic].filter((n) => byName.get(n)!.bandIndex === b).length - (viewer.bandIndex === b && !namedPublic.has(viewer.cityName) ? 1 : 0));
          const possibleBands = unnamed.filter((n) => n > 0).length;
          const bandsWithOthers = json.bands.filter((band, b) => band.respondents - (viewer.bandIndex === b ? 1 : 0) > 0).length;
          expect(possibleBands >= 2 || bandsWithOthers <= 1, `anonymous placeable: unnamed per band ${unnamed}`).toBe(true);
        }

        // (4) nothing names a non-public city or carries an anonymous city's own free text, in any reading
        const everything = [JSON.stringify(json), JSON.stringify(plans), ...charts, ...workbook.worksheets.flatMap((ws) => sheetRows(ws).flat())].join('\n');
        for (const p of list.filter((x) => x.answers!.disclosure !== 'public' && x !== viewer)) {
          const bare = p.cityName.replace(/市$/, '');
          if (bare.length >= 2) expect(everything, p.cityName).not.toContain(bare);
          expect(everything).not.toContain(p.answers!.contact.department);
          expect(everything.toLowerCase()).not.toContain(`${p.cityKana!.slice(0, -1).toLowerCase()} との連携`);
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it(`swapping two hidden cities' answers in one band changes nothing a third city receives (${RUNS} rounds)`, async () => {
    await fc.assert(
      fc.asyncProperty(roundArb, fc.nat(), fc.nat(), async ({ cities, viewer: v }, x, y) => {
        const list = participantsOf(cities);
        const viewer = list[v % list.length];
        const hidden = list.filter((p) => p.answers!.disclosure !== 'public' && p !== viewer);
        const a = hidden[x % Math.max(1, hidden.length)];
        const partners = hidden.filter((p) => p !== a && p.bandIndex === a?.bandIndex);
        fc.pre(Boolean(a) && partners.length > 0);
        const b = partners[y % partners.length];
        const swapped = list.map((p) =>
          p === a ? { ...p, answers: { ...p.answers!, measures: b.answers!.measures } } : p === b ? { ...p, answers: { ...p.answers!, measures: a.answers!.measures } } : p,
        );
        const before = await received(list, viewer.cityCode);
        const after = await received(swapped, viewer.cityCode);
        const texts = (r: typeof before) => r.workbook.worksheets.map((ws) => sheetRows(ws));
        expect(texts(after)).toEqual(texts(before));
        expect(after.json).toEqual(before.json);
        expect(after.plans).toEqual(before.plans);
        expect(after.charts).toEqual(before.charts);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 2)) },
    );
  }, 600_000);
});

describe('the attack of the issue: 3 public, 2 anonymous and 1 private city in one band', () => {
  const cities: GenCity[] = [0, 1, 2, 3, 4, 5].map((i) => ({
    band: 1, disclosure: (['public', 'public', 'public', 'anonymous', 'anonymous', 'private'] as const)[i],
    answers: MEASURES.map((_m, j) => ANSWERS[(i + j) % 3]), hasPlan: true, cycle: 5, nextPlan: 'update', period: [2016, 2020],
  }));

  it('the only band with non-public cities would place A市 and B市: every per-city list is withheld, the 集計表 stays', async () => {
    const list = participantsOf(cities);
    const { workbook, json } = await received(list, list[0].cityCode);
    const answers = sheetRows(workbook.getWorksheet('回答一覧')!);
    expect(answers.filter((r) => BANDS.some((b) => b.label === r[1]))).toEqual([]);
    expect(answers.flat().join('')).toContain(SMALL_GROUP_MESSAGE);
    expect(json.bands[1].respondents).toBe(6); // the 集計表 as published stays
  });

  it('spread over bands, the public cities of a safe band are listed and anonymous cities appear only as A市/B市 with their free text withheld', async () => {
    const spread = cities.map((c, i) => ({ ...c, band: [0, 0, 1, 0, 1, 1][i] }))
      .concat([{ ...cities[3], band: 0 }, { ...cities[5], band: 1 }, { ...cities[5], band: 0 }]);
    const list = participantsOf(spread);
    const { workbook } = await received(list, list[0].cityCode);
    const answers = sheetRows(workbook.getWorksheet('回答一覧')!).filter((r) => BANDS.some((b) => b.label === r[1]));
    expect(answers.map((r) => r[0]).sort()).toEqual(['函館市', '旭川市', '青森市'].sort());
    const plans = sheetRows(workbook.getWorksheet('計画一覧')!).filter((r) => /^[A-Z]+市$/.test(r[0]));
    expect(plans.length).toBe(3);
    for (const r of plans) {
      expect(r[2]).toBe('（市名を伏せる団体のため表示していません）');
      expect(r[8]).toBe('（市名を伏せる団体のため表示していません）');
    }
  });
});

describe('masking readings and romaji', () => {
  const masks = [{ name: '姫路市', replacement: 'A市', kana: 'ヒメジシ' }, { name: '郡山市', replacement: 'B市', kana: 'コオリヤマシ' }, { name: '奈良市', replacement: '〇〇市', kana: 'ナラシ' }];
  it.each([
    ['播磨地域情報化推進計画 ひめじ', '播磨地域情報化推進計画 〇〇'],
    ['ヒメジシ DX 戦略', 'A市 DX 戦略'],
    ['HIMEJI Smart City', '〇〇 Smart City'],
    ['Himeji-shi との連携', '〇〇 との連携'],
    ['kōriyama / KORIYAMA / Kooriyama / kohriyama', '〇〇 / 〇〇 / 〇〇 / 〇〇'],
    ['こおりやま市と共同', 'B市と共同'],
    ['ならし運転ではなく、ならびに', 'ならし運転ではなく、ならびに'],
    ['なら市・ナラ市', '〇〇市・〇〇市'],
  ])('%s → %s', (text, masked) => {
    expect(maskNames(text, masks)).toBe(masked);
  });
});
