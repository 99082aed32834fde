// The respondent form kept while its data is unchanged (issue #15, views/page-cache.ts): a page asked for again is
// the page drawn before with a fresh CSRF token, and anything written to the data it shows — through this app,
// another instance or plain SQL — is on the very next page. Two cities never see each other's page.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderedPageCache } from '../server/views/page-cache.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { ASAHIKAWA, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';
import { Browser, csrfTokenOf } from './support/browser.js';

let now = new Date('2026-12-01T01:00:00Z');
let ctx: TestContext;
let auth: { authorization: string };
let surveyId: number;
let hakodate: Browser;
let asahikawa: Browser;
let deadline: string;

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true, clock: () => now });
  auth = await loginOrganiser(ctx);
  surveyId = await openDemoSurvey(ctx, auth);
  deadline = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json().deadline;
  const invitations = await invite(ctx, auth, surveyId, [HAKODATE, ASAHIKAWA]);
  hakodate = new Browser(ctx);
  asahikawa = new Browser(ctx);
  await hakodate.openLink(invitations.find((i) => i.cityCode === HAKODATE)!.url);
  await asahikawa.openLink(invitations.find((i) => i.cityCode === ASAHIKAWA)!.url);
});
afterAll(() => ctx.close());

const db = () => ctx.database.db;
const served = () => ctx.app.renderedPages.served;
const withoutToken = (html: string) => html.replaceAll(csrfTokenOf(html), '(token)');
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];
const checkedOf = (html: string, code: string) => new RegExp(`id="m-${code}-(implemented|studying|none)" name="[^"]+" value="[^"]+" checked`).exec(html)?.[1];
const cityNameOf = (html: string) => /<dt>回答団体<\/dt><dd>([^<]*)<\/dd>/.exec(html)?.[1];

describe('a form asked for again', () => {
  it('is the page drawn before, with a new CSRF token that a save accepts', async () => {
    const first = await hakodate.get('/respond');
    const before = served();
    const second = await hakodate.get('/respond');
    expect(second.statusCode).toBe(200);
    expect(served()).toBe(before + 1);
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(second.headers['cache-control']).toBe('no-store');
    expect(csrfTokenOf(second.body)).not.toBe(csrfTokenOf(first.body));
    expect(withoutToken(second.body)).toBe(withoutToken(first.body));

    const saved = await hakodate.postForm('/respond', { _csrf: csrfTokenOf(second.body), version: versionOf(second.body), action: 'save', department: '総務部 情報政策課' });
    expect(saved.statusCode).toBe(303);
    const after = await hakodate.get('/respond?saved=1');
    expect(after.body).toContain('value="総務部 情報政策課"');
    expect(after.body).toContain('一時保存しました');
  });

  it('is each city’s own page', async () => {
    for (let i = 0; i < 2; i++) {
      expect(cityNameOf((await hakodate.get('/respond')).body)).toBe('函館市');
      expect(cityNameOf((await asahikawa.get('/respond')).body)).toBe('旭川市');
    }
  });
});

