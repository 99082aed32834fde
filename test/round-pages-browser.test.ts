// This round's organiser pages in headless Chromium: the roster import preview on a narrow window (the rows in
// error named above the table; prefecture names, codes and city names on one line: white-space: nowrap), and
// axe-core (WCAG 2.1 AA) on the preview, the copied round's review with its <mark>s, and the removal pages.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
}
let ctx: TestContext;
let auth: { authorization: string };
let browser: Browser;
let base: string;

const CSV = [
  '団体コード,都道府県,市名,人口,人口基準日,照会先メールアドレス',
  '462012,鹿児島県,鹿児島市,593128,2020-10-01,joho-kagoshima-shi-johoseisaku-ka@city.kagoshima.example.lg.jp',
  '302015,和歌山県,和歌山市,約35万,2020-10-01,joho-wakayama-shi-johoseisaku-ka@city.wakayama.example.lg.jp',
  '072036,福島県,郡山市,327692,2020-10-01,joho-koriyama-shi-johoseisaku-ka@city.koriyama.example.lg.jp',
  '282048,兵庫県,誤りの市,100000,2020-10-01,',
].join('\r\n');

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

describe('roster import preview in a browser', () => {
  it('names the rows in error above the table and keeps each prefecture on one line in a narrow window', async () => {
    const page = await browser.newPage({ extraHTTPHeaders: auth, viewport: { width: 480, height: 900 } });
    await page.goto(`${base}/organiser/roster/import`);
    await page.setInputFiles('#roster-file', { name: '名簿.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await Promise.all([page.waitForURL(`${base}/organiser/roster/import`), page.getByRole('button', { name: '確認する' }).click()]);
    await page.waitForSelector('.problem-rows');
    expect(await page.locator('.problem-rows').textContent()).toBe('「3 行目、5 行目」に誤りがあります。');
    const summaryBox = await page.locator('.error-summary').first().boundingBox();
    const tableBox = await page.locator('table').first().boundingBox();
    expect(summaryBox!.y).toBeLessThan(tableBox!.y);
    // the error summary has the focus, so a screen reader reads it first and Tab goes on to its links
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    // each prefecture's text is laid out as one line box, however narrow the window
    const lines = await page.$$eval('tbody td.nowrap', (cells) =>
      cells.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return { text: td.textContent, lines: tops.size };
      }),
    );
    // 団体コード, 都道府県 and 市名 of each row
    expect(lines.map((l) => l.text)).toEqual(['462012', '鹿児島県', '鹿児島市', '302015', '和歌山県', '和歌山市', '072036', '福島県', '郡山市', '282048', '兵庫県', '誤りの市']);
    for (const l of lines) expect(l.lines, l.text ?? '').toBe(1);
    await page.screenshot({ path: '/tmp/roster-import-preview.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('the round pages meet WCAG 2.1 AA', () => {
  it('the copied round review (with its marks), the participants page and both confirmation pages', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: '平成30年度 調査', hostCityCode: '282049', deadline: '2018-10-31', introText: '平成30年度に第4次計画を策定します。回答期限は2018年10月31日です。' } });
    const previous = created.json().id as number;
    await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${previous}/participants`, headers: auth, payload: { cityCodes: ['012025'] } });
    const page = await browser.newPage({ extraHTTPHeaders: auth, viewport: { width: 1024, height: 900 } });
    await page.goto(`${base}/organiser/surveys`);
    await page.selectOption('select[name="source"]', String(previous));
    await page.fill('input[name="title"]', '令和8年度 調査');
    await page.fill('input[name="deadline"]', '2026-10-30');
    await Promise.all([page.waitForURL(/\/review\?notice=/), page.getByRole('button', { name: /作成/ }).click()]);
    expect(await page.locator('.review-body mark.previous-round').first().textContent()).toBe('平成30年度');
    expect(await axeViolations(page)).toEqual([]);
    const round = /\/organiser\/surveys\/(\d+)\/review/.exec(page.url())![1];
    for (const path of [`/organiser/surveys/${round}/participants`, `/organiser/surveys/${round}/participants/012025/remove`, `/organiser/surveys/${round}/delete`]) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(await axeViolations(page), path).toEqual([]);
    }
    await page.close();
  });
});
