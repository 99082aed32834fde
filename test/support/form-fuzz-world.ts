// Property-based bad input against the site's form POSTs (organiser console, respondent form, Excel and
// roster uploads, login/logout): generated bodies per route, each sent as a signed-in browser would — session
// cookie plus the page's CSRF token — so validation is really reached. Never a 5xx, and what was stored still
// satisfies the rules when read back through the API. Each quality-fuzz-*-forms test file calls setUpFormFuzz()
// for its own app and data, so the files are independent of each other and of their order.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrganiserByEmail } from '../../server/repositories/organisers.js';
import { listMail } from '../../server/repositories/mail.js';
import { buildTestApp, loginOrganiser, ORGANISER, type TestContext } from '../helper.js';
import { Browser, createAccount, csrfTokenOf } from '../organiser-support.js';
import { completeAnswer } from '../respondent-fixtures.js';
import { BOUNDARY, formBody, formPairs, formPostRoutes, hostileText, junkParam, multipart, type Pair, rawTail, urlencoded, valueOf } from './form-fuzz.js';
import { cityCodeText, dateText, emailText, filename, NOT_IN_ROSTER, questionnaireVariants, respondentBody, rosterCsv, text, versionText } from './form-values.js';
import { expectStoredDataValid } from './stored-rules.js';

const DEMO = 1; // the seeded, opened demo survey (host 西宮市)
const RESPONDENT_CITY = '282022'; // 尼崎市 answers through the form
const KEYED_CITY = '282031'; // 明石市: the organiser keys in its answers
const STAFF = { email: 'staff@city.example.lg.jp', password: 'staff-password-123' };
// logging out ends every session of the account (issue 12 §3): /logout is fuzzed with an account of its own
const LEAVER = { email: 'leaver@city.example.lg.jp', password: 'leaver-password-123' };

let ctx: TestContext;
let api: { authorization: string };
let organiser: Browser;
let respondent: Browser;
let anonymous: Browser;
let leaver: Browser;
let respondentToken: string;
let measureCodes: string[];
let setupSurvey: number; // settings, measures, participants, invitations, mail texts, retries
let mailSurvey: number; // reminders, then status moves
let publishedSurvey: number; // 結果公表 with one submitted city: the results notice
let staffId: number;
let ownId: number;
let mailIds: string[];
let questionnaires: Buffer[];

/** A survey made through the API, with participants and (for mail) e-mail addresses in the roster. */
async function makeSurvey(title: string, cityCodes: string[]): Promise<number> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: api, payload: { title, hostCityCode: '282049', deadline: '2027-01-29' } });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as number;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/participants`, headers: api, payload: { cityCodes } });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${id}`, headers: api, payload: { status: 'open' } });
  return id;
}

