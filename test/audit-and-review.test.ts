// The audit log's filters (operation, city) and its CSV; the review of a copied round's texts with the previous
// round's wording marked (in the trial the copied intro kept 第4次 / 平成30年度 unnoticed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser, textOf } from './organiser-support.js';
import { ASAHIKAWA, HAKODATE, invite } from './respondent-fixtures.js';

let ctx: TestContext;
let auth: { authorization: string };
let browser: Browser;
let previousId: number;

const INTRO_2018 = '本市では、平成30年度に第4次情報化推進計画の見直しを行います。御回答は2018年10月31日までにお願いします。';

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  browser = new Browser(ctx);
  await browser.login(ORGANISER.email, ORGANISER.password);
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: '平成30年度 中核市情報化推進計画調査', hostCityCode: '282049', deadline: '2018-10-31', introText: INTRO_2018 } });
  previousId = created.json().id;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${previousId}/participants`, headers: auth, payload: { cityCodes: [HAKODATE, ASAHIKAWA] } });
  await invite(ctx, auth, previousId, [HAKODATE]);
});
afterAll(() => ctx.close());

describe('the audit log', () => {
  it('filters by operation, in Japanese from the same labels as the entries', async () => {
    const page = await browser.get('/organiser/audit?action=issue-invitations');
    expect(page.body).toContain('<option value="issue-invitations" selected>依頼（個人用リンク）の発行</option>');
    const rows = [...page.body.matchAll(/<tr data-entity="(\w+)" data-action="([\w:-]+)"/g)].map((m) => m[2]);
    expect(rows).toEqual(['issue-invitations']);
  });

  it('filters by city: the entries that name it, not the others', async () => {
    const hakodate = await browser.get(`/organiser/audit?city=${HAKODATE}&surveyId=${previousId}`);
    const actions = [...hakodate.body.matchAll(/data-action="([\w:-]+)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['issue-invitations', 'add-participants']);
    const asahikawa = [...(await browser.get(`/organiser/audit?city=${ASAHIKAWA}&surveyId=${previousId}`)).body.matchAll(/data-action="([\w:-]+)"/g)].map((m) => m[1]);
    expect(asahikawa).toEqual(['add-participants']);
    // without the survey: also the city's roster entry
    const all = [...(await browser.get(`/organiser/audit?city=${HAKODATE}`)).body.matchAll(/data-entity="(\w+)" data-action="([\w:-]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(all).toContain('city create');
    expect(all.filter((a) => a.startsWith('city '))).toHaveLength(1);
    expect(hakodate.body).toContain(`<option value="${HAKODATE}" selected>北海道 函館市（${HAKODATE}）</option>`);
  });

  it('exports the filtered entries as a CSV with a BOM and Japanese headers', async () => {
    const page = await browser.get(`/organiser/audit?city=${HAKODATE}&surveyId=${previousId}`);
    const href = /href="(\/organiser\/audit\/export\.csv[^"]*)"/.exec(page.body)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(href).toBe(`/organiser/audit/export.csv?city=${HAKODATE}&surveyId=${previousId}`);
    const csv = await browser.get(`/organiser/audit/export.csv?city=${HAKODATE}&surveyId=${previousId}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"日時","操作","対象","調査","実行者","変更内容"');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}","依頼（個人用リンク）の発行\u3000[^"]*（\d+ 団体）","調査 \d+","平成30年度 中核市情報化推進計画調査（番号 \d+）","（?.*joho@city\.nishinomiya\.example\.lg\.jp.*",""$/);
    expect(lines[2]).toContain('"照会先団体の追加　函館市・旭川市（2 団体）"');
  });
});

describe('copying a round: the texts it takes over are shown with the old years marked', () => {
  it('after the copy, the review page marks 平成30年度, 第4次 and the old deadline, and says what to check', async () => {
    await browser.post(`/organiser/surveys/${previousId}/mail-texts/invitation`, { subject: '【依頼】平成30年度 中核市情報化推進計画調査', body: '{{cityName}} 御中\n{{url}}\n2018年10月31日までに御回答ください。' }, `/organiser/surveys/${previousId}/mail-texts`);
    const res = await browser.post('/organiser/surveys', { source: String(previousId), title: '令和8年度 中核市情報化推進計画調査', deadline: '2026-10-30', hostCityCode: '' });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/organiser\/surveys\/\d+\/review\?notice=/);
    const page = await browser.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('本市では、<mark class="previous-round">平成30年度</mark>に<mark>第4次</mark>情報化推進計画の見直しを行います。御回答は<mark class="previous-round">2018年10月31日</mark>までにお願いします。');
    expect(page.body).toContain('【依頼】<mark class="previous-round">平成30年度</mark> 中核市情報化推進計画調査');
    const text = textOf(page.body);
    expect(text).toContain('今回の調査に合わせて直す必要がないか、印の部分を確認してください。');
    expect(text).toContain('「平成30年度」: 前回の調査の年（2018年度（平成30年度））です。今回は 2026年度（令和8年度） ではないか確認してください。');
    expect(text).toContain('「第4次」: 計画・調査の次数です。前回のままでよいか確認してください（例: 第4次 → 第5次）。');
    // the reminder keeps the default text: nothing tied to a year in it
    expect(text).toMatch(/督促メールの件名 .*年・年度・日付・次数を含む部分はありません。/);
  });

  it('a survey made from the template has no review: the page says so', async () => {
    const res = await browser.post('/organiser/surveys', { source: 'template', title: '新しい調査', deadline: '2026-10-30', hostCityCode: '282049' });
    const id = /\/organiser\/surveys\/(\d+)/.exec(res.headers.location as string)![1];
    const review = await browser.get(`/organiser/surveys/${id}/review`);
    expect(review.statusCode).toBe(303);
    expect(decodeURIComponent(review.headers.location as string)).toContain('コピーして作成したものではない');
  });
});
