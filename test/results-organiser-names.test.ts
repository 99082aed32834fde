// The organiser's own results page can show the anonymous cities' real names (a toggle; by default the page shows
// what respondents see). Respondents' results are built by the same function and never get them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlanStats } from '../server/domain/plan-stats.js';
import { listPlanRows } from '../server/repositories/results.js';
import { buildPublishedResponses, type PublishedFixture } from './fixtures/build-published-responses.js';
import { buildTestApp, ORGANISER, type TestContext } from './helper.js';
import { Browser, createAccount } from './organiser-support.js';

let ctx: TestContext;
let fixture: PublishedFixture;
let browser: Browser;

// the fixture cycles public / anonymous / private: 試験1市 public, 試験2市 anonymous, 試験3市 private (all with a plan period)
const planTable = (html: string) => /<caption>団体ごとの計画期間<\/caption>[\s\S]*?<\/table>/.exec(html)![0];

beforeAll(async () => {
  ctx = await buildTestApp();
  fixture = await buildPublishedResponses(ctx.database.db);
  await createAccount(ctx, ORGANISER.email, ORGANISER.password);
  browser = new Browser(ctx);
  await browser.login(ORGANISER.email, ORGANISER.password);
});
afterAll(() => ctx.close());

describe('real names of anonymous cities on the organiser results page', () => {
  it('by default the plan list shows A市, B市… as respondents see it, with a link to show the real names', async () => {
    const page = await browser.get(`/organiser/surveys/${fixture.surveyId}/results`);
    expect(page.statusCode).toBe(200);
    const table = planTable(page.body);
    expect(table).toContain('<th scope="row">試験1市</th>');
    expect(table).not.toContain('試験2市');
    expect(table).toMatch(/<th scope="row">[A-Z]+市<\/th>/);
    expect(page.body).toContain('<strong aria-current="true">回答団体と同じ表示（A市・B市…）</strong>');
    expect(page.body).toContain(`href="/organiser/surveys/${fixture.surveyId}/results?names&#x3D;real#plan-heading"`);
  });

  it('with the toggle, an anonymous city is named with the label respondents see, and its plan name is shown; private cities stay out', async () => {
    const page = await browser.get(`/organiser/surveys/${fixture.surveyId}/results?names=real`);
    const table = planTable(page.body);
    const row = /<th scope="row">試験2市（([A-Z]+市)）<\/th><td>試験2市情報化推進計画<\/td><td>2015年度〜2019年度<\/td>/.exec(table);
    expect(row).not.toBeNull();
    const masked = row![1];
    // the same city is that label in the default view
    expect(planTable((await browser.get(`/organiser/surveys/${fixture.surveyId}/results`)).body)).toContain(`<th scope="row">${masked}</th><td></td><td>2015年度〜2019年度</td>`);
    expect(table).not.toContain('試験3市');
    expect(page.body).toContain('この表示は照会元の画面だけのもので、回答団体に示す結果・Excel は変わりません。');
    // the filter form keeps the choice
    expect(page.body).toContain('<input type="hidden" name="names" value="real">');
  });

  it('respondents\' plan statistics ignore the option', async () => {
    const rows = await listPlanRows(ctx.database.db, fixture.surveyId, fixture.hostCityCode);
    const stats = buildPlanStats(fixture.surveyId, rows, { audience: 'respondent', realNames: true });
    const names = stats.timeline.bars.map((b) => b.name);
    expect(names).toContain('試験1市');
    expect(names.some((n) => n.includes('試験2市'))).toBe(false);
    expect(names.some((n) => n.includes('試験3市'))).toBe(false);
  });
});