/** Builds this file's own app and data: the seeded demo survey, three surveys made through the API, mail, a keyed answer. */
export async function setUpFormFuzz(): Promise<void> {
  // NODE_ENV=production: templates compiled once, as deployed (otherwise every error page recompiles them)
  ctx = await buildTestApp({ seed: true, env: { NODE_ENV: 'production' } });
  api = await loginOrganiser(ctx);
  ownId = (await findOrganiserByEmail(ctx.database.db, ORGANISER.email))!.id;
  staffId = (await createAccount(ctx, STAFF.email, STAFF.password, 'staff')).id;
  organiser = new Browser(ctx);
  expect((await organiser.login(ORGANISER.email, ORGANISER.password)).statusCode).toBe(303);
  await createAccount(ctx, LEAVER.email, LEAVER.password, 'staff');
  leaver = new Browser(ctx);
  expect((await leaver.login(LEAVER.email, LEAVER.password)).statusCode).toBe(303);
  anonymous = new Browser(ctx);

  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${DEMO}`, headers: api, payload: { status: 'open' } });
  measureCodes = (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${DEMO}`, headers: api })).json().measures.map((m: { code: string }) => m.code);
  respondentToken = (await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${DEMO}/invitations`, headers: api, payload: { cityCodes: [RESPONDENT_CITY] } })).json()[0].token;
  respondent = new Browser(ctx);
  expect((await respondent.openLink(`/r/${respondentToken}`)).statusCode).toBe(303);

  const mailCities = ['012025', '012041', '022012'];
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/cities',
    headers: api,
    payload: (await ctx.app.inject({ method: 'GET', url: '/api/v1/cities', headers: api })).json().filter((c: { code: string }) => mailCities.includes(c.code)).map((c: Record<string, unknown>) => ({ ...c, email: `joho-${c.code}@example.lg.jp` })),
  });
  setupSurvey = await makeSurvey('設定の確認用の調査', mailCities);
  mailSurvey = await makeSurvey('督促の確認用の調査', ['012025']);
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${setupSurvey}/invitations`, headers: api, payload: { cityCodes: mailCities, send: true } });
  await ctx.app.inject({ method: 'POST', url: `/api/v1/surveys/${DEMO}/invitations`, headers: api, payload: { cityCodes: ['012025'], send: true } });
  publishedSurvey = await makeSurvey('結果送付の確認用の調査', ['012041']);
  const keyed = await ctx.app.inject({ method: 'PUT', url: `/api/v1/surveys/${publishedSurvey}/responses/012041`, headers: api, payload: { ...completeAnswer(measureCodes), submit: true } });
  expect(keyed.statusCode, keyed.body).toBe(200);
  for (const status of ['closed', 'published']) await ctx.app.inject({ method: 'PATCH', url: `/api/v1/surveys/${publishedSurvey}`, headers: api, payload: { status } });
  mailIds = (await listMail(ctx.database.db, {})).map((m) => String(m.id));
  expect(mailIds.length).toBeGreaterThan(1);

  const download = await ctx.app.inject({ method: 'GET', url: '/api/v1/response/questionnaire.xlsx', headers: { authorization: `Bearer ${respondentToken}` } });
  expect(download.statusCode).toBe(200);
  questionnaires = await questionnaireVariants(download.rawPayload);
}

export const closeFormFuzz = () => ctx.close();

/** The form POST routes the running app has (read from Fastify's route tree). */
export const formPostRoutesOfApp = () => formPostRoutes(ctx.app);


type Who = 'organiser' | 'respondent' | 'anonymous' | 'leaver';
interface FormRoute {
  who: Who;
  /** the page whose form carries the CSRF token */
  page: string;
  /** the URL posted to, from generated path parameters */
  url: fc.Arbitrary<string>;
  body: fc.Arbitrary<Pair[]>;
  /** upload forms: a file part is generated too */
  file?: { field: string; data: fc.Arbitrary<{ filename: string; data: Buffer }> };
  /** the form's version field: the current version is looked up just before posting */
  version?: () => Promise<number>;
  extraHeaders?: fc.Arbitrary<Record<string, string>>;
  /** a check on every answer besides "no 5xx" */
  check?: (res: { statusCode: number; headers: Record<string, unknown> }) => string | null;
}

const param = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 8, arbitrary: valid }, { weight: 2, arbitrary: junkParam });

async function demoVersion(cityCode: string) {
  return (await ctx.app.inject({ method: 'GET', url: `/api/v1/surveys/${DEMO}/responses/${cityCode}`, headers: api })).json().version as number;
}