describe('a change to what the form shows is on the very next page', () => {
  it('written with plain SQL, as another instance would: the roster, the survey, an answer, the measures', async () => {
    await hakodate.get('/respond');
    await hakodate.get('/respond');

    await sql`update cities set name = '函館市（名簿を更新）' where code = ${HAKODATE}`.execute(db());
    expect(cityNameOf((await hakodate.get('/respond')).body)).toBe('函館市（名簿を更新）');
    await sql`update cities set name = '函館市' where code = ${HAKODATE}`.execute(db());

    await sql`update surveys set intro_text = '別のインスタンスで書き換えた説明文' where id = ${surveyId}`.execute(db());
    expect((await hakodate.get('/respond')).body).toContain('別のインスタンスで書き換えた説明文');

    const [{ id: responseId }] = (await sql<{ id: number }>`select id from responses where survey_id = ${surveyId} and city_code = ${HAKODATE}`.execute(db())).rows;
    const [m01] = (await sql<{ id: number }>`select id from measures where survey_id = ${surveyId} and code = 'M01'`.execute(db())).rows;
    await sql`insert into response_answers (response_id, measure_id, answer) values (${responseId}, ${m01.id}, 'studying')`.execute(db());
    expect(checkedOf((await hakodate.get('/respond')).body, 'M01')).toBe('studying');
    await sql`update response_answers set answer = 'implemented' where response_id = ${responseId} and measure_id = ${m01.id}`.execute(db());
    expect(checkedOf((await hakodate.get('/respond')).body, 'M01')).toBe('implemented');
    await sql`delete from response_answers where response_id = ${responseId} and measure_id = ${m01.id}`.execute(db());
    expect(checkedOf((await hakodate.get('/respond')).body, 'M01')).toBeUndefined();

    await sql`update measures set label = 'ICTガバナンス（SQLで修正）' where survey_id = ${surveyId} and code = 'M01'`.execute(db());
    expect((await hakodate.get('/respond')).body).toContain('ICTガバナンス（SQLで修正）');
  });

  it('the deadline passing changes the page though its data does not', async () => {
    now = new Date(`${deadline}T12:00:00+09:00`);
    await hakodate.get('/respond');
    expect((await hakodate.get('/respond')).body).toContain('送信後も回答期限までは修正して再送信できます');
    now = new Date(`${deadline}T23:59:59.999+09:00`);
    expect((await hakodate.get('/respond')).body).toContain('送信後も回答期限までは修正して再送信できます');
    now = new Date(Date.parse(`${deadline}T23:59:59.999+09:00`) + 1);
    expect((await hakodate.get('/respond')).body).toContain('回答期限を過ぎていますが、受付中は送信・修正できます');
    now = new Date('2026-12-01T01:00:00Z');
  });

  it('a link revoked elsewhere is refused even though its page was kept', async () => {
    await asahikawa.get('/respond');
    await asahikawa.get('/respond');
    await sql`update invitations set revoked_at = now() where survey_id = ${surveyId} and city_code = ${ASAHIKAWA}`.execute(db());
    const res = await asahikawa.get('/respond');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('回答画面を開けません');
  });
});

describe('the cache of rendered pages', () => {
  const page = (html: string) => ({ fingerprint: 'f', html, token: 'TOKEN' });

  it('puts each request’s token back where the page had it', () => {
    const cache = new RenderedPageCache(1000);
    cache.keep('a', page('<input value="TOKEN"><p>本文</p><input value="TOKEN">'));
    const kept = cache.peek('a', new Date())!;
    expect(cache.take('a', kept, 'new').toString()).toBe('<input value="new"><p>本文</p><input value="new">');
  });

  it('holds at most its size, letting the least recently used go first', () => {
    const cache = new RenderedPageCache(25);
    cache.keep('a', page('0123456789'));
    cache.keep('b', page('0123456789'));
    cache.take('a', cache.peek('a', new Date())!, 'x');
    cache.keep('c', page('0123456789'));
    expect([cache.peek('a', new Date()), cache.peek('b', new Date()), cache.peek('c', new Date())].map(Boolean)).toEqual([true, false, true]);
    expect(cache.size).toEqual({ pages: 2, bytes: 20 });
    cache.keep('d', page('x'.repeat(26)));
    expect(cache.peek('d', new Date())).toBeUndefined();
  });

  it('gives nothing at or after the moment the page would change', () => {
    const cache = new RenderedPageCache(1000);
    cache.keep('a', { ...page('<p>期限前</p>'), validUntil: new Date('2027-01-22T15:00:00Z') });
    expect(cache.peek('a', new Date('2027-01-22T14:59:59.999Z'))).toBeDefined();
    expect(cache.peek('a', new Date('2027-01-22T15:00:00Z'))).toBeUndefined();
    expect(cache.size.pages).toBe(0);
  });

  it('keeps nothing with PAGE_CACHE_MB=0', async () => {
    const off = await buildTestApp({ seed: true, env: { PAGE_CACHE_MB: '0' } });
    try {
      const organiser = await loginOrganiser(off);
      const id = await openDemoSurvey(off, organiser);
      const [invitation] = await invite(off, organiser, id, [HAKODATE]);
      const browser = new Browser(off);
      await browser.openLink(invitation.url);
      await browser.get('/respond');
      expect((await browser.get('/respond')).statusCode).toBe(200);
      expect(off.app.renderedPages.served).toBe(0);
      expect(off.app.renderedPages.size.pages).toBe(0);
    } finally {
      await off.close();
    }
  });
});
