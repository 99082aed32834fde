// Hostile text in every free-text field — typed by a respondent into the form (contact, plan name, notes)
// and by an organiser into the console (survey title, intro text, roster city name, measure label and
// category, mail texts, account name) — comes back harmless: escaped in every page, literal (never
// evaluated, never a new header) in every mail, and never a formula in any workbook.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBidi } from '../server/lib/bidi.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from './helper.js';
import { Browser } from './organiser-support.js';
import { completeAnswer } from './respondent-fixtures.js';
import { type CapturedMail, parseMail, startMailCapture } from './support/mail-capture.js';

const SCRIPT = '<script>alert(1)</script>';
const SCRIPT_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const IMG = '"><img src=x onerror=alert(1)>';
const TEMPLATE = '{{constructor}}';
const TRIPLE = '{{{x}}}';
const RLO = '\u202E';
const TRIGGER = /^[=+\-@\t\r\n]/;

const SURVEY = 1;
const CITY = '282022'; // 尼崎市: answers through the form, renamed by the organiser
const DRAFT_CITY = '282031'; // 明石市: keeps a hostile draft
/** What each field receives: every one starts with a formula trigger and carries markup, template syntax and an RTL override. */
const HOSTILE = {
  cityName: `-1${SCRIPT}${TEMPLATE}${RLO}市`,
  surveyTitle: `@SUM(A1:A9)${SCRIPT}${TRIPLE}${RLO}調査\r\nBcc: evil@evil.example`,
  introText: `=HYPERLINK("http://evil.example/","x")\n${SCRIPT}\n${TEMPLATE} ${IMG}`,
  measureLabel: `+1${SCRIPT}${TEMPLATE}${RLO}対策`,
  measureCategory: `-1${IMG}分類`,
  // the organiser's own template syntax, escaped as Handlebars writes a literal (an unescaped {{constructor}} is refused)
  mailSubject: `=1+1 ${SCRIPT} {{surveyTitle}} \\${TEMPLATE}`,
  mailBody: `{{cityName}}様\n${SCRIPT}\n{{{introText}}}\n\\${TEMPLATE}\n{{url}}\n`,
  accountName: `=1+1${SCRIPT}${TEMPLATE}`,
  department: `=HYPERLINK("http://evil.example/","x")${SCRIPT}${TEMPLATE}`,
  planName: `+1 ${SCRIPT} ${TRIPLE} ${RLO}evil`,
  notes: `\t=1+1 ${IMG} ${TEMPLATE}`,
  email: `=1+1{{constructor}}@example.lg.jp`,
  draftKana: `@SUM(A1)${SCRIPT}`,
  draftPhone: `-1${IMG}`,
};

let ctx: TestContext;
let api: { authorization: string };
let organiser: Browser;
let respondent: Browser;
let respondentToken: string;
let smtp: Awaited<ReturnType<typeof startMailCapture>>;
let measureCodes: string[];

const mailsOfKind = (subjectPart: string) => smtp.mails.filter((m) => m.subject.includes(subjectPart));