export function formRoutes(): Record<string, FormRoute> {
  const setup = `/organiser/surveys/${setupSurvey}`;
  const rosterRow = fc.record({ code: valueOf(cityCodeText), name: valueOf(text), prefecture: valueOf(fc.constant('兵庫県')), population: valueOf(fc.constantFrom('480123', '-1', '1e9', '９９')), populationDate: valueOf(dateText), email: valueOf(emailText) }, { requiredKeys: [] });
  return {
    '/login': {
      who: 'anonymous',
      page: '/login',
      url: fc.constant('/login'),
      body: formBody(
        {
          email: fc.constantFrom(ORGANISER.email, STAFF.email, ` ${ORGANISER.email.toUpperCase()} `, 'nobody@example.lg.jp'),
          password: fc.constantFrom(ORGANISER.password, STAFF.password, 'wrong password 123'),
          next: fc.constantFrom('/organiser/roster', '//evil.example/', 'https://evil.example/', '/\\evil.example', '/%2F%2Fevil.example', '\\\\evil.example', 'javascript:alert(1)', '/\t/evil.example', '/login?next=//evil.example'),
        },
        [['email', STAFF.email], ['password', STAFF.password], ['next', '/organiser/roster']],
      ),
      // a third of the attempts come from other addresses (X-Forwarded-For), so the per-address limit does not answer them all
      extraHeaders: fc.option(fc.ipV4().map((ip) => ({ 'x-forwarded-for': ip })), { freq: 3 }).map((h) => h ?? {}),
      check: (res) => {
        const location = String(res.headers.location ?? '');
        return res.statusCode === 303 && !/^\/(?![/\\])/.test(location) ? `redirected off-site to ${location}` : null;
      },
    },
    '/logout': { who: 'leaver', page: '/organiser/surveys', url: fc.constant('/logout'), body: formPairs({}) },
    '/organiser/accounts': {
      who: 'organiser',
      page: '/organiser/accounts',
      url: fc.constant('/organiser/accounts'),
      body: formBody(
        { email: fc.oneof(emailText, fc.nat(99999).map((n) => `user${n}@city.example.lg.jp`)), name: text, role: fc.constantFrom('admin', 'staff', 'root'), password: fc.constantFrom('long enough password', 'short') },
        fc.nat(999_999).map((n): Pair[] => [['email', `new${n}@city.example.lg.jp`], ['name', '新しい職員'], ['role', 'staff'], ['password', 'long enough password']]),
        4, // fewer new accounts: each one costs an argon2 hash and lengthens the page every error re-renders
      ),
    },
    // never the right current password: a successful change would end the session the other routes use
    '/organiser/password': {
      who: 'organiser',
      page: '/organiser/password',
      url: fc.constant('/organiser/password'),
      body: formPairs({ currentPassword: fc.constantFrom('wrong', '', 'x'.repeat(2000)), newPassword: text, newPasswordAgain: text }),
    },
    '/organiser/accounts/:id': {
      who: 'organiser',
      page: '/organiser/accounts',
      url: param(fc.constantFrom(String(staffId), String(ownId))).map((id) => `/organiser/accounts/${id}`),
      body: formBody({ action: fc.constantFrom('enable', 'disable') }, fc.constantFrom('enable', 'disable').map((a): Pair[] => [['action', a]])),
    },
    '/organiser/surveys': {
      who: 'organiser',
      page: '/organiser/surveys',
      url: fc.constant('/organiser/surveys'),
      body: formBody(
        { source: fc.constantFrom('template', String(DEMO), '999999', 'abc', '-1'), title: text, deadline: dateText, hostCityCode: cityCodeText },
        fc.constantFrom('template', String(DEMO)).map((source): Pair[] => [['source', source], ['title', '第2回 中核市情報化推進計画調査'], ['deadline', '2027-01-29'], ['hostCityCode', '282049']]),
      ),
    },
    '/organiser/surveys/:id': {
      who: 'organiser',
      page: setup,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}`),
      body: formBody(
        {
          title: text,
          deadline: dateText,
          hostCityCode: cityCodeText,
          bandThresholds: fc.constantFrom('300000, 500000', '300,000、500,000', '２０万 ４０万', '0', '500000,300000', '300000,300000', '9'.repeat(30), '1e9', '-5'),
          introText: text,
        },
        [['title', '設定の確認用の調査'], ['deadline', '2027-01-29'], ['hostCityCode', '282049'], ['bandThresholds', '300000, 500000'], ['introText', 'ご協力をお願いします。']],
      ),
    },
    '/organiser/surveys/:id/results/notify': {
      who: 'organiser',
      page: `/organiser/surveys/${publishedSurvey}/results`,
      url: param(fc.constantFrom(String(publishedSurvey), String(setupSurvey))).map((id) => `/organiser/surveys/${id}/results/notify`),
      body: formPairs({}),
    },
    '/organiser/surveys/:id/status': {
      who: 'organiser',
      page: `/organiser/surveys/${mailSurvey}`,
      url: param(fc.constant(String(mailSurvey))).map((id) => `/organiser/surveys/${id}/status`),
      body: formBody({ to: fc.constantFrom('draft', 'open', 'closed', 'published', 'OPEN', 'deleted') }, fc.constantFrom('open', 'closed', 'published').map((to): Pair[] => [['to', to]])),
    },
    '/organiser/surveys/:id/measures': {
      who: 'organiser',
      page: `${setup}/measures`,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/measures`),
      body: formBody(
        { code: fc.oneof(fc.nat(9999).map((n) => `X${n}`), fc.constantFrom('M01', 'Ｍ４７', 'a'.repeat(17), 'M 1', 'M-1')), category: text, label: text },
        fc.nat(999_999).map((n): Pair[] => [['code', `N${n}`], ['category', '自治体の対策'], ['label', '新しい対策']]),
      ),
    },
    '/organiser/surveys/:id/measures/:code': {
      who: 'organiser',
      page: `${setup}/measures`,
      url: fc.tuple(param(fc.constant(String(setupSurvey))), param(fc.constantFrom(...measureCodes))).map(([id, c]) => `/organiser/surveys/${id}/measures/${c}`),
      body: formBody(
        { action: fc.constantFrom('rename', 'up', 'down', 'retire', 'restore', 'delete'), label: text, category: text },
        fc.constantFrom('rename', 'up', 'down', 'retire', 'restore').map((action): Pair[] => [['action', action], ['label', '名称を変えた対策'], ['category', '自治体の対策']]),
      ),
    },
    '/organiser/surveys/:id/participants/:cityCode/remove': {
      who: 'organiser',
      page: `${setup}/participants`,
      url: fc.tuple(param(fc.constant(String(setupSurvey))), param(fc.constantFrom('012041', '282049', NOT_IN_ROSTER, '012025', '282040'))).map(([id, c]) => `/organiser/surveys/${id}/participants/${c}/remove`),
      body: formBody({ confirm: fc.constantFrom('yes', 'no', '', 'true') }, fc.constantFrom<Pair[]>([['confirm', 'yes']], [['confirm', 'no']])),
    },
    '/organiser/surveys/:id/delete': {
      who: 'organiser',
      page: setup,
      // the set-up survey is open (409); junk ids are 400 or 404: no survey of the other checks is deleted
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/delete`),
      body: formBody({ confirm: fc.constantFrom('yes', '') }, fc.constant<Pair[]>([['confirm', 'yes']])),
    },
    '/organiser/surveys/:id/participants': {
      who: 'organiser',
      page: `${setup}/participants`,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/participants`),
      body: formBody({ all: fc.constantFrom('roster', 'everyone'), cityCodes: cityCodeText }, fc.constantFrom<Pair[]>([['cityCodes', '012025'], ['cityCodes', '282022']], [['all', 'roster']])),
    },
    '/organiser/surveys/:id/responses/:cityCode': {
      who: 'organiser',
      page: `/organiser/surveys/${DEMO}/responses/${KEYED_CITY}`,
      url: fc.tuple(param(fc.constant(String(DEMO))), param(fc.constantFrom(KEYED_CITY, KEYED_CITY, NOT_IN_ROSTER, '012025'))).map(([id, c]) => `/organiser/surveys/${id}/responses/${c}`),
      body: fc.tuple(respondentBody(measureCodes), versionText).map(([pairs, v]) => [...pairs, ['version', v] as Pair]),
      version: () => demoVersion(KEYED_CITY),
    },
    '/organiser/surveys/:id/invitations': {
      who: 'organiser',
      page: `${setup}/invitations`,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/invitations`),
      body: formBody(
        { scope: fc.constantFrom('all', 'selected'), cityCodes: cityCodeText, confirm: fc.constantFrom('1', '0', '') },
        fc.constantFrom<Pair[]>([['scope', 'selected'], ['cityCodes', '012025']], [['scope', 'selected'], ['cityCodes', '012025'], ['confirm', '1']], [['scope', 'all']]),
      ),
    },
    '/organiser/surveys/:id/mail-merge': {
      who: 'organiser',
      page: `${setup}/invitations`,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/mail-merge`),
      body: formPairs({ kind: fc.constantFrom('invitation', 'reminder', 'other', ''), encoding: fc.constantFrom('sjis', 'utf8', 'latin1', '') }),
      // a CSV download, not a page
      check: (res) => (res.statusCode === 200 && !String(res.headers['content-type']).startsWith('text/csv') ? `not a CSV: ${res.headers['content-type']}` : null),
    },
    '/organiser/surveys/:id/outbox/mark-sent': {
      who: 'organiser',
      page: `${setup}/invitations`,
      url: param(fc.constant(String(setupSurvey))).map((id) => `/organiser/surveys/${id}/outbox/mark-sent`),
      body: formPairs({ all: fc.constantFrom('1', '0', ''), mailId: fc.constantFrom('1', '2', '999999', '-1', 'x', '') }),
    },
    '/organiser/surveys/:id/mails/:mailId/retry': {
      who: 'organiser',
      page: `${setup}/invitations`,
      url: fc.tuple(param(fc.constant(String(setupSurvey))), param(fc.constantFrom(...mailIds))).map(([id, m]) => `/organiser/surveys/${id}/mails/${m}/retry`),
      body: formPairs({}),
    },
    '/organiser/surveys/:id/reminders': {
      who: 'organiser',
      page: `/organiser/surveys/${mailSurvey}/reminders`,
      url: param(fc.constant(String(mailSurvey))).map((id) => `/organiser/surveys/${id}/reminders`),
      body: formPairs({}),
    },
    '/organiser/surveys/:id/mail-texts/:kind': {
      who: 'organiser',
      page: `${setup}/mail-texts`,
      url: fc.tuple(param(fc.constant(String(setupSurvey))), param(fc.constantFrom('invitation', 'reminder'))).map(([id, k]) => `/organiser/surveys/${id}/mail-texts/${k}`),
      body: formBody(
        {
          subject: fc.constantFrom('【{{hostCityName}}】{{surveyTitle}}のお願い', '{{cityName}}様', '{{#if}}', '{{url'),
          body: fc.constantFrom('{{cityName}}様\n{{url}}\n', '{{url}} {{{introText}}}', '{{#each url}}{{/each}}{{url}}', '{{url}}{{lookup this "constructor"}}', '{{url}}{{> main}}', '{{url}}{{dateJa deadline}}{{dateJa}}', '{{url}}{{#with}}'),
          reset: fc.constantFrom('1', '0'),
        },
        [['subject', '【{{hostCityName}}】{{surveyTitle}}のお願い'], ['body', '{{cityName}}様\n\n{{url}}\n']],
      ),
    },
    '/organiser/roster/import': {
      who: 'organiser',
      page: '/organiser/roster/import',
      url: fc.constant('/organiser/roster/import'),
      body: formPairs({}),
      file: { field: 'file', data: fc.record({ filename, data: fc.oneof(rosterCsv(), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), fc.constant(Buffer.alloc(0)), fc.constantFrom(...[0, 1, 7].map((i) => questionnaires[i]))) }) },
    },
    '/organiser/roster/import/confirm': {
      who: 'organiser',
      page: '/organiser/roster/import',
      url: fc.constant('/organiser/roster/import/confirm'),
      // a clean row whose name is hostile text (the import must store it as text), or generated rows and JSON
      body: formPairs({ rows: fc.oneof(fc.array(rosterRow, { maxLength: 4 }).map((rows) => JSON.stringify(rows)), hostileText.map((name) => JSON.stringify([{ code: '012041', name, prefecture: '北海道', population: 332000, populationDate: '2020-10-01', email: null }])), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constantFrom('[', '{"__proto__":{"x":1}}', '[null]', '[[]]')) }),
    },
    '/organiser/roster/:code': {
      who: 'organiser',
      page: '/organiser/roster/012041',
      url: param(fc.constantFrom('012041', '022012', '282049')).map((c) => `/organiser/roster/${c}`),
      body: formBody(
        { name: text, prefecture: fc.constant('北海道'), population: fc.constantFrom('480123', '４８０，１２３人', '-1', '1e9', '9999999999'), populationDate: dateText, email: emailText },
        [['name', '旭川市'], ['prefecture', '北海道'], ['population', '329306'], ['populationDate', '2020-10-01'], ['email', 'joho@asahikawa.example.lg.jp']],
      ),
    },
    '/respond': {
      who: 'respondent',
      page: '/respond',
      url: fc.constant('/respond'),
      body: fc.tuple(respondentBody(measureCodes), versionText).map(([pairs, v]) => [...pairs, ['version', v] as Pair]),
      version: () => demoVersion(RESPONDENT_CITY),
    },
    '/respond/questionnaire': {
      who: 'respondent',
      page: '/respond/questionnaire',
      url: fc.constant('/respond/questionnaire'),
      body: fc.oneof(
        formPairs({ confirm: fc.constantFrom('1', '0'), version: versionText }),
        fc.tuple(fc.nat(questionnaires.length - 1), versionText).map(([i, v]): Pair[] => [['confirm', '1'], ['workbook', questionnaires[i].toString('base64')], ['version', v]]),
      ),
      file: { field: 'file', data: fc.record({ filename, data: fc.oneof(fc.constantFrom(...questionnaires), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), rosterCsv()) }) },
      version: () => demoVersion(RESPONDENT_CITY),
    },
    '/organiser/surveys/:id/responses/:cityCode/questionnaire': {
      who: 'organiser',
      page: `/organiser/surveys/${DEMO}/responses/${RESPONDENT_CITY}/questionnaire`,
      url: fc.tuple(param(fc.constant(String(DEMO))), param(fc.constantFrom(RESPONDENT_CITY, RESPONDENT_CITY, NOT_IN_ROSTER, KEYED_CITY))).map(([id, c]) => `/organiser/surveys/${id}/responses/${c}/questionnaire`),
      body: fc.oneof(
        formPairs({ confirm: fc.constantFrom('1', '0'), version: versionText, reason: text }),
        fc.tuple(fc.nat(questionnaires.length - 1), versionText).map(([i, v]): Pair[] => [['confirm', '1'], ['workbook', questionnaires[i].toString('base64')], ['version', v]]),
      ),
      file: { field: 'file', data: fc.record({ filename, data: fc.oneof(fc.constantFrom(...questionnaires), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), rosterCsv()) }) },
      version: () => demoVersion(RESPONDENT_CITY),
    },
    '/respond/plans': {
      who: 'respondent',
      page: '/respond',
      url: fc.constant('/respond/plans'),
      body: formPairs({ shareable: fc.constantFrom('all', 'host', 'public', ''), replaceId: fc.constantFrom('1', '2', '999999', 'abc', '-1', '') }),
      file: {
        field: 'file',
        data: fc.record({
          filename: fc.oneof(filename, fc.constantFrom('plan.pdf', 'plan.docx', 'plan.xlsx', 'plan.txt', '計画.PDF', '../../etc/passwd.txt')),
          data: fc.oneof(
            { weight: 1, arbitrary: fc.constant(Buffer.from('尼崎市情報化計画\n令和3年度～令和7年度\nオープンデータを公開しました。\n')) },
            { weight: 30, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
            { weight: 2, arbitrary: fc.constant(Buffer.from('%PDF-1.7\nnot really')) },
          ),
        }),
      },
    },
    '/respond/plans/:id/share': { who: 'respondent', page: '/respond', url: param(fc.nat(40).map(String)).map((id) => `/respond/plans/${id}/share`), body: formPairs({ shareable: fc.constantFrom('all', 'host', 'public', '') }) },
    '/respond/plans/:id/remove': { who: 'respondent', page: '/respond', url: param(fc.nat(40).map(String)).map((id) => `/respond/plans/${id}/remove`), body: formPairs({}) },
    '/respond/plans/:id/proposals': {
      who: 'respondent',
      page: '/respond',
      url: param(fc.nat(40).map(String)).map((id) => `/respond/plans/${id}/proposals`),
      body: formPairs({ do: fc.constantFrom('accept', 'accept-all', 'reject', 'reject-all', 'delete'), key: fc.constantFrom('plan.name', 'plan.periodStart', 'measure.M09', 'measure.M99', 'plan.bogus', 'x'), version: versionText }),
      version: () => demoVersion(RESPONDENT_CITY),
    },

    // the conflict page's choice (field by field), and discarding unsubmitted changes
    '/respond/merge': {
      who: 'respondent',
      page: '/respond',
      url: fc.constant('/respond/merge'),
      body: fc
        .tuple(respondentBody(measureCodes), versionText, fc.constantFrom('merge', 'mine', 'theirs', 'x', ''), fc.constantFrom('save', 'submit', ''), fc.constantFrom('/contact/department', '/plan/periodStart', '/measures/M01', '/nope', ''), fc.constantFrom('mine', 'theirs', ''))
        .map(([pairs, v, choice, intent, path, pick]) => [...pairs, ['version', v], ['choice', choice], ['intent', intent], [`pick:${path}`, pick]] as Pair[]),
      version: () => demoVersion(RESPONDENT_CITY),
    },
    // the personal link's button: the real link, a revoked-looking one, garbage
    '/r/:token': {
      who: 'anonymous',
      page: '/login', // any page with a form: the link's POST needs no CSRF token (the token in the path is the secret)
      url: param(fc.constantFrom(respondentToken, 'A'.repeat(43), 'x', '%00', '..%2f..%2f')).map((t) => `/r/${t}`),
      body: formPairs({}),
    },
    '/respond/discard': { who: 'respondent', page: '/respond', url: fc.constant('/respond/discard'), body: formPairs({ version: versionText }), version: () => demoVersion(RESPONDENT_CITY) },
  };
}

