// The results pages: the organiser's table shows the published 2018 figures, sorts and filters without
// JavaScript, draws accessible SVG charts; respondents see it only once the survey is 結果公表.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/database.js';
import { SYSTEM_ACTOR } from '../server/repositories/audit.js';
import { createSurvey } from '../server/services/surveys.js';
import { buildPublishedResponses, HOST, type PublishedFixture } from './fixtures/build-published-responses.js';
import { PUBLISHED_2018_TABLE } from './fixtures/published-2018.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser, textOf } from './organiser-support.js';

let ctx: TestContext;
let auth: { authorization: string };
let db: Db;
let fixture: PublishedFixture;

beforeAll(async () => {
  ctx = await buildTestApp();
  db = ctx.database.db;
  auth = await loginOrganiser(ctx);
  fixture = await buildPublishedResponses(db);
});
afterAll(() => ctx.close());

const page = (url: string, headers: Record<string, string> = auth) => ctx.app.inject({ method: 'GET', url, headers });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** The results table's body rows as { label, cells } (cells = the td texts, marks and splits included). */
function tableRows(html: string) {
  const table = html.slice(html.indexOf('<table class="results-table">'), html.indexOf('</table>'));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => ({
    label: text(/<th scope="row" class="measure">([^<]*)/.exec(row)?.[1] ?? ''),
    bands: [...row.matchAll(/<td class="num band-count">(\d+)</g)].map((m) => Number(m[1])),
    total: Number(/<td class="num total">(\d+)</.exec(row)?.[1]),
    rate: /<td class="num rate">([^<]*)</.exec(row)?.[1],
    host: text(/<td class="host-\w+ host">([^<]*)</.exec(row)?.[1] ?? ''),
  }));
}

