// What stored data must always satisfy, read back through the JSON API (and, for what the API does not
// show — mail texts, accounts, participants' bands — through the repositories): the fuzz tests call this
// after every batch of generated input, so a bad row is blamed on the route that wrote it.
import { expect } from 'vitest';
import { bandIndexFor } from '../../server/domain/bands.js';
import { cityCodeProblem } from '../../server/domain/city-code.js';
import { ANSWERS, DISCLOSURES, NEXT_PLANS, ORGANISER_ROLES, SURVEY_STATUSES } from '../../server/domain/glossary.js';
import { checkMailText } from '../../server/mail/mail-texts.js';
import { isEmail, isKatakanaName, isPhoneNumber } from '../../server/domain/normalise.js';
import { listOrganisers } from '../../server/repositories/organiser-accounts.js';
import { listParticipants, listSurveys } from '../../server/repositories/surveys.js';
import type { AnswersView } from '../../server/schemas/response.js';
import type { TestContext } from '../helper.js';

type Headers = { authorization: string };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every string inside a JSON value (to look for characters no stored text may hold). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

async function getJson(ctx: TestContext, url: string, headers: Headers) {
  const res = await ctx.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode, `GET ${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json();
}

/** The rules of «A response» (API.md) and of the form: enums, ranges, lengths; a submitted response is complete. */
export function responseProblems(a: AnswersView, measureCodes: string[], submitted: boolean): string[] {
  const p: string[] = [];
  const rule = (ok: boolean, what: string) => {
    if (!ok) p.push(what);
  };
  const known = new Set(measureCodes);
  for (const [code, answer] of Object.entries(a.measures)) {
    rule(known.has(code), `measure ${code} is not in the survey`);
    rule((ANSWERS as readonly string[]).includes(answer), `measure ${code} = ${JSON.stringify(answer)}`);
  }
  rule(a.disclosure === null || (DISCLOSURES as readonly string[]).includes(a.disclosure), `disclosure ${JSON.stringify(a.disclosure)}`);
  rule(a.plan.nextPlan === null || (NEXT_PLANS as readonly string[]).includes(a.plan.nextPlan), `nextPlan ${JSON.stringify(a.plan.nextPlan)}`);
  rule(a.plan.hasPlan === null || typeof a.plan.hasPlan === 'boolean', 'hasPlan');
  rule(a.plan.latestNumber === null || /^第([1-9]|[1-9][0-9])次$/.test(a.plan.latestNumber), `latestNumber ${a.plan.latestNumber}`);
  rule(a.plan.updateCycleYears === null || (Number.isInteger(a.plan.updateCycleYears) && a.plan.updateCycleYears >= 1 && a.plan.updateCycleYears <= 20), 'updateCycleYears');
  for (const year of [a.plan.periodStart, a.plan.periodEnd]) rule(year === null || (Number.isInteger(year) && year >= 1900 && year <= 2100), `fiscal year ${year}`);
  if (a.plan.periodStart !== null && a.plan.periodEnd !== null) rule(a.plan.periodStart <= a.plan.periodEnd, 'period ends before it starts');
  const limits: Array<[string, string, number]> = [
    ['department', a.contact.department, 200],
    ['personKana', a.contact.personKana, 100],
    ['phone', a.contact.phone, 40],
    ['email', a.contact.email, 254],
    ['plan name', a.plan.name, 300],
    ['notes', a.plan.notes, 2000],
  ];
  for (const [what, value, max] of limits) {
    rule(typeof value === 'string' && value.length <= max, `${what} longer than ${max}`);
    rule(value === value.trim(), `${what} not trimmed`);
  }
  rule(!strings(a).some((s) => NUL.test(s)), 'a NUL character was stored');
  if (submitted) {
    rule(a.contact.department !== '', 'submitted without a department');
    rule(isKatakanaName(a.contact.personKana), `submitted with personKana ${JSON.stringify(a.contact.personKana)}`);
    rule(isPhoneNumber(a.contact.phone), `submitted with phone ${JSON.stringify(a.contact.phone)}`);
    rule(isEmail(a.contact.email), `submitted with email ${JSON.stringify(a.contact.email)}`);
    rule(a.plan.hasPlan !== null, 'submitted without hasPlan');
    rule(a.disclosure !== null, 'submitted without disclosure');
    if (a.plan.hasPlan) {
      rule(a.plan.name !== '' && a.plan.latestNumber !== null && a.plan.periodStart !== null && a.plan.periodEnd !== null && a.plan.nextPlan !== null, 'submitted with an incomplete plan');
    }
  }
  return p;
}

/**
 * Reads everything back and checks it: the roster, every survey (settings, measures, bands, participants,
 * mail texts), every response, the results, and the accounts. Throws (via expect) on the first broken rule.
 */
export async function expectStoredDataValid(ctx: TestContext, organiser: Headers, opts: { completeSubmissionsIn?: number[] } = {}) {
  const cities: Array<{ code: string; name: string; prefecture: string; population: number; populationDate: string | null; email: string | null }> = await getJson(ctx, '/api/v1/cities', organiser);
  const roster = new Set<string>();
  for (const c of cities) {
    expect(cityCodeProblem(c.code), `city code ${c.code}`).toBeNull();
    expect(Number.isSafeInteger(c.population) && c.population >= 0, `population of ${c.code}: ${c.population}`).toBe(true);
    expect(c.name.trim().length, `name of ${c.code}`).toBeGreaterThan(0);
    expect(c.prefecture.trim().length, `prefecture of ${c.code}`).toBeGreaterThan(0);
    if (c.populationDate !== null) expect(isRealDate(c.populationDate), `population date of ${c.code}: ${c.populationDate}`).toBe(true);
    if (c.email !== null && c.email !== '') expect(c.email, `email of ${c.code}`).toMatch(SIMPLE_EMAIL);
    expect(strings(c).some((s) => NUL.test(s)), `NUL in city ${c.code}`).toBe(false);
    roster.add(c.code);
  }

  for (const row of await listSurveys(ctx.database.db)) {
    const s = await getJson(ctx, `/api/v1/surveys/${row.id}`, organiser);
    expect(SURVEY_STATUSES).toContain(s.status);
    expect(s.title.trim().length, `title of survey ${s.id}`).toBeGreaterThan(0);
    expect(isRealDate(s.deadline), `deadline of survey ${s.id}: ${s.deadline}`).toBe(true);
    expect(roster.has(s.hostCityCode), `host city ${s.hostCityCode} of survey ${s.id} in the roster`).toBe(true);
    const t: number[] = s.bandThresholds;
    expect(t.length).toBeGreaterThan(0);
    expect(t.every((x, i) => Number.isSafeInteger(x) && x > 0 && (i === 0 || x > t[i - 1])), `band thresholds ${t}`).toBe(true);
    expect(s.bands).toHaveLength(t.length + 1);
    const codes: string[] = s.measures.map((m: { code: string }) => m.code);
    expect(new Set(codes).size, `measure codes of survey ${s.id} unique`).toBe(codes.length);
    for (const m of s.measures) {
      expect(m.code, `measure code in survey ${s.id}`).toMatch(/^[A-Za-z0-9_-]{1,16}$/);
      expect(m.label.trim().length).toBeGreaterThan(0);
      expect(m.category.trim().length).toBeGreaterThan(0);
    }
    expect(strings(s).some((x) => NUL.test(x)), `NUL in survey ${s.id}`).toBe(false);

    for (const p of await listParticipants(ctx.database.db, s.id)) {
      expect(roster.has(p.city_code), `participant ${p.city_code} of survey ${s.id} in the roster`).toBe(true);
      expect(p.band_index, `band of ${p.city_code} in survey ${s.id}`).toBe(bandIndexFor(p.population, t));
    }
    for (const kind of ['invitation', 'reminder'] as const) {
      const subject = kind === 'invitation' ? row.invitation_subject : row.reminder_subject;
      const body = kind === 'invitation' ? row.invitation_body : row.reminder_body;
      expect(subject === null, `${kind} subject and body are set together`).toBe(body === null);
      if (subject !== null && body !== null) expect(() => checkMailText({ subject, body }), `stored ${kind} text of survey ${s.id}`).not.toThrow();
    }

    const statuses: Array<{ cityCode: string; status: string }> = await getJson(ctx, `/api/v1/surveys/${s.id}/responses`, organiser);
    for (const r of statuses) {
      expect(['not_started', 'draft', 'submitted']).toContain(r.status);
      if (r.status === 'not_started') continue;
      const saved = await getJson(ctx, `/api/v1/surveys/${s.id}/responses/${r.cityCode}`, organiser);
      // what was last saved is always storable; what the results count (the last submission) is complete
      expect(responseProblems(saved.answers, codes, false), `response of ${r.cityCode} to survey ${s.id}`).toEqual([]);
      if (saved.status === 'submitted') {
        expect(responseProblems(saved.submittedAnswers, codes, true), `submitted answers of ${r.cityCode} to survey ${s.id}`).toEqual([]);
        if (!saved.hasUnsubmittedChanges) expect(saved.answers, `no unsubmitted changes: the answers are the submitted ones (${r.cityCode})`).toEqual(saved.submittedAnswers);
      }
      if (saved.status === 'submitted' && opts.completeSubmissionsIn?.includes(s.id)) {
        expect(Object.keys(saved.submittedAnswers.measures).sort(), `every measure answered by ${r.cityCode}`).toEqual([...codes].sort());
      }
    }

    const results = await getJson(ctx, `/api/v1/surveys/${s.id}/results`, organiser);
    for (const m of results.measures) {
      expect(m.implemented + m.studying).toBe(m.total);
      expect(m.total).toBeLessThanOrEqual(results.respondents);
      m.counts.forEach((c: { implemented: number; studying: number; total: number }) => expect(c.implemented + c.studying).toBe(c.total));
    }
  }

  const accounts = await listOrganisers(ctx.database.db);
  for (const a of accounts) {
    expect(ORGANISER_ROLES).toContain(a.role);
    expect(a.email, 'account e-mail').toMatch(SIMPLE_EMAIL);
    expect(a.email).toBe(a.email.trim().toLowerCase());
  }
  expect(accounts.some((a) => a.role === 'admin' && !a.disabled_at), 'an enabled admin remains').toBe(true);
}
