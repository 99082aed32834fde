// Pure domain rules: 団体コード check digit, population bands, status moves, the 2018 template.
import { describe, expect, it } from 'vitest';
import { bandIndexFor, bandsFor, bandThresholdsProblem } from '../server/domain/bands.js';
import { cityCodeProblem, isValidCityCode } from '../server/domain/city-code.js';
import { canMoveSurvey } from '../server/domain/survey-status.js';
import { CHUKAKUSHI_2018 } from '../server/domain/templates/chukakushi-2018.js';
import { CHUKAKUSHI_ROSTER } from '../server/db/seed/roster-chukakushi.js';
import { PUBLISHED_2018_TABLE } from './fixtures/published-2018.js';

describe('団体コード', () => {
  it('accepts 西宮市 282049 and refuses 282048 with a Japanese message naming the expected digit', () => {
    expect(isValidCityCode('282049')).toBe(true);
    expect(cityCodeProblem('282048')).toMatch(/検査数字.*9/);
  });
  it('accepts well-known codes whose remainder cases differ (東京都 130001, 札幌市 011002)', () => {
    expect(isValidCityCode('130001')).toBe(true);
    expect(isValidCityCode('011002')).toBe(true);
  });
  it('refuses codes that are not six digits', () => {
    expect(cityCodeProblem('28204')).toMatch(/6 桁/);
    expect(cityCodeProblem('２８２０４９')).toMatch(/6 桁/);
  });
  it('every city of the seeded roster has a valid code, and there are 62 of them with no duplicates', () => {
    expect(CHUKAKUSHI_ROSTER).toHaveLength(62);
    expect(new Set(CHUKAKUSHI_ROSTER.map((c) => c.code)).size).toBe(62);
    for (const c of CHUKAKUSHI_ROSTER) expect(cityCodeProblem(c.code), c.name).toBeNull();
  });
});

describe('人口区分', () => {
  const thresholds = [300000, 500000];
  it('puts a city exactly on a threshold into the band above', () => {
    expect(bandIndexFor(299999, thresholds)).toBe(0);
    expect(bandIndexFor(300000, thresholds)).toBe(1);
    expect(bandIndexFor(499999, thresholds)).toBe(1);
    expect(bandIndexFor(500000, thresholds)).toBe(2);
  });
  it('labels the default bands as in the published table', () => {
    expect(bandsFor(thresholds)).toEqual([
      { label: '30万人未満の市', min: 0, max: 299999 },
      { label: '30万人以上50万人未満の市', min: 300000, max: 499999 },
      { label: '50万人以上の市', min: 500000, max: null },
    ]);
  });
  it('labels other thresholds in the same style', () => {
    expect(bandsFor([200000, 350000, 1000000]).map((b) => b.label)).toEqual([
      '20万人未満の市',
      '20万人以上35万人未満の市',
      '35万人以上100万人未満の市',
      '100万人以上の市',
    ]);
    expect(bandsFor([125000])[0].label).toBe('12万5千人未満の市');
  });
  it('refuses thresholds that are not strictly ascending positive integers', () => {
    expect(bandThresholdsProblem([500000, 300000])).toMatch(/小さい順/);
    expect(bandThresholdsProblem([300000, 300000])).toMatch(/小さい順/);
    expect(bandThresholdsProblem([0])).toMatch(/正の整数/);
    expect(bandThresholdsProblem([])).not.toBeNull();
    expect(bandThresholdsProblem([300000, 500000])).toBeNull();
  });
});

describe('調査の状態', () => {
  it('allows exactly the moves of API.md', () => {
    const statuses = ['draft', 'open', 'closed', 'published'] as const;
    const allowed = statuses.flatMap((from) => statuses.filter((to) => canMoveSurvey(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(['closed→open', 'closed→published', 'draft→open', 'open→closed', 'published→closed']);
  });
});

describe('chukakushi-2018 template', () => {
  it('has the 46 measures of the published table, in its order and categories, coded M01…M46', () => {
    expect(CHUKAKUSHI_2018.measures).toHaveLength(46);
    expect(CHUKAKUSHI_2018.measures.map((m) => m.code)).toEqual(Array.from({ length: 46 }, (_, i) => `M${String(i + 1).padStart(2, '0')}`));
    expect(CHUKAKUSHI_2018.measures.map((m) => [m.category, m.label])).toEqual(PUBLISHED_2018_TABLE.map((row) => [row.category, row.label]));
  });
  it('has 12, 8, 16 and 10 measures in its four categories', () => {
    const counts = new Map<string, number>();
    for (const m of CHUKAKUSHI_2018.measures) counts.set(m.category, (counts.get(m.category) ?? 0) + 1);
    expect([...counts]).toEqual([
      ['自治体の対策', 12],
      ['自治体の業務', 8],
      ['地域', 16],
      ['インフラ', 10],
    ]);
  });
});

describe('the audit log in Japanese', () => {
  it('names operations, the status move, and only the fields that changed', async () => {
    const { describeAudit, actorLabel } = await import('../server/domain/audit-labels.js');
    expect(describeAudit({ action: 'status:published', entity: 'survey', before: { status: 'closed' }, after: { status: 'published', edition: 2 } }).operation).toBe('状態の変更（締切 → 結果公表）（第2版）');
    const save = describeAudit({
      action: 'submit',
      entity: 'response',
      before: {},
      after: { changed: [{ path: '/measures/M01', label: 'ICTガバナンスの強化', before: '検討中', after: '実施済' }], reason: '電話で訂正' },
    });
    expect(save).toEqual({ operation: '送信', changes: [{ label: 'ICTガバナンスの強化', before: '検討中', after: '実施済' }], reason: '電話で訂正', source: undefined });
    expect(describeAudit({ action: 'measure:rename', entity: 'measure', before: { label: 'GISの活用' }, after: { label: '地理情報システムの活用' } }).operation).toBe('対策「GISの活用」の名称を変更しました');
    const names = { organisers: new Map([['joho@city.example.lg.jp', '西宮 太郎']]), cities: new Map([['022012', '青森市']]) };
    expect(actorLabel({ type: 'respondent', id: '022012' }, names)).toBe('青森市（回答団体）');
    expect(actorLabel({ type: 'organiser', id: 'joho@city.example.lg.jp' }, names)).toBe('西宮 太郎（joho@city.example.lg.jp）');
  });
});

describe('audit entries that name cities', () => {
  it('an invitation or reminder entry names the cities it went to, not their codes', async () => {
    const { describeAudit } = await import('../server/domain/audit-labels.js');
    const names = new Map([['012041', '旭川市'], ['052019', '秋田市']]);
    const remind = describeAudit({ action: 'remind', entity: 'survey', before: null, after: { cityCodes: ['012041', '052019'], send: true } }, names);
    expect(remind.operation).toContain('旭川市・秋田市（2 団体）');
    expect(remind.operation).not.toContain('012041');
    // a code the roster no longer knows is shown as it is, never dropped
    expect(describeAudit({ action: 'remind', entity: 'survey', before: null, after: { cityCodes: ['999999'] } }, names).operation).toContain('999999（1 団体）');
  });
});
