// The pure parts of the results: rounding, turning grouped counts into the table, sorting/filtering,
// plan statistics and the SVG charts — no database.
import { describe, expect, it } from 'vitest';
import { bandsFor } from '../server/domain/bands.js';
import { bandComparisonChart, esc, planTimelineChart, rateChart } from '../server/views/charts.js';
import { anonymousCityName, anonymousNames, buildPlanStats, type PlanInput } from '../server/domain/plan-stats.js';
import { arrangeMeasures, buildResults, parseResultSort, rateDifference, ratePercent, type ResultsInput } from '../server/domain/results.js';

const BANDS = bandsFor([300000, 500000]);
const MEASURES = [
  { id: 1, code: 'M01', category: '自治体の対策', label: 'ICTガバナンスの強化', retired: false },
  { id: 2, code: 'M02', category: '自治体の対策', label: 'BCPの策定(ICT)', retired: false },
  { id: 3, code: 'M03', category: '地域', label: '子育て支援 <&>', retired: false },
];

function input(overrides: Partial<ResultsInput> = {}): ResultsInput {
  return {
    surveyId: 7,
    hostCityCode: '282049',
    bands: BANDS,
    bandRespondents: [{ bandIndex: 0, count: 6 }, { bandIndex: 1, count: 34 }, { bandIndex: 2, count: 8 }],
    measures: MEASURES,
    counts: [
      { measureId: 1, bandIndex: 0, answer: 'implemented', count: 1 },
      { measureId: 1, bandIndex: 1, answer: 'implemented', count: 9 },
      { measureId: 1, bandIndex: 1, answer: 'studying', count: 2 },
      { measureId: 1, bandIndex: 1, answer: 'none', count: 23 },
      { measureId: 1, bandIndex: 2, answer: 'studying', count: 3 },
      { measureId: 2, bandIndex: 1, answer: 'implemented', count: 23 },
    ],
    hostAnswers: new Map([[1, 'implemented' as const]]),
    ...overrides,
  };
}

describe('rates', () => {
  it('are total / denominator × 100, half-up to 2 decimals, computed without floating-point drift', () => {
    expect(ratePercent(15, 48)).toBe(31.25);
    expect(ratePercent(23, 48)).toBe(47.92);
    expect(ratePercent(31, 48)).toBe(64.58);
    expect(ratePercent(1, 48)).toBe(2.08);
    expect(ratePercent(1, 32)).toBe(3.13); // 3.125 → 3.13
    expect(ratePercent(201, 20000)).toBe(1.01); // 1.005 → 1.01, where Math.round(x * 100) / 100 gives 1
    expect(ratePercent(0, 0)).toBeNull();
    expect(rateDifference(47.92, 31.25)).toBe(16.67);
  });
});

describe('buildResults', () => {
  it('turns grouped counts into per-band implemented/studying/total, 総数 and rate', () => {
    const r = buildResults(input());
    expect(r.respondents).toBe(48);
    expect(r.bands.map((b) => b.respondents)).toEqual([6, 34, 8]);
    expect(r.measures[0]).toMatchObject({
      counts: [{ implemented: 1, studying: 0, total: 1 }, { implemented: 9, studying: 2, total: 11 }, { implemented: 0, studying: 3, total: 3 }],
      implemented: 10, studying: 5, total: 15, ratePercent: 31.25, host: 'implemented', answered: 38,
    });
    expect(r.measures[1]).toMatchObject({ total: 23, ratePercent: 47.92, host: null });
    expect(r.measures[2]).toMatchObject({ total: 0, ratePercent: 0, answered: 0, counts: [{ total: 0 }, { total: 0 }, { total: 0 }] });
    expect(r.previousRound).toBeNull();
    expect(r.measures.every((m) => !m.newThisRound && m.rateChange === null)).toBe(true);
  });

  it('with no respondents every rate is null; with no host response host is null', () => {
    const r = buildResults(input({ bandRespondents: [], counts: [], hostAnswers: null }));
    expect(r.denominator).toBe(0);
    expect(r.hostAnswered).toBe(false);
    expect(r.measures.map((m) => m.ratePercent)).toEqual([null, null, null]);
  });

  it('compares with the previous round by code and flags new measures', () => {
    const r = buildResults(input({ previous: { surveyId: 3, title: '前回', respondents: 40, rates: new Map([['M01', 25], ['M02', null]]) } }));
    expect(r.measures[0]).toMatchObject({ previousRatePercent: 25, rateChange: 6.25, newThisRound: false });
    expect(r.measures[1]).toMatchObject({ previousRatePercent: null, rateChange: null, newThisRound: false });
    expect(r.measures[2]).toMatchObject({ newThisRound: true });
  });
});

