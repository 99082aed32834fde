// Invitations through a real SMTP conversation (smtp-server in-process): each invited city's message arrives
// with the right recipient, a correctly encoded Japanese subject and a link that opens that city's form;
// a refusing server yields 送信失敗, visible with its error, and a retry; reminders and the outbox.
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/repositories/audit.js';
import { upsertRoster } from '../server/services/cities.js';
import { SYSTEM_ACTOR } from '../server/repositories/audit.js';
import { buildTestApp, type TestContext } from './helper.js';
import { Browser, createAccount, textOf } from './organiser-support.js';
import { type MailCapture, parseMail, startMailCapture } from './support/mail-capture.js';

let smtp: MailCapture;
let ctx: TestContext;
let browser: Browser;
let surveyId: number;

const CITIES = [
  { code: '272272', name: '東大阪市', email: 'joho@higashiosaka.example.lg.jp' },
  { code: '292010', name: '奈良市', email: 'joho@nara.example.lg.jp' },
  { code: '302015', name: '和歌山市', email: 'joho@wakayama.example.lg.jp' },
];

beforeAll(async () => {
  smtp = await startMailCapture();
  ctx = await buildTestApp({ seed: true, env: { SMTP_URL: smtp.url, MAIL_FROM: 'joho@city.nishinomiya.example.lg.jp' }, mailRetryDelaysMs: [20, 20] });
  const roster = CITIES.map((c) => ({ code: c.code, name: c.name, prefecture: '近畿', population: 350000, email: c.email }));
  await upsertRoster(ctx.database.db, roster, SYSTEM_ACTOR);
  await createAccount(ctx, 'staff@city.nishinomiya.example.lg.jp', 'staff-password-123', 'staff');
  browser = new Browser(ctx);
  await browser.login('staff@city.nishinomiya.example.lg.jp', 'staff-password-123');
  const created = await browser.post('/organiser/surveys', { source: 'template', title: '令和8年度 中核市情報化推進計画調査', deadline: '2026-12-25', hostCityCode: '282049' });
  expect(created.statusCode).toBe(303);
  surveyId = Number(/\/organiser\/surveys\/(\d+)/.exec(created.headers.location as string)![1]);
  const added = await browser.post(`/organiser/surveys/${surveyId}/participants`, { cityCodes: CITIES.map((c) => c.code) });
  expect(added.statusCode).toBe(303);
  const opened = await browser.post(`/organiser/surveys/${surveyId}/status`, { to: 'open' }, `/organiser/surveys/${surveyId}/status?to=open`);
  expect(opened.statusCode).toBe(303);
});

afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const statusOf = (html: string, code: string) => new RegExp(`data-city="${code}" data-status="([a-z_]+)">(?:<span[^>]*>)?([^<]*)`).exec(html)?.slice(1);