describe('organiser results page', () => {
  it('shows the published table: every band count, 総数 and rate, with respondents per band in the header', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results`);
    expect(res.statusCode).toBe(200);
    const rows = tableRows(res.body);
    expect(rows).toHaveLength(46);
    PUBLISHED_2018_TABLE.forEach((published, i) => {
      expect(rows[i]).toMatchObject({ label: published.label, bands: published.bandCounts, total: published.total, rate: `${published.ratePercent.toFixed(2)}%` });
    });
    for (const size of fixture.bandSizes) expect(res.body).toContain(`（${size} 団体）`);
    expect(text(res.body)).toContain('回答団体数: 48 団体');
  });

  it('groups 分類 with rowspan as in the published table, and marks 本市 with text as well as colour', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results`);
    expect(res.body).toContain('<th scope="rowgroup" rowspan="12" class="category">自治体の対策</th>');
    expect(res.body).toContain('<th scope="rowgroup" rowspan="16" class="category">地域</th>');
    const rows = tableRows(res.body);
    expect(rows.slice(0, 3).map((r) => r.host)).toEqual(['● 実施済', '▲ 検討中', '－ 未実施']);
    expect(res.body).toContain('<td class="host-implemented host">');
  });

  it('sorts by rate and filters by 分類 with query parameters (no JavaScript)', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results?sort=rate&category=${encodeURIComponent('地域')}`);
    const rows = tableRows(res.body);
    const expected = PUBLISHED_2018_TABLE.filter((r) => r.category === '地域');
    expect(rows).toHaveLength(expected.length);
    const rates = rows.map((r) => parseFloat(r.rate!));
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(rates[0]).toBe(Math.max(...expected.map((r) => r.ratePercent)));
    expect(res.body).toMatch(/<option value="地域" selected>/);
    expect(res.body).toMatch(/<form method="get" action="\/organiser\/surveys\/\d+\/results"/);
    const ascending = tableRows((await page(`/organiser/surveys/${fixture.surveyId}/results?sort=rate-asc`)).body);
    expect(ascending[0].label).toBe('電子投票システムの導入');
  });

  it('draws the charts as inline SVG with a title and a text alternative, loading nothing from elsewhere', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results`);
    const svgs = res.body.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(5);
    for (const tag of svgs) expect(tag).toMatch(/role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/);
    expect(res.body).toContain('<title id="chart-rate-title">対策ごとの実施・検討率');
    expect(res.body).not.toMatch(/(src|href)="https?:/);
    // the charts need no script: the only one on the page is the site's own error-summary focus (assets/forms.js)
    expect(res.body.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/forms.js" defer>']);
  });

  it('shows plan statistics; anonymous cities become A市…, private cities are never named', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results`);
    const body = text(res.body);
    expect(body).toMatch(/計画を策定している団体: 42 団体 \/ 回答 48 団体（87\.50%）/);
    expect(body).toContain('A市');
    // The fixture gives every third city (k % 3 === 2) 公表しない; the first is the band's third city, 試験3市.
    expect(await db.selectFrom('cities').select('name').where('name', '=', '試験3市').executeTakeFirst()).toBeDefined();
    expect(res.body).not.toContain('試験3市');
    expect(res.body).toContain('試験1市');
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await page(`/organiser/surveys/${fixture.surveyId}/results`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('says 「回答がありません」 for a survey without submitted responses, and 404 for an unknown one', async () => {
    const survey = await createSurvey(db, { title: '回答のない調査', hostCityCode: HOST.code, deadline: '2018-10-31' }, SYSTEM_ACTOR);
    const res = await page(`/organiser/surveys/${survey.id}/results`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('回答がありません');
    expect(tableRows(res.body)[0]).toMatchObject({ rate: '－', total: 0 });
    expect((await page('/organiser/surveys/999999/results')).statusCode).toBe(404);
  });
});

describe('respondent results page', () => {
  it('is shown to a respondent only once the survey is 結果公表', async () => {
    const issued = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${fixture.surveyId}/invitations`, headers: auth, payload: { cityCodes: [await firstCity()] } });
    expect(issued.statusCode).toBe(201);
    const respondent = new Browser(ctx);
    await respondent.openLink(new URL(issued.json()[0].url).pathname);
    const cookie = respondent.cookieHeader;
    expect(cookie).toContain('respondent_session=');

    const before = await page('/respond/results', { cookie });
    expect(before.statusCode).toBe(403);
    expect(before.body).toContain('集計結果はまだ公表されていません');

    for (const status of ['open', 'closed', 'published']) {
      const moved = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${fixture.surveyId}`, headers: auth, payload: { status } });
      expect(moved.statusCode).toBe(200);
    }
    const after = await page('/respond/results', { cookie });
    expect(after.statusCode).toBe(200);
    const rows = tableRows(after.body);
    expect(rows.map((r) => r.rate)).toEqual(PUBLISHED_2018_TABLE.map((r) => `${r.ratePercent.toFixed(2)}%`));
    // the organiser's workbook link is never shown; the city's own results workbook (it submitted) is, via its cookie
    expect(after.body).not.toContain(`/api/v1/surveys/${fixture.surveyId}/results.xlsx`);
    expect(after.body).toContain('href="/api/v1/response/results.xlsx"');
    const workbook = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: { cookie } });
    expect(workbook.statusCode).toBe(200);
    expect(workbook.headers['content-type']).toContain('spreadsheetml');
    expect((await page('/respond/results', {})).statusCode).toBe(401);
  });
});

async function firstCity(): Promise<string> {
  const row = await db.selectFrom('participants').select('city_code').where('survey_id', '=', fixture.surveyId).where('city_code', '<>', HOST.code).orderBy('city_code').executeTakeFirstOrThrow();
  return row.city_code;
}

describe('links between the areas once the survey is 結果公表', () => {
  it('the organiser reaches the results, both workbooks and 調査結果の送付 from the console, with the session cookie', async () => {
    const browser = new Browser(ctx);
    expect((await browser.login(ORGANISER.email, ORGANISER.password)).statusCode).toBe(303);
    const surveyPage = await browser.get(`/organiser/surveys/${fixture.surveyId}`);
    expect(surveyPage.body).toContain(`href="/organiser/surveys/${fixture.surveyId}/results"`);
    expect(surveyPage.body).toContain(`href="/api/v1/surveys/${fixture.surveyId}/results.xlsx"`);
    expect(textOf(surveyPage.body)).toContain('回答団体へ調査結果の送付メールを送る');

    const workbook = await browser.get(`/api/v1/surveys/${fixture.surveyId}/results.xlsx`);
    expect(workbook.statusCode).toBe(200);
    expect(workbook.headers['content-type']).toContain('spreadsheetml');

    const city = await firstCity();
    const cityPage = await browser.get(`/organiser/surveys/${fixture.surveyId}/responses/${city}`);
    const questionnaireHref = `/api/v1/surveys/${fixture.surveyId}/responses/${city}/questionnaire.xlsx`;
    expect(cityPage.body).toContain(`href="${questionnaireHref}"`);
    expect((await browser.get(questionnaireHref)).statusCode).toBe(200);

    await db.updateTable('cities').set({ email: 'joho@example.lg.jp' }).where('code', '=', city).execute();
    const resultsUrl = `/organiser/surveys/${fixture.surveyId}/results`;
    const notified = await browser.post(`${resultsUrl}/notify`, {}, resultsUrl);
    expect(notified.statusCode).toBe(303);
    const after = await browser.get(notified.headers.location as string);
    const outcome = /調査結果の送付メール: [^。<]*?件（/.exec(textOf(after.body))?.[0];
    expect(outcome).toBe('調査結果の送付メール: 送信 0 件、送信トレイ（未送信）1 件、メールアドレス未登録のため未送信 47 件（');
    const mails = await db.selectFrom('mail_messages').select('city_code').where('kind', '=', 'results').where('survey_id', '=', fixture.surveyId).execute();
    expect(mails).toEqual([{ city_code: city }]);
    // The 送信記録 names the mail as its subject does, not 「その他」.
    const log = await browser.get(`/organiser/surveys/${fixture.surveyId}/invitations`);
    expect(log.body).toMatch(/<td>調査結果の送付<\/td><td>joho@example\.lg\.jp<\/td>/);
    expect(log.body).not.toContain('<td>その他</td>');

    const withoutToken = await ctx.app.inject({ method: 'POST', url: `${resultsUrl}/notify`, headers: { cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(withoutToken.statusCode).toBe(403);
  });

  it('a respondent who submitted finds 集計結果を見る and its Excel on the answer summary', async () => {
    const issued = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${fixture.surveyId}/invitations`, headers: auth, payload: { cityCodes: [await firstCity()] } });
    const respondent = new Browser(ctx);
    const opened = await respondent.openLink(new URL(issued.json()[0].url).pathname);
    const summary = await respondent.get(opened.headers.location as string);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('<a href="/respond/results">集計結果を見る</a>');
    expect(summary.body).toContain('href="/api/v1/response/results.xlsx"');
    expect((await respondent.get('/api/v1/response/results.xlsx')).statusCode).toBe(200);
  });

  it('a city that did not submit is offered no link to the results it may not open, and is told why', async () => {
    // Every city of the fixture submitted: one of them is taken back to an unsent draft for this test.
    const city = await firstCity();
    await db.updateTable('responses').set({ status: 'draft' }).where('survey_id', '=', fixture.surveyId).where('city_code', '=', city).execute();
    try {
      const issued = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${fixture.surveyId}/invitations`, headers: auth, payload: { cityCodes: [city] } });
      const respondent = new Browser(ctx);
      const opened = await respondent.openLink(new URL(issued.json()[0].url).pathname);
      const summary = await respondent.get(opened.headers.location as string);
      expect(summary.statusCode).toBe(200);
      expect(textOf(summary.body)).toContain('貴市は回答を送信していないため、ご覧いただけません。');
      expect(summary.body).not.toContain('href="/respond/results"');
    } finally {
      await db.updateTable('responses').set({ status: 'submitted' }).where('survey_id', '=', fixture.surveyId).where('city_code', '=', city).execute();
    }
  });
});