describe('arranging the table', () => {
  const measures = buildResults(input()).measures;

  it('keeps survey order with 分類 rowspans by default', () => {
    expect(arrangeMeasures(measures, { sort: 'order' }).map((r) => r.categoryRowspan)).toEqual([2, 0, 1]);
  });

  it('sorts by rate (highest first for ?sort=rate) and filters by 分類', () => {
    expect(parseResultSort('rate')).toBe('rate-desc');
    expect(parseResultSort('nonsense')).toBe('order');
    expect(arrangeMeasures(measures, { sort: 'rate-desc' }).map((r) => r.code)).toEqual(['M02', 'M01', 'M03']);
    expect(arrangeMeasures(measures, { sort: 'rate-asc' }).map((r) => r.code)).toEqual(['M03', 'M01', 'M02']);
    expect(arrangeMeasures(measures, { sort: 'order', category: '地域' }).map((r) => r.code)).toEqual(['M03']);
  });
});

describe('plan statistics', () => {
  const row = (code: string, name: string, disclosure: PlanInput['disclosure'], extra: Partial<PlanInput> = {}): PlanInput => ({
    cityCode: code, cityName: name, hasPlan: true, planName: `${name}情報化計画`, updateCycleYears: 5, updateIrregular: false,
    periodStart: 2016, periodEnd: 2020, nextPlan: 'update', disclosure, ...extra,
  });

  const rows = [
    row('300004', '丙市', 'anonymous'),
    row('100005', '甲市', 'public', { periodStart: 2019, periodEnd: 2023 }),
    row('200000', '乙市', 'anonymous', { updateIrregular: true, updateCycleYears: null }),
    row('400002', '丁市', 'private'),
    row('500003', '戊市', 'public', { hasPlan: false, periodStart: null, periodEnd: null, nextPlan: null }),
  ];

  it('names public cities, masks anonymous ones as A市, B市…, and only counts private ones', () => {
    const stats = buildPlanStats(1, rows, { audience: 'organiser' });
    expect(stats).toMatchObject({ respondents: 5, withPlan: 4, withoutPlan: 1, withPlanPercent: 80 });
    expect(stats.timeline.bars.map((b) => b.name).slice(0, 2).sort()).toEqual(['A市', 'B市']);
    expect(stats.timeline.bars.map((b) => [b.name, b.planName])[2]).toEqual(['甲市', '甲市情報化計画']);
    expect(stats.timeline.bars.slice(0, 2).every((b) => b.planName === null && b.disclosure === 'anonymous')).toBe(true);
    expect(JSON.stringify(stats)).not.toMatch(/丙市|乙市|丁市/);
    expect(stats.timeline.hiddenCount).toBe(1);
    expect(stats.updateCycles).toEqual([{ label: '5年', count: 3 }, { label: '不定期', count: 1 }]);
    expect(stats.nextPlans.find((n) => n.label === '更新')!.count).toBe(4);
    expect(anonymousCityName(26)).toBe('AA市');
  });

  it('for respondents, one private city among them withholds the per-city timeline (the counts minus the bars would be its plan)', () => {
    const stats = buildPlanStats(1, rows);
    expect(stats.timeline.bars).toEqual([]);
    expect(stats.timeline.withheldMessage).toBe('回答団体数が少ないため、団体別の回答は表示していません。');
    expect(stats.updateCycles).toEqual([{ label: '5年', count: 3 }, { label: '不定期', count: 1 }]);
  });

  it('gives each anonymous city the same masked name whatever order the rows come in', () => {
    const names = (r: PlanInput[]) => anonymousNames(9, r);
    expect(names([...rows].reverse())).toEqual(names(rows));
    expect([...names(rows).values()].sort()).toEqual(['A市', 'B市']);
  });
});

describe('charts', () => {
  const results = buildResults(input());

  it('the rate chart has a title, a description, both segments per measure, the rate and the host mark; text is escaped', () => {
    const svg = rateChart(results);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-rate-title chart-rate-desc"/);
    expect(svg).toContain('<title id="chart-rate-title">');
    expect(svg).toContain('31.25%');
    expect(svg).toContain('●本市 実施済');
    expect(svg).toContain('本市 未回答');
    expect(svg).toContain('子育て支援 &lt;&amp;&gt;');
    expect(svg).not.toContain('style=');
    // 10 of 48 実施済 on a 360-wide scale = 75, then 5 検討中 = 37.5
    expect(svg).toMatch(/width="75\.00"[^>]*fill="#1f5fa0"/);
    expect(svg).toMatch(/width="37\.50"[^>]*fill="url\(#chart-rate-hatch\)"/);
  });

  it('the band chart marks each band with its own shape; the timeline has one bar per shown city', () => {
    const svg = bandComparisonChart(results);
    expect(svg).toContain('<circle');
    expect(svg).toContain('<polygon');
    expect(svg).toContain('ICTガバナンスの強化・30万人以上50万人未満の市: 32.35%');
    const timeline = planTimelineChart({ bars: [{ name: 'A市', disclosure: 'anonymous', planName: null, start: 2016, end: 2020 }], hiddenCount: 0, withoutPeriodCount: 0, firstYear: 2016, lastYear: 2020 });
    expect(timeline.match(/<rect /g)).toHaveLength(1);
    expect(esc('"<')).toBe('&quot;&lt;');
  });
});
