// The proposals read from an attached plan, as a respondent sees them in Chromium: the narrow checkbox column's
// header 「選ぶ」 stays on one line (the user trial saw it broken into 選 / ぶ beside the long evidence column).
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

let ctx: TestContext;
let browser: Browser;
let page: Page;
let base: string;
let token: string;

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  const auth = await loginOrganiser(ctx);
  const surveyId = await openDemoSurvey(ctx, auth);
  [{ token }] = await invite(ctx, auth, surveyId, [HAKODATE]);
  const plan = readFileSync(path.join(import.meta.dirname, 'fixtures/plans/settsu.txt'));
  const uploaded = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/response/plan-documents?fileName=${encodeURIComponent('情報化計画.txt')}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain; charset=utf-8' },
    payload: plan,
  });
  expect(uploaded.statusCode).toBe(201);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await page.goto(`${base}/r/${token}`);
  await page.getByRole('button', { name: '回答画面を開く' }).click();
  await page.waitForURL(`${base}/respond`);
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

/** How many lines the text of each header cell of the first proposals table takes on screen. */
const headerLines = () =>
  page.$$eval('table.plan-proposals thead th', (cells) =>
    cells.map((th) => {
      const range = document.createRange();
      range.selectNodeContents(th);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return { text: th.textContent ?? '', lines: tops.size };
    }),
  );

describe('the proposals from an attached plan', () => {
  it.each([
    ['a desk screen', 1280],
    ['a narrow window', 800],
    ['a phone', 390],
  ])('on %s (%d px wide), the header 「選ぶ」 and the other headers stay on one line', async (_what, width) => {
    await page.setViewportSize({ width, height: 900 });
    const headers = await headerLines();
    expect(headers.map((h) => h.text)).toEqual(['選ぶ', '項目', '提案', '根拠（ページと文）']);
    expect(headers.find((h) => h.text === '選ぶ')!.lines).toBe(1);
    if (width >= 800) expect(headers.every((h) => h.lines === 1)).toBe(true);
  });
});
