// The foundation's API (API.md): health, organiser session, roster, surveys, participants.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginOrganiser, type TestContext } from './helper.js';

let ctx: TestContext;
let auth: { authorization: string };

beforeAll(async () => {
  ctx = await buildTestApp({ seed: true });
  auth = await loginOrganiser(ctx);
});
afterAll(() => ctx.close());

const inject = (opts: InjectOptions) => ctx.app.inject(opts);

describe('health and documentation', () => {
  it('GET /health says ok once the database is migrated', async () => {
    const res = await inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document with the contract routes, and its UI from the package', async () => {
    const doc = (await inject({ method: 'GET', url: '/docs/json' })).json();
    for (const route of ['/api/v1/session', '/api/v1/cities', '/api/v1/surveys', '/api/v1/surveys/{id}', '/api/v1/surveys/{id}/participants']) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
    const ui = await inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\//i);
  });

  it('the home page is Japanese, links to login and /docs, and loads nothing from another host', async () => {
    const res = await inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ja">');
    expect(res.body).toContain('href="/login"');
    expect(res.body).toContain('href="/docs"');
    expect(res.body).not.toMatch(/(src|href)="https?:/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('every response carries the security headers: a page, the API, a 404 and a static asset', async () => {
    for (const url of ['/', '/health', '/api/v1/surveys', '/no-such-page', '/assets/site.css']) {
      const res = await inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toBe(
        "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'",
      );
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });
});

describe('organiser session', () => {
  it('a wrong password gets 401 with a message that does not say whether the e-mail exists', async () => {
    const wrongPassword = await inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'joho@city.nishinomiya.example.lg.jp', password: 'nope' } });
    const unknownEmail = await inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'nobody@example.jp', password: 'nope' } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json().message).toBe(unknownEmail.json().message);
  });

  it('returns a token and its expiry about a working day ahead', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'JOHO@city.nishinomiya.example.lg.jp', password: 'correct horse battery staple' } });
    expect(res.statusCode).toBe(200);
    const hours = (Date.parse(res.json().expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
  });

  it('organiser routes refuse a missing or forged token with 401', async () => {
    expect((await inject({ method: 'GET', url: '/api/v1/cities' })).statusCode).toBe(401);
    const forged = await inject({ method: 'GET', url: '/api/v1/cities', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJraW5kIjoib3JnYW5pc2VyIiwic3ViIjoiMSJ9.' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });
});

describe('roster', () => {
  it('lists the seeded 62 中核市 with population and its reference date', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/cities', headers: auth });
    expect(res.statusCode).toBe(200);
    const cities = res.json();
    expect(cities).toHaveLength(62);
    expect(cities.find((c: { code: string }) => c.code === '282049')).toMatchObject({ name: '西宮市', prefecture: '兵庫県', populationDate: '2020-10-01' });
  });

  it('upserts by code and reports how many', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/api/v1/cities',
      headers: auth,
      payload: [
        { code: '282049', name: '西宮市', prefecture: '兵庫県', population: 482640, populationDate: '2024-10-01', email: 'joho@example.lg.jp' },
        { code: '282146', name: '宝塚市', prefecture: '兵庫県', population: 224903 },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ upserted: 2 });
    const cities = (await inject({ method: 'GET', url: '/api/v1/cities', headers: auth })).json();
    // nameKana (added field): the seeded reading stays, since the PUT left it out
    expect(cities.find((c: { code: string }) => c.code === '282049')).toEqual({
      code: '282049', name: '西宮市', prefecture: '兵庫県', population: 482640, populationDate: '2024-10-01', email: 'joho@example.lg.jp', nameKana: 'ニシノミヤシ',
    });
    expect(cities).toHaveLength(63);
  });

  it('one invalid entry (a wrong check digit) is a 400 naming it, and nothing is written', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/api/v1/cities',
      headers: auth,
      payload: [
        { code: '202011', name: '長野市', prefecture: '長野県', population: 1 },
        { code: '282048', name: '誤り市', prefecture: '兵庫県', population: 100 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ path: '/1/code', message: expect.stringContaining('検査数字') });
    const cities = (await inject({ method: 'GET', url: '/api/v1/cities', headers: auth })).json();
    expect(cities.find((c: { code: string }) => c.code === '202011').population).not.toBe(1);
  });

  it('a duplicated code in one upload is a 400 and nothing is written', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/api/v1/cities',
      headers: auth,
      payload: [
        { code: '202011', name: '長野市', prefecture: '長野県', population: 2 },
        { code: '202011', name: '長野市', prefecture: '長野県', population: 3 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/1/code');
    const cities = (await inject({ method: 'GET', url: '/api/v1/cities', headers: auth })).json();
    expect(cities.find((c: { code: string }) => c.code === '202011').population).toBeGreaterThan(3);
  });
});

