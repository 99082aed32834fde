// Drives the real respondent form in headless Chromium (Debian's chromium + playwright-core): keyboard only,
// draft → come back → error state → submit → edit → resubmit, with axe-core (WCAG 2.1 AA) on every state.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';
import { ASAHIKAWA, HAKODATE, invite, openDemoSurvey } from './respondent-fixtures.js';

const FIXTURE_PLAN = path.join(import.meta.dirname, 'fixtures/plans/settsu.txt');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let ctx: TestContext;
let browser: Browser;
let page: Page;
let base: string;
let token: string;
let measures: Array<{ code: string; label: string }>;
let asahikawaToken: string;

async function axeViolations(): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
  return violations;
}

/** Focuses a field and types into it, as a keyboard user would. */
async function type(selector: string, text: string) {
  await page.focus(selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

async function choose(radioId: string) {
  await page.focus(`#${radioId}`);
  await page.keyboard.press('Space');
}

async function press(buttonText: string) {
  await page.getByRole('button', { name: buttonText }).focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  const auth = await loginOrganiser(ctx);
  const surveyId = await openDemoSurvey(ctx, auth);
  [{ token }] = await invite(ctx, auth, surveyId, [HAKODATE]);
  [{ token: asahikawaToken }] = await invite(ctx, auth, surveyId, [ASAHIKAWA]);
  measures = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: auth })).json().measures;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  // axe is injected through DevTools; the page's own CSP stays as served.
  page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('an invited city answers in the browser, by keyboard', () => {
  it('the empty form has no WCAG 2.1 AA violations', async () => {
    await page.goto(`${base}/r/${token}`);
    await page.getByRole('button', { name: '回答画面を開く' }).click();
    await page.waitForURL(`${base}/respond`);
    expect(new URL(page.url()).pathname).toBe('/respond');
    expect(await page.textContent('h1')).toContain('中核市情報化推進計画調査');
    expect(await axeViolations()).toEqual([]);
  });

  it('saves a draft and finds it again after coming back', async () => {
    await type('#f-department', '総務部 情報政策課');
    await type('#f-personKana', 'ハコダテ ハナコ');
    await type('#f-phone', '0138-21-3111');
    await press('一時保存');
    expect(await page.textContent('[role="status"]')).toContain('一時保存しました');
    await page.goto(`${base}/respond`);
    expect(await page.inputValue('#f-personKana')).toBe('ハコダテ ハナコ');
  });

  it('回答を送信 with gaps: the focused error summary links to each field, which is marked; no violations', async () => {
    await type('#f-email', 'joho@city.hakodate.example.lg.jp');
    await choose('f-hasPlan-yes');
    await type('#f-planName', '函館市情報化推進計画');
    await type('#f-latestNumber', '第四次');
    await type('#f-updateCycleYears', '5');
    await type('#f-periodStart', '平成26年度');
    await type('#f-periodEnd', 'H25');
    await choose('f-nextPlan-update');
    await choose('f-disclosure-public');
    for (const m of measures.slice(0, -1)) await choose(`m-${m.code}-studying`);
    await press('回答を送信');
    const last = measures.at(-1)!;
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    const links = await page.$$eval('#error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['#f-periodEnd', `#m-${last.code}-implemented`]);
    expect(await page.getAttribute('#f-periodEnd', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#f-planName')).toBe('函館市情報化推進計画');
    await page.focus('#error-summary a[href="#f-periodEnd"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-periodEnd');
    expect(await axeViolations()).toEqual([]);
  });

  it('fixing the errors submits; the confirmation page has no violations', async () => {
    await type('#f-periodEnd', 'H30');
    await choose(`m-${measures.at(-1)!.code}-implemented`);
    await press('回答を送信');
    expect(new URL(page.url()).pathname).toBe('/respond/confirmation');
    expect(await page.textContent('h1')).toBe('回答を送信しました');
    expect(await axeViolations()).toEqual([]);
  });

  it('edits and resubmits; the API returns exactly what was entered', async () => {
    await page.getByRole('link', { name: '回答を修正する' }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await choose('m-M01-implemented');
    await press('回答を送信');
    expect(await page.textContent('h1')).toBe('回答を送信しました');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${token}` } })).json();
    expect(api.status).toBe('submitted');
    expect(api.answers).toEqual({
      contact: { department: '総務部 情報政策課', personKana: 'ハコダテ ハナコ', phone: '0138-21-3111', email: 'joho@city.hakodate.example.lg.jp' },
      plan: { hasPlan: true, name: '函館市情報化推進計画', latestNumber: '第4次', updateCycleYears: 5, updateCycleIrregular: false, periodStart: 2014, periodEnd: 2018, nextPlan: 'update', notes: '' },
      disclosure: 'public',
      measures: Object.fromEntries(measures.map((m, i) => [m.code, i === 0 || i === measures.length - 1 ? 'implemented' : 'studying'])),
    });
  });
});

describe('attaching a plan document on the form keeps what was typed', () => {
  it('typed answers are saved as a draft with the attachment, and Enter in a field still saves a draft', async () => {
    const other = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
    await other.goto(`${base}/r/${asahikawaToken}`);
    await other.getByRole('button', { name: '回答画面を開く' }).click();
    await other.waitForURL(`${base}/respond`);
    // typed, never saved
    await other.fill('#f-department', '総務部 デジタル推進課');
    await other.fill('#f-personKana', 'あさひかわ はなこ');
    await other.fill('#f-planName', '旭川市情報化推進計画');
    await other.focus('#m-M02-implemented');
    await other.keyboard.press('Space');
    await other.setInputFiles('#plan-upload-file', FIXTURE_PLAN);
    await other.getByRole('button', { name: '添付して読み取る' }).focus();
    await Promise.all([other.waitForNavigation({ timeout: 60_000 }), other.keyboard.press('Enter')]);
    expect(new URL(other.url()).search).toBe('?saved=1&plan=attached');
    expect(await other.inputValue('#f-department')).toBe('総務部 デジタル推進課');
    expect(await other.inputValue('#f-personKana')).toBe('アサヒカワ ハナコ');
    expect(await other.inputValue('#f-planName')).toBe('旭川市情報化推進計画');
    expect(await other.isChecked('#m-M02-implemented')).toBe(true);
    expect(await other.textContent('#plan-documents')).toContain('「settsu.txt」');
    const api = (await ctx.app.inject({ method: 'GET', url: '/api/v1/response', headers: { authorization: `Bearer ${asahikawaToken}` } })).json();
    expect(api.status).toBe('draft');
    expect(api.answers.contact.department).toBe('総務部 デジタル推進課');
    expect(api.answers.measures.M02).toBe('implemented');

    // Enter in a text field is 一時保存 (the form's first button), not the attach button
    await other.fill('#f-phone', '0166-26-1111');
    await other.focus('#f-phone');
    await Promise.all([other.waitForNavigation(), other.keyboard.press('Enter')]);
    expect(new URL(other.url()).search).toBe('?saved=1');
    expect(await other.textContent('[role="status"]')).toContain('一時保存しました');
    const docs = await ctx.database.db.selectFrom('plan_documents').select('file_name').where('city_code', '=', ASAHIKAWA).execute();
    expect(docs.map((d) => d.file_name)).toEqual(['settsu.txt']);
    page = other;
    expect(await axeViolations()).toEqual([]);
  }, 90_000);
});