describe('invitations by e-mail', () => {
  it('each invited city receives its own message, with a Japanese subject and a link that opens its form', async () => {
    // first the confirmation: the recipients and one real mail as it will read; nothing is sent yet
    const ask = await browser.post(`/organiser/surveys/${surveyId}/invitations`, { scope: 'all' }, `/organiser/surveys/${surveyId}/invitations`);
    expect(ask.statusCode).toBe(200);
    expect(textOf(ask.body)).toContain('依頼メールの確認');
    for (const city of CITIES) expect(textOf(ask.body)).toContain(city.email);
    expect(textOf(ask.body)).toContain('西宮市（メールアドレス未登録のため、リンクのみ発行します）');
    expect(textOf(ask.body)).toMatch(/件名: 【西宮市】「令和8年度 中核市情報化推進計画調査」へのご回答のお願い（.+様）/);
    expect(smtp.mails).toHaveLength(0);
    const res = await browser.post(`/organiser/surveys/${surveyId}/invitations`, { scope: 'all', confirm: '1' }, `/organiser/surveys/${surveyId}/invitations`);
    expect(res.statusCode).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(textOf(page.body)).toContain('依頼メール: 送信 3 件');
    expect(textOf(page.body)).toContain('メールアドレス未登録のため未送信 1 件（西宮市）');

    // the page answered at once; the mail worker sends in the background
    await ctx.app.mailer.drain();
    expect(smtp.mails).toHaveLength(3);
    for (const city of CITIES) {
      const message = smtp.mails.find((m) => m.rcptTo.includes(city.email));
      expect(message, city.name).toBeDefined();
      const mail = message!;
      expect(mail.rawSubject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
      expect(mail.subject).toBe(`【西宮市】「令和8年度 中核市情報化推進計画調査」へのご回答のお願い（${city.name}様）`);
      expect(mail.to).toContain(city.email);
      // the deadline as the intro text writes dates: 和暦 with the weekday (25 December 2026 is a Friday)
      expect(mail.text).toContain('令和8年12月25日（金）');
      const url = /http:\/\/survey\.example\.lg\.jp\/r\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
      const respondent = new Browser(ctx);
      const opened = await respondent.openLink(url.replace('http://survey.example.lg.jp', ''));
      expect(opened.statusCode).toBe(303);
      const form = await respondent.get(opened.headers.location as string);
      expect(form.statusCode).toBe(200);
      expect(textOf(form.body)).toContain(city.name);
    }
    const after = await browser.get(`/organiser/surveys/${surveyId}/invitations`);
    expect(statusOf(after.body, '272272')).toEqual(['opened', '閲覧済']);
  });

  it('a refusing server shows 送信失敗 with the SMTP error, and a retry sends it once the server accepts', async () => {
    const nara = CITIES[1];
    smtp.refused.add(nara.email);
    const before = smtp.mails.length;
    // re-issuing a link that is in use asks first, naming the city
    const ask = await browser.post(`/organiser/surveys/${surveyId}/invitations`, { scope: 'selected', cityCodes: [nara.code] }, `/organiser/surveys/${surveyId}/invitations`);
    expect(ask.statusCode).toBe(200);
    expect(textOf(ask.body)).toContain('いまのリンクを使っています（リンクの再発行）');
    expect(textOf(ask.body)).toContain(nara.name);
    expect(smtp.mails.length).toBe(before);
    const res = await browser.post(`/organiser/surveys/${surveyId}/invitations`, { scope: 'selected', cityCodes: [nara.code], confirm: '1' }, `/organiser/surveys/${surveyId}/invitations`);
    expect(res.statusCode).toBe(303);
    await ctx.app.mailer.drain();
    expect(textOf((await browser.get(`/organiser/surveys/${surveyId}/invitations`)).body)).toContain('送信に失敗した団体が 1 団体あります');
    let page = await browser.get(`/organiser/surveys/${surveyId}/invitations`);
    const [status, label] = statusOf(page.body, nara.code)!;
    expect(status).toBe('failed');
    expect(label).toBe('送信失敗');
    expect(textOf(page.body)).toMatch(/送信失敗 （3 回試行）: .*550/);
    expect(smtp.mails.length).toBe(before);

    smtp.refused.delete(nara.email);
    const mailId = /\/mails\/(\d+)\/retry/.exec(page.body)![1];
    const retried = await browser.post(`/organiser/surveys/${surveyId}/mails/${mailId}/retry`, {}, `/organiser/surveys/${surveyId}/invitations`);
    expect(textOf((await browser.get(retried.headers.location as string)).body)).toContain('再送します');
    await ctx.app.mailer.drain();
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails.at(-1)!.rcptTo).toEqual([nara.email]);
    page = await browser.get(`/organiser/surveys/${surveyId}/invitations`);
    expect(statusOf(page.body, nara.code)?.[0]).toBe('sent');
  });

  it('a reminder, previewed first, goes to every city that has not submitted, and the log shows when', async () => {
    const preview = await browser.get(`/organiser/surveys/${surveyId}/reminders`);
    expect(preview.statusCode).toBe(200);
    const text = textOf(preview.body);
    expect(text).toContain('3 団体に督促メールを送る');
    expect(text).not.toMatch(/<li>西宮市/);
    const before = smtp.mails.length;
    const sent = await browser.post(`/organiser/surveys/${surveyId}/reminders`, {}, `/organiser/surveys/${surveyId}/reminders`);
    expect(textOf((await browser.get(sent.headers.location as string)).body)).toContain('督促メール: 送信 3 件');
    await ctx.app.mailer.drain();
    const reminders = smtp.mails.slice(before);
    // the reminder says what happens: the same link as the invitation, nothing revoked
    expect(reminders.every((m) => m.text.includes('先にお送りした依頼メールのリンクと同じもの'))).toBe(true);
    expect(reminders.some((m) => m.text.includes('使えなくなりました'))).toBe(false);
    expect(reminders).toHaveLength(3);
    expect(reminders.every((m) => m.subject.startsWith('【再送・ご回答のお願い】'))).toBe(true);
    const page = await browser.get(`/organiser/surveys/${surveyId}/invitations`);
    const row = new RegExp(`${CITIES[2].name}[\\s\\S]*?</tr>`).exec(page.body)![0];
    expect(row).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}<br>/);
  });

  it('organiser-edited mail texts are used, and a text without the link is refused', async () => {
    const bad = await browser.post(`/organiser/surveys/${surveyId}/mail-texts/invitation`, { subject: '依頼', body: 'リンクなし' }, `/organiser/surveys/${surveyId}/mail-texts`);
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('本文に貴市専用のリンク');
    const ok = await browser.post(
      `/organiser/surveys/${surveyId}/mail-texts/invitation`,
      { subject: '{{cityName}}様へ 調査のお願い', body: '{{cityName}} ご担当者様\n回答はこちら: {{url}}\n' },
      `/organiser/surveys/${surveyId}/mail-texts`,
    );
    expect(ok.statusCode).toBe(303);
    const before = smtp.mails.length;
    await browser.post(`/organiser/surveys/${surveyId}/invitations`, { scope: 'selected', cityCodes: ['302015'], confirm: '1' }, `/organiser/surveys/${surveyId}/invitations`);
    await ctx.app.mailer.drain();
    const mail = smtp.mails[before];
    expect(mail.subject).toBe('和歌山市様へ 調査のお願い');
    expect(mail.text).toMatch(/回答はこちら: http:\/\/survey\.example\.lg\.jp\/r\//);
    const audit = await listAudit(ctx.database.db, { entity: 'survey', surveyId });
    expect(audit.map((a) => a.action)).toContain('mail-text:invitation');
  });

  it('the API (send: true) mails the same edited text as the console, and still answers [{ cityCode, url, token }]', async () => {
    const session = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'staff@city.nishinomiya.example.lg.jp', password: 'staff-password-123' } });
    const authorization = `Bearer ${session.json().token}`;
    const before = smtp.mails.length;
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/invitations`, headers: { authorization }, payload: { cityCodes: ['272272'], send: true } });
    expect(res.statusCode).toBe(201);
    const [item] = res.json();
    expect(item).toMatchObject({ cityCode: '272272', mail: { status: 'queued', to: CITIES[0].email } });
    await ctx.app.mailer.drain();
    expect(item.url).toBe(`http://survey.example.lg.jp/r/${item.token}`);
    expect(smtp.mails).toHaveLength(before + 1);
    const mail = smtp.mails[before];
    expect(mail.subject).toBe('東大阪市様へ 調査のお願い');
    expect(mail.text).toContain(`回答はこちら: ${item.url}`);
  });
});