describe('surveys', () => {
  it('the demo survey has the 46 measures and the three published bands', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/surveys/1', headers: auth });
    expect(res.statusCode).toBe(200);
    const survey = res.json();
    expect(survey).toMatchObject({ id: 1, title: '中核市情報化推進計画調査', status: 'draft', hostCityCode: '282049' });
    expect(survey.measures).toHaveLength(46);
    expect(survey.measures[0]).toEqual({ code: 'M01', category: '自治体の対策', label: 'ICTガバナンスの強化' });
    expect(survey.bands.map((b: { label: string }) => b.label)).toEqual(['30万人未満の市', '30万人以上50万人未満の市', '50万人以上の市']);
    expect(survey.participants).toBe(62);
  });

  it('creates a survey from the template with default bands', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: '令和8年度 調査', hostCityCode: '282049', deadline: '2027-01-31' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', deadline: '2027-01-31', bandThresholds: [300000, 500000], template: 'chukakushi-2018' });
    expect(res.json().bands[2]).toEqual({ label: '50万人以上の市', min: 500000, max: null });
  });

  it('refuses descending thresholds, an unknown host, and a bad check digit, each with the field path', async () => {
    const descending = await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 't', hostCityCode: '282049', deadline: '2027-01-31', bandThresholds: [500000, 300000] } });
    expect(descending.statusCode).toBe(400);
    expect(descending.json().errors[0].path).toBe('/bandThresholds');
    const unknownHost = await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 't', hostCityCode: '130001', deadline: '2027-01-31' } });
    expect(unknownHost.statusCode).toBe(400);
    expect(unknownHost.json().errors[0]).toMatchObject({ path: '/hostCityCode', message: expect.stringContaining('名簿') });
    const badDigit = await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 't', hostCityCode: '282048', deadline: '2027-01-31' } });
    expect(badDigit.statusCode).toBe(400);
    expect(badDigit.json().errors).toEqual([{ path: '/hostCityCode', message: expect.stringContaining('検査数字') }]);
  });

  it('moves status only as API.md allows; any other move is 409 with a Japanese message', async () => {
    const created = (await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: '状態', hostCityCode: '282049', deadline: '2027-01-31' } })).json();
    const move = (status: string) => inject({ method: 'PATCH', url: `/api/v1/surveys/${created.id}`, headers: auth, payload: { status } });
    expect((await move('published')).statusCode).toBe(409);
    expect((await move('open')).json().status).toBe('open');
    const back = await move('draft');
    expect(back.statusCode).toBe(409);
    expect(back.json().message).toMatch(/変更することはできません/);
    expect((await move('closed')).json().status).toBe('closed');
    expect((await move('open')).json().status).toBe('open');
    expect((await move('closed')).statusCode).toBe(200);
    expect((await move('published')).json().status).toBe('published');
    expect((await move('open')).statusCode).toBe(409);
  });

  it('an unknown survey is 404 and a non-numeric id is 400', async () => {
    expect((await inject({ method: 'GET', url: '/api/v1/surveys/9999', headers: auth })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: '/api/v1/surveys/abc', headers: auth })).statusCode).toBe(400);
  });

  it('adds participants with a population snapshot that later roster edits do not move', async () => {
    const survey = (await inject({ method: 'POST', url: '/api/v1/surveys', headers: auth, payload: { title: 'スナップショット', hostCityCode: '282049', deadline: '2027-01-31' } })).json();
    expect(survey.participants).toBe(1);
    const res = await inject({ method: 'POST', url: `/api/v1/surveys/${survey.id}/participants`, headers: auth, payload: { cityCodes: ['282022', '202029'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().participants).toBe(3);
    await inject({ method: 'PUT', url: '/api/v1/cities', headers: auth, payload: [{ code: '202029', name: '松本市', prefecture: '長野県', population: 600000 }] });
    const rows = await ctx.database.db.selectFrom('participants').selectAll().where('survey_id', '=', survey.id).where('city_code', '=', '202029').execute();
    expect(rows[0].band_index).toBe(0);
    expect(rows[0].population).toBeLessThan(300000);
  });

  it('refuses participants that are not on the roster, pointing at the entry', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/surveys/1/participants', headers: auth, payload: { cityCodes: ['282022', '130001'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/cityCodes/1');
  });
});
