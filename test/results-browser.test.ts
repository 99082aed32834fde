// The results page in headless Chromium: no console or page errors (CSP violations included), the SVG charts
// have a real size, and a screenshot is left in /tmp to check legibility.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublishedResponses, type PublishedFixture } from './fixtures/build-published-responses.js';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

let ctx: TestContext;
let auth: { authorization: string };
let fixture: PublishedFixture;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  auth = await loginOrganiser(ctx);
  fixture = await buildPublishedResponses(ctx.database.db);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

describe('results page in a browser', () => {
  it('renders the table and the charts without console errors; every chart has a non-zero size', async () => {
    const page = await browser.newPage({ extraHTTPHeaders: auth, viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    // The browser's own /favicon.ico request is not the page's doing; anything else failing is.
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && problems.push(`${m.text()} ${m.location().url}`));
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(`${base}/organiser/surveys/${fixture.surveyId}/results`);
    expect(res?.status()).toBe(200);
    const sizes = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => { const r = s.getBoundingClientRect(); return { id: s.id, w: r.width, h: r.height }; }));
    expect(sizes.map((s) => s.id)).toEqual(expect.arrayContaining(['chart-rate', 'chart-bands', 'chart-update-cycles', 'chart-next-plans', 'chart-plan-periods']));
    for (const s of sizes) {
      expect(s.w).toBeGreaterThan(100);
      expect(s.h).toBeGreaterThan(40);
    }
    const firstRate = await page.locator('table.results-table tbody tr').first().locator('td.rate').textContent();
    expect(firstRate).toBe('31.25%');
    await page.screenshot({ path: '/tmp/results-page.png', fullPage: true });
    await page.screenshot({ path: '/tmp/results-page-top.png' });
    await page.locator('#plan-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/results-page-plan.png' });
    await page.locator('#chart-rate').screenshot({ path: '/tmp/results-chart-rate.png' });
    await page.locator('#chart-bands').screenshot({ path: '/tmp/results-chart-bands.png' });
    await page.locator('#chart-plan-periods').screenshot({ path: '/tmp/results-chart-periods.png' });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('at a phone\'s width (390 px) the page itself does not scroll sideways: wide tables and charts scroll in their own box', async () => {
    const page = await browser.newPage({ extraHTTPHeaders: auth, viewport: { width: 390, height: 844 } });
    for (const url of [`/organiser/surveys/${fixture.surveyId}/results`, `/organiser/surveys/${fixture.surveyId}/invitations`]) {
      expect((await page.goto(`${base}${url}`))?.status()).toBe(200);
      const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
      expect(width.page, url).toBe(width.screen);
    }
    await page.close();
  });
});