describe('mail texts: unknown placeholders and syntax errors', () => {
  const page = () => `/organiser/surveys/${surveyId}/mail-texts`;
  const storedBody = async () => (await ctx.database.db.selectFrom('surveys').select(['invitation_body', 'reminder_body']).where('id', '=', surveyId).executeTakeFirstOrThrow());

  it('the page refuses a placeholder it does not know, names the known ones, and keeps what was typed beside the error', async () => {
    const before = await storedBody();
    const typed = '{{cityName}} ご担当者様\n回答はこちら: {{url}}\n期限: {{deadLine}}\n';
    const res = await browser.post(`${page()}/reminder`, { subject: '督促 {{cityName}}様', body: typed }, page());
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('本文の 3 行目（期限: {{deadLine}}）: 「{{deadLine}}」という差し込みはありません。');
    expect(text).toContain('使える差し込みは {{cityName}}、{{hostCityName}}、{{surveyTitle}}、{{deadline}}、{{url}}');
    // the summary links to the field, the message sits beside it, and the typed body is still there
    expect(res.body).toMatch(/<a href="#reminder-body">本文の 3 行目/);
    expect(res.body).toMatch(/<textarea id="reminder-body" name="body" rows="20" aria-invalid="true" aria-describedby="reminder-body-error-0">\{\{cityName\}\} ご担当者様\n回答はこちら: \{\{url\}\}\n期限: \{\{deadLine\}\}/);
    expect(res.body).toMatch(/<p class="field-error" id="reminder-body-error-0">.*「\{\{deadLine\}\}」という差し込みはありません/);
    expect(res.body).toContain('value="督促 {{cityName}}様"');
    expect(await storedBody()).toEqual(before);
  });

  it('the page explains a Handlebars syntax error in Japanese, with the line, instead of the parser message', async () => {
    const res = await browser.post(`${page()}/reminder`, { subject: '督促', body: '{{cityName}} ご担当者様\n{{url}}\n\n期限は {{deadline} です。\n' }, page());
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('本文の 4 行目（期限は {{deadline} です。）: 「{{」で始めた差し込みが「}}」で閉じられていません');
    expect(text).not.toMatch(/Parse error|Expecting|got '/);
    const block = await browser.post(`${page()}/reminder`, { subject: '督促', body: '{{url}}\n{{#if contactPhone}}電話: {{contactPhone}}\n' }, page());
    expect(textOf(block.body)).toContain('「{{#if …}}」などで始めた部分が「{{/if}}」で閉じられていません。');
    const mismatch = await browser.post(`${page()}/reminder`, { subject: '{{#if cityName}}{{cityName}}様{{/unless}}', body: '{{url}}' }, page());
    expect(textOf(mismatch.body)).toContain('件名: 「{{#if …}}」を「{{/unless}}」で閉じています。「{{/if}}」で閉じてください。');
  });

  it('the API refuses the same texts with 400 and Japanese errors on /subject and /body, and saves a good one', async () => {
    const session = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'staff@city.nishinomiya.example.lg.jp', password: 'staff-password-123' } });
    const headers = { authorization: `Bearer ${session.json().token}` };
    const url = `/api/v1/surveys/${surveyId}/mail-texts/reminder`;
    const unknown = await ctx.app.inject({ method: 'PUT', url, headers, payload: { subject: '{{cityname}}様', body: '{{url}}\n{{#each cities}}x{{/each}}' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { path: '/subject', message: expect.stringContaining('件名: 「{{cityname}}」という差し込みはありません。使える差し込みは {{cityName}}、') },
      { path: '/body', message: '本文の 2 行目（{{#each cities}}x{{/each}}）: 「{{#each}}」は使えません。使えるのは {{#if …}}、{{#unless …}} です。' },
    ]);
    const broken = await ctx.app.inject({ method: 'PUT', url, headers, payload: { subject: '督促', body: '{{url}}\n{{{contactEmail}}' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0]).toEqual({ path: '/body', message: '本文の 2 行目（{{{contactEmail}}）: 「{{{」で始めた差し込みが「}}}」で閉じられていません。差し込みは「{{名前}}」と書きます。' });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/mail-texts`, headers })).json().reminder.custom).toBe(false);

    const good = { subject: '【再送】{{surveyTitle}}', body: '{{cityName}} ご担当者様\n{{#if contactPhone}}電話: {{contactPhone}}{{/if}}\n期限: {{deadline}}\n{{url}}\n' };
    const saved = await ctx.app.inject({ method: 'PUT', url, headers, payload: good });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ ...good, custom: true });
    const all = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/mail-texts`, headers })).json();
    expect(all.reminder).toEqual({ ...good, custom: true });
    expect(all.fields.map((f: { name: string }) => f.name)).toContain('deadline');
    expect((await ctx.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/mail-texts`, headers })).json().reminder.custom).toBe(false);
  });
});

describe('the deadline with 西暦 beside, where the survey says so', () => {
  it('after the setting is ticked, the reminder mail, the survey page and the respondent form write 令和8年（2026年）12月25日（金）', async () => {
    const survey = await browser.get(`/organiser/surveys/${surveyId}`);
    expect(textOf(survey.body)).toContain('回答期限: 令和8年12月25日（金）');
    const saved = await browser.post(
      `/organiser/surveys/${surveyId}`,
      { title: '令和8年度 中核市情報化推進計画調査', deadline: '2026-12-25', deadlineGregorian: '1', hostCityCode: '282049', bandThresholds: '300000, 500000', introText: '説明', contactDepartment: '', contactPhone: '', contactEmail: '' },
      `/organiser/surveys/${surveyId}`,
    );
    expect(saved.statusCode).toBe(303);
    expect(textOf((await browser.get(`/organiser/surveys/${surveyId}`)).body)).toContain('回答期限: 令和8年（2026年）12月25日（金）');
    const before = smtp.mails.length;
    await browser.post(`/organiser/surveys/${surveyId}/reminders`, {}, `/organiser/surveys/${surveyId}/reminders`);
    await ctx.app.mailer.drain();
    const reminder = smtp.mails.slice(before).find((m) => m.rcptTo.includes(CITIES[0].email))!;
    expect(reminder.text).toContain('令和8年（2026年）12月25日（金）までにご回答いただけますと幸いです。');
    const url = /http:\/\/survey\.example\.lg\.jp(\/r\/[A-Za-z0-9_-]+)/.exec(reminder.text)![1];
    const respondent = new Browser(ctx);
    const linkPage = await respondent.get(url);
    expect(textOf(linkPage.body)).toContain('回答期限 令和8年（2026年）12月25日（金）');
    const form = await respondent.get((await respondent.openLink(url)).headers.location as string);
    expect(textOf(form.body)).toContain('回答期限 令和8年（2026年）12月25日（金）');
  });
});

describe('outbox without SMTP', () => {
  it('messages wait in the outbox and download as .eml files and as one zip', async () => {
    const local = await buildTestApp({ seed: true });
    try {
      await upsertRoster(local.database.db, [{ code: '272272', name: '東大阪市', prefecture: '大阪府', population: 493940, email: 'joho@higashiosaka.example.lg.jp' }], SYSTEM_ACTOR);
      await createAccount(local, 'admin@example.lg.jp', 'admin-password-123');
      const b = new Browser(local);
      await b.login('admin@example.lg.jp', 'admin-password-123');
      const survey = (await b.get('/organiser/surveys')).body;
      const id = /href="\/organiser\/surveys\/(\d+)"/.exec(survey)![1];
      await b.post(`/organiser/surveys/${id}/invitations`, { scope: 'selected', cityCodes: ['272272'], confirm: '1' }, `/organiser/surveys/${id}/invitations`);
      const page = await b.get(`/organiser/surveys/${id}/invitations`);
      expect(statusOf(page.body, '272272')?.[1]).toBe('送信トレイ（未送信）');
      const emlHref = /href="(\/organiser\/surveys\/\d+\/mails\/\d+\.eml)"/.exec(page.body)![1];
      const eml = await b.get(emlHref);
      expect(eml.statusCode).toBe(200);
      expect(eml.headers['content-type']).toContain('message/rfc822');
      // opened by Outlook / Thunderbird as a draft to send
      expect(eml.body).toMatch(/^X-Unsent: 1\r?$/m);
      const parsed = parseMail(eml.body);
      expect(parsed.to).toContain('joho@higashiosaka.example.lg.jp');
      expect(parsed.subject).toContain('東大阪市様');
      expect(parsed.text).toMatch(/http:\/\/survey\.example\.lg\.jp\/r\/[A-Za-z0-9_-]{20,}/);
      const zipRes = await b.get(`/organiser/surveys/${id}/outbox.zip`);
      expect(zipRes.headers['content-type']).toBe('application/zip');
      const zip = await JSZip.loadAsync(zipRes.rawPayload);
      const names = Object.keys(zip.files);
      expect(names).toHaveLength(1);
      expect(parseMail(await zip.file(names[0])!.async('string')).subject).toContain('東大阪市様');

      // sent from the office's own client: 「送信済みにする」; the city shows 送信済 and the next zip leaves it out
      const marked = await b.post(`/organiser/surveys/${id}/outbox/mark-sent`, { all: '1' }, `/organiser/surveys/${id}/invitations`);
      expect(textOf((await b.get(marked.headers.location as string)).body)).toContain('1 通を送信済みにしました');
      const after = await b.get(`/organiser/surveys/${id}/invitations`);
      expect(statusOf(after.body, '272272')?.[1]).toBe('送信済');
      expect(textOf(after.body)).toContain('admin@example.lg.jp が送信済みにしました');
      const again = await JSZip.loadAsync((await b.get(`/organiser/surveys/${id}/outbox.zip`)).rawPayload);
      expect(Object.keys(again.files)).toHaveLength(0);
    } finally {
      await local.close();
    }
  });
});

describe('差し込み印刷 (mail merge) export', () => {
  it('one Shift_JIS CSV with 宛先, 件名, 本文 per city, each body carrying the link that opens that city\'s form', async () => {
    const local = await buildTestApp({ seed: true });
    try {
      await upsertRoster(local.database.db, [
        { code: '272272', name: '東大阪市', prefecture: '大阪府', population: 493940, email: 'joho@higashiosaka.example.lg.jp' },
        { code: '292010', name: '奈良市', prefecture: '奈良県', population: 354630, email: 'joho@nara.example.lg.jp' },
      ], SYSTEM_ACTOR);
      await createAccount(local, 'admin@example.lg.jp', 'admin-password-123');
      const b = new Browser(local);
      await b.login('admin@example.lg.jp', 'admin-password-123');
      const id = /href="\/organiser\/surveys\/(\d+)"/.exec((await b.get('/organiser/surveys')).body)![1];
      const res = await b.post(`/organiser/surveys/${id}/mail-merge`, { kind: 'invitation', encoding: 'sjis' }, `/organiser/surveys/${id}/invitations`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('Shift_JIS');
      const text = iconv.decode(res.rawPayload, 'CP932');
      const [header, ...lines] = text.trim().split(/\r\n(?=")/);
      expect(header).toBe('"宛先","件名","本文","団体コード","市名"');
      const nara = lines.find((l) => l.startsWith('"joho@nara.example.lg.jp"'))!;
      expect(nara).toContain('奈良市様');
      const link = /http:\/\/survey\.example\.lg\.jp(\/r\/[A-Za-z0-9_-]{20,})/.exec(nara)![1];
      const respondent = new Browser(local);
      expect(textOf((await respondent.get(link)).body)).toContain('奈良市');
      expect((await respondent.openLink(link)).headers.location).toBe('/respond');
      // the UTF-8 file starts with a BOM, for Excel
      const utf8 = await b.post(`/organiser/surveys/${id}/mail-merge`, { kind: 'invitation', encoding: 'utf8' }, `/organiser/surveys/${id}/invitations`);
      expect([...utf8.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // exporting again re-uses the same links (nothing is revoked)
      expect(utf8.rawPayload.toString('utf8')).toContain(link);
    } finally {
      await local.close();
    }
  });
});