beforeAll(async () => {
  smtp = await startMailCapture();
  ctx = await buildTestApp({ seed: true, env: { SMTP_URL: smtp.url }, mailRetryDelaysMs: [20] });
  api = await loginOrganiser(ctx);
  organiser = new Browser(ctx);
  expect((await organiser.login(ORGANISER.email, ORGANISER.password)).statusCode).toBe(303);
  measureCodes = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${SURVEY}`, headers: api })).json().measures.map((m: { code: string }) => m.code);

  // The organiser types hostile text into the console, as a browser posts it.
  const posts: Array<[string, Record<string, string>, string?]> = [
    [`/organiser/roster/${CITY}`, { name: HOSTILE.cityName, prefecture: '兵庫県', population: '452563', populationDate: '2020-10-01', email: 'joho@amagasaki.example.lg.jp' }],
    [`/organiser/roster/${DRAFT_CITY}`, { name: '明石市', prefecture: '兵庫県', population: '303601', populationDate: '2020-10-01', email: 'joho@akashi.example.lg.jp' }],
    [`/organiser/surveys/${SURVEY}`, { title: HOSTILE.surveyTitle, deadline: '2027-01-29', hostCityCode: '282049', bandThresholds: '300000, 500000', introText: HOSTILE.introText }],
    [`/organiser/surveys/${SURVEY}/measures/${'M01'}`, { action: 'rename', label: HOSTILE.measureLabel, category: HOSTILE.measureCategory }, `/organiser/surveys/${SURVEY}/measures`],
    [`/organiser/surveys/${SURVEY}/mail-texts/invitation`, { subject: HOSTILE.mailSubject, body: HOSTILE.mailBody }, `/organiser/surveys/${SURVEY}/mail-texts`],
    ['/organiser/accounts', { email: 'staff@city.example.lg.jp', name: HOSTILE.accountName, role: 'staff', password: 'long enough password' }],
    [`/organiser/surveys/${SURVEY}/status`, { to: 'open' }, `/organiser/surveys/${SURVEY}`],
    [`/organiser/surveys/${SURVEY}/invitations`, { scope: 'selected', cityCodes: CITY, confirm: '1' }],
  ];
  // the invitation's confirmation page shows the hostile texts as text before anything is sent
  const confirm = await organiser.post(`/organiser/surveys/${SURVEY}/invitations`, { scope: 'selected', cityCodes: CITY }, `/organiser/surveys/${SURVEY}/invitations`);
  expect(confirm.statusCode).toBe(200);
  expect(confirm.body).not.toContain('<script>');
  // a mail text naming a value that does not exist ({{constructor}}) is refused before anything is saved
  const refused = await organiser.post(`/organiser/surveys/${SURVEY}/mail-texts/invitation`, { subject: HOSTILE.mailSubject, body: `{{url}}\n${TEMPLATE}\n` }, `/organiser/surveys/${SURVEY}/mail-texts`);
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('「{{constructor}}」という差し込みはありません。');
  for (const [url, fields, from] of posts) {
    const res = await organiser.post(url, fields, from);
    expect(res.statusCode, `POST ${url}: ${res.body.slice(0, 500)}`).toBe(303);
  }

  // The respondent opens the link from the invitation mail and answers with hostile text through the form.
  await smtp.waitFor(1);
  const link = /http:\/\/survey\.example\.lg\.jp\/r\/(\S+)/.exec(smtp.mails[0].text);
  expect(link, smtp.mails[0].text).not.toBeNull();
  respondentToken = link![1];
  respondent = new Browser(ctx);
  expect((await respondent.openLink(`/r/${respondentToken}`)).statusCode).toBe(303);
  const a = completeAnswer(measureCodes);
  const form = await respondent.get('/respond');
  const version = /name="version" value="(\d+)"/.exec(form.body)![1];
  const submitted = await respondent.post('/respond', {
    version,
    department: HOSTILE.department,
    personKana: a.contact.personKana,
    phone: a.contact.phone,
    email: HOSTILE.email,
    hasPlan: 'yes',
    planName: HOSTILE.planName,
    latestNumber: '第4次',
    updateCycleYears: '5',
    periodStart: '2014',
    periodEnd: '2018',
    nextPlan: 'update',
    notes: HOSTILE.notes,
    disclosure: 'public',
    action: 'submit',
    ...Object.fromEntries(Object.entries(a.measures).map(([c, v]) => [`m_${c}`, v])),
  });
  expect(submitted.statusCode, submitted.body.slice(0, 2000)).toBe(303);
  expect(submitted.headers.location).toBe('/respond/confirmation');

  // Another city keeps a hostile draft (contact fields are only checked on submission).
  const draftToken = (await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${SURVEY}/invitations`, headers: api, payload: { cityCodes: [DRAFT_CITY] } })).json()[0].token;
  const draft = await ctx.app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${draftToken}` }, payload: { version: 0, contact: { personKana: HOSTILE.draftKana, phone: HOSTILE.draftPhone, department: HOSTILE.department } } });
  expect(draft.statusCode, draft.body).toBe(200);
  await smtp.waitFor(2); // the receipt
}, 120_000);

afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

/** The raw HTML shows hostile text only escaped: no live markup, nothing evaluated, every RTL override closed before the markup around it. */
function expectEscapedPage(url: string, html: string, shows: { script?: boolean; template?: boolean } = {}) {
  expect(html, url).not.toContain(SCRIPT);
  expect(html, url).not.toMatch(/<img src=x/i);
  expect(html, url).not.toMatch(/onerror=alert/i);
  expect(html, url).not.toContain('[native code]');
  if (shows.script) expect(html, `${url} shows the script tag as text`).toContain(SCRIPT_ESCAPED);
  if (shows.template) expect(html, `${url} shows the template syntax as typed`).toContain(TEMPLATE);
  // An RTL override in someone's text must not reorder the page after it: each one is isolated (<bdi>, dir="auto") or closed (U+202C) within its element.
  for (const m of html.matchAll(/\u202E/g)) {
    const rest = html.slice(m.index);
    const closedAt = rest.search(/\u202C|\u2069/);
    const tagAt = rest.indexOf('<');
    const isolated = /<bdi[^>]*>[^<]*$|dir="auto"[^>]*>[^<]*$/.test(html.slice(0, m.index));
    expect(isolated || (closedAt >= 0 && (tagAt < 0 || closedAt < tagAt)), `${url}: an RTL override left open: …${JSON.stringify(html.slice(Math.max(0, m.index - 60), m.index + 40))}`).toBe(true);
  }
}

describe('pages', () => {
  const organiserPages = () => [
    ['/organiser/surveys', { script: true }],
    [`/organiser/surveys/${SURVEY}`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/dashboard`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/responses/${CITY}`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/responses/${DRAFT_CITY}`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/results`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/measures`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/participants`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/invitations`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/mail-texts`, { script: true, template: true }],
    [`/organiser/surveys/${SURVEY}/reminders`, { script: true }],
    ['/organiser/roster', { script: true, template: true }],
    [`/organiser/roster/${CITY}`, { script: true, template: true }],
    ['/organiser/accounts', { script: true, template: true }],
    ['/organiser/audit', { script: true, template: true }],
  ] as const;

  it('every organiser page shows the hostile text escaped, as typed', async () => {
    for (const [url, shows] of organiserPages()) {
      const res = await organiser.get(url);
      expect(res.statusCode, url).toBe(200);
      expectEscapedPage(url, res.body, shows);
    }
  });

  it('the respondent form and its confirmation show the organiser’s and their own hostile text escaped', async () => {
    for (const url of ['/respond', '/respond/confirmation', '/respond/questionnaire']) {
      const res = await respondent.get(url);
      expect(res.statusCode, url).toBe(200);
      expectEscapedPage(url, res.body, url === '/respond/questionnaire' ? {} : { script: true, template: true });
    }
    // The form puts the respondent's own values back into the inputs escaped (attribute context).
    const form = (await respondent.get('/respond')).body;
    expect(form).toContain('value="&#x3D;HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)&lt;script&gt;alert(1)&lt;/script&gt;{{constructor}}"');
  });
});

describe('mails', () => {
  const expectLiteralMail = (mail: CapturedMail) => {
    expect(mail.text).not.toContain('&lt;'); // plain text: never HTML-escaped …
    expect(mail.text).not.toContain('[native code]'); // … and never evaluated
    expect(mail.subject).not.toContain('[native code]');
    // One Subject, and no header made from a title's line break.
    expect(mail.headers.filter(([k]) => k === 'subject')).toHaveLength(1);
    expect(mail.headers.map(([k]) => k)).not.toContain('bcc');
    expect(mail.rcptTo.join(',')).not.toContain('evil');
    // An RTL override in a value is closed (U+202C) before the line goes on with the mail's own words
    // (or the line ends inside the value itself: a line break ends an override too).
    const endsInsideValue = (rest: string) => Object.values(HOSTILE).some((v) => v.includes(`${rest}\r`) || v.includes(`${rest}\n`));
    for (const line of [mail.subject, ...mail.text.split('\n')]) {
      for (const m of line.matchAll(/\u202E/g)) {
        const rest = line.slice(m.index);
        expect(rest.includes('\u202C') || endsInsideValue(rest), `RTL override left open in ${JSON.stringify(line)}`).toBe(true);
      }
    }
  };

  it('the invitation, written from the organiser’s hostile text, is literal text with nothing evaluated and no injected header', async () => {
    const [invitation] = smtp.mails;
    expectLiteralMail(invitation);
    expect(invitation.rcptTo).toEqual(['joho@amagasaki.example.lg.jp']);
    expect(invitation.subject).toContain(`=1+1 ${SCRIPT}`);
    expect(invitation.subject).not.toMatch(/[\r\n]/);
    expect(invitation.text).toContain(`${HOSTILE.cityName}\u202C様`);
    expect(invitation.text).toContain(HOSTILE.introText); // {{{introText}}} in the organiser's text: the value, once, not re-evaluated
    expect(invitation.text).toContain(SCRIPT);
    expect(invitation.text).toContain(`\n${TEMPLATE}\n`); // the organiser's own escaped \\{{constructor}}: literal text, not evaluated
  });

  it('the receipt of the hostile answer goes to the roster address only (not to a typed address of another domain) and repeats the answer literally', async () => {
    const [receipt] = mailsOfKind('受け付けました');
    expect(receipt, smtp.mails.map((m) => m.subject).join('\n')).toBeDefined();
    expectLiteralMail(receipt);
    expect(receipt.rcptTo).toEqual(['joho@amagasaki.example.lg.jp']);
    expect(receipt.text).toContain(HOSTILE.department);
    expect(receipt.text).toContain(HOSTILE.planName);
    expect(receipt.text).toContain(HOSTILE.notes.trim());
    expect(receipt.text).toContain(HOSTILE.cityName);
    expect(receipt.text).toContain(HOSTILE.measureLabel);
  });

  it('a reminder and the outbox .eml carry the same literal text', async () => {
    const before = smtp.mails.length;
    const sent = await organiser.post(`/organiser/surveys/${SURVEY}/reminders`, {}, `/organiser/surveys/${SURVEY}/reminders`);
    expect(sent.statusCode).toBe(303);
    await smtp.waitFor(before + 1);
    for (const mail of smtp.mails.slice(before)) expectLiteralMail(mail);
    const invitationRow = await ctx.database.db.selectFrom('mail_messages').select('id').where('kind', '=', 'invitation').orderBy('id').executeTakeFirstOrThrow();
    const eml = await organiser.get(`/organiser/surveys/${SURVEY}/mails/${invitationRow.id}.eml`);
    expect(eml.statusCode).toBe(200);
    const parsed = parseMail(eml.body);
    expectLiteralMail(parsed);
    expect(parsed.text).toContain(HOSTILE.cityName);
  });
});

describe('workbooks', () => {
  async function offendingCells(body: Buffer): Promise<{ bad: string[]; texts: string[] }> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const bad: string[] = [];
    const texts: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          const v = cell.value as unknown;
          const where = `${ws.name}!${cell.address}`;
          if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) bad.push(`${where} is a formula`);
          const text = typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('') : null;
          if (text !== null) {
            texts.push(text);
            if (TRIGGER.test(text)) bad.push(`${where} starts with ${JSON.stringify(text.slice(0, 20))}`);
          }
        }),
      ),
    );
    const zip = await JSZip.loadAsync(body);
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
      if (/<f[ >]/.test(await zip.file(name)!.async('string'))) bad.push(`${name} holds a <f> element`);
    }
    return { bad, texts };
  }

  it('the organiser’s results workbook holds every hostile value as text, none as a formula', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${SURVEY}/results.xlsx`, headers: api });
    expect(res.statusCode).toBe(200);
    const { bad, texts } = await offendingCells(res.rawPayload);
    expect(bad).toEqual([]);
    expect(texts).toContain(`'${HOSTILE.department}`);
    expect(texts).toContain(`'${HOSTILE.planName}`);
    expect(texts.some((t) => t.startsWith(`'${HOSTILE.measureLabel}`) || t === `'${HOSTILE.measureLabel}`)).toBe(true);
    expect(texts.join('\n')).toContain(SCRIPT); // shown, not dropped
  });

  it('the respondent’s questionnaire and, once published, results workbook hold no formula either', async () => {
    const bearer = { authorization: `Bearer ${respondentToken}` };
    for (const [url, headers] of [['/api/v1/response/questionnaire.xlsx', bearer], [`/api/v1/surveys/${SURVEY}/responses/${DRAFT_CITY}/questionnaire.xlsx`, api]] as const) {
      const questionnaire = await ctx.app.inject({ method: 'GET', url, headers });
      expect(questionnaire.statusCode, url).toBe(200);
      const { bad, texts } = await offendingCells(questionnaire.rawPayload);
      expect(bad, url).toEqual([]);
      expect(texts, url).toContain(`'${HOSTILE.department}`);
    }

    for (const to of ['closed', 'published']) expect((await organiser.post(`/organiser/surveys/${SURVEY}/status`, { to }, `/organiser/surveys/${SURVEY}`)).statusCode).toBe(303);
    const results = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/results.xlsx', headers: bearer });
    expect(results.statusCode, results.body.slice(0, 300)).toBe(200);
    const { bad, texts } = await offendingCells(results.rawPayload);
    expect(bad).toEqual([]);
    expect(texts.join('\n')).toContain(SCRIPT);

    // … and the published results page and the results mail stay escaped / literal too.
    const page = await respondent.get('/respond/results');
    expect(page.statusCode).toBe(200);
    expectEscapedPage('/respond/results', page.body, { script: true, template: true });
    const before = smtp.mails.length;
    expect((await organiser.post(`/organiser/surveys/${SURVEY}/results/notify`, {}, `/organiser/surveys/${SURVEY}/results`)).statusCode).toBe(303);
    await smtp.waitFor(before + 1);
    const notice = smtp.mails[before];
    expect(notice.text).toContain(HOSTILE.cityName);
    expect(notice.text).not.toContain('&lt;');
    expect(notice.headers.map(([k]) => k)).not.toContain('bcc');
  });
});

describe('closing bidi controls (pure)', () => {
  it('closes what a value opens, innermost first, and leaves balanced or plain text alone', () => {
    expect(closeBidi('西宮市')).toBe('西宮市');
    expect(closeBidi('\u202Eexe.pdf')).toBe('\u202Eexe.pdf\u202C');
    expect(closeBidi('\u2067a\u202Eb')).toBe('\u2067a\u202Eb\u202C\u2069');
    expect(closeBidi('\u202Ea\u202C')).toBe('\u202Ea\u202C');
    expect(closeBidi('\u2066a\u202Eb\u2069c')).toBe('\u2066a\u202Eb\u2069c'); // a PDI ends the override inside its isolate
  });
});