const browsers = (): Record<Who, Browser> => ({ organiser, respondent, anonymous, leaver });

/** Sends one generated form as a browser would: the session's cookies, the page's CSRF token, url-encoded or multipart. */
async function send(route: FormRoute, csrf: string, sample: { url: string; pairs: Pair[]; tail: string | null; multipart: boolean; file: { filename: string; data: Buffer } | null; headers: Record<string, string> }) {
  let pairs = sample.pairs;
  if (route.version && pairs.some(([, v]) => v === 'CURRENT')) {
    const current = String(await route.version());
    pairs = pairs.map(([k, v]): Pair => [k, v === 'CURRENT' ? current : v]);
  }
  const browser = browsers()[route.who];
  const asMultipart = sample.multipart && route.file !== undefined;
  return ctx.app.inject({
    method: 'POST',
    url: sample.url,
    headers: {
      cookie: browser.cookieHeader,
      accept: 'text/html',
      'content-type': asMultipart ? `multipart/form-data; boundary=${BOUNDARY}` : 'application/x-www-form-urlencoded',
      ...sample.headers,
    },
    payload: asMultipart ? multipart(csrf, pairs, sample.file ? { field: route.file!.field, ...sample.file } : undefined) : urlencoded(csrf, pairs, sample.tail),
  });
}

/** Sends `runs` generated forms to one route as a signed-in browser; never a 5xx, stored data still valid, pages still render. */
export async function fuzzFormRoute(path: string, runs: number): Promise<void> {
  const route = formRoutes()[path];
  const page = await browsers()[route.who].get(route.page);
  expect(page.statusCode, `GET ${route.page}`).toBe(200);
  const csrf = csrfTokenOf(page.body);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let csrfRefusals = 0;
  const sample = fc.record({
    url: route.url,
    pairs: route.body,
    tail: rawTail,
    multipart: route.file ? fc.boolean() : fc.constant(false),
    file: route.file ? fc.option(route.file.data, { freq: 6 }) : fc.constant(null),
    headers: route.extraHeaders ?? fc.constant({}),
  });
  await fc.assert(
    fc.asyncProperty(sample, async (s) => {
      const res = await send(route, csrf, s);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const ownToken = !s.pairs.some(([k]) => k === '_csrf') && !(s.tail ?? '').includes('_csrf');
      if (res.statusCode === 403 && /有効期限が切れ/.test(res.body) && ownToken) csrfRefusals++;
      const problem = res.statusCode >= 500 ? `${res.statusCode}: ${res.body.replace(/\s+/g, ' ').slice(0, 300)}` : route.check?.(res);
      if (problem) failures.push(`${s.url} ${problem} ← ${JSON.stringify(s.pairs).slice(0, 300)}`);
      return !problem;
    }),
    { numRuns: runs, endOnFailure: true },
  ).catch(() => undefined);
  expect(failures).toEqual([]);
  // Validation was reached: the CSRF check refused only bodies that carried a second _csrf of their own.
  expect(csrfRefusals, `CSRF refusals of bodies with the page's own token; statuses ${JSON.stringify([...statuses])}`).toBe(0);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(runs);
  await expectStoredDataValid(ctx, api, { completeSubmissionsIn: [DEMO] });
  // Every page that shows what was stored still renders.
  for (const url of ['/organiser/surveys', '/organiser/roster', '/organiser/accounts', '/organiser/audit', `/organiser/surveys/${DEMO}/dashboard`, `/organiser/surveys/${DEMO}/results`, `/organiser/surveys/${setupSurvey}`, `/organiser/surveys/${setupSurvey}/measures`, `/organiser/surveys/${setupSurvey}/mail-texts`, `/organiser/surveys/${setupSurvey}/invitations`, `/organiser/surveys/${mailSurvey}/reminders`, `/organiser/surveys/${publishedSurvey}/results`, `/organiser/surveys/${DEMO}/responses/${KEYED_CITY}`]) {
    expect((await organiser.get(url)).statusCode, url).toBe(200);
  }
  expect((await respondent.get('/respond')).statusCode).toBe(200);
  console.info(`POST ${path}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
}

/**
 * The form routes by area, one test file each. Within an area the order matters only in that routes that
 * move state (status, sessions, new surveys) come after the ones they would disturb.
 */
export const FORM_FUZZ_AREAS = {
  // the answer forms: the respondent's own, its Excel upload, and the organiser keying in a city's answers
  answers: ['/r/:token', '/respond', '/respond/questionnaire', '/organiser/surveys/:id/responses/:cityCode/questionnaire', '/respond/plans', '/respond/plans/:id/proposals', '/respond/plans/:id/share', '/respond/plans/:id/remove', '/respond/merge', '/respond/discard', '/organiser/surveys/:id/responses/:cityCode'],
  surveys: [
    '/organiser/surveys/:id',
    // moving measures before adding them: the lists stay short
    '/organiser/surveys/:id/measures/:code', '/organiser/surveys/:id/measures',
    // removing participants before adding them: the add form puts them back
    '/organiser/surveys/:id/participants/:cityCode/remove', '/organiser/surveys/:id/participants', '/organiser/surveys/:id/delete', '/organiser/surveys/:id/status',
    // last: every survey it creates is read back by each later check
    '/organiser/surveys',
  ],
  // invitations, their mail, reminders and the results notice
  mail: ['/organiser/surveys/:id/outbox/mark-sent', '/organiser/surveys/:id/mail-merge', '/organiser/surveys/:id/invitations', '/organiser/surveys/:id/mails/:mailId/retry', '/organiser/surveys/:id/mail-texts/:kind', '/organiser/surveys/:id/reminders', '/organiser/surveys/:id/results/notify'],
  // roster and accounts, then the session forms (disabling accounts before adding them: the list stays short)
  accounts: ['/organiser/password', '/organiser/roster/:code', '/organiser/roster/import', '/organiser/roster/import/confirm', '/organiser/accounts/:id', '/organiser/accounts', '/logout', '/login'],
} as const;

/** Declares one area's fuzz file: its own app and data before, every route of the area with `runs` forms each. */
export function describeFormFuzz(area: keyof typeof FORM_FUZZ_AREAS, runs: number, extra?: () => void): void {
  beforeAll(setUpFormFuzz, 120_000);
  afterAll(closeFormFuzz);
  describe(`generated bad input on the ${area} forms`, () => {
    extra?.();
    it.each(FORM_FUZZ_AREAS[area])(`POST %s: ${runs} generated forms with a valid session and CSRF token, never a 5xx, stored data still valid`, async (path) => {
      await fuzzFormRoute(path, runs);
    }, 600_000);
  });
}
