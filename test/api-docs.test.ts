// The OpenAPI document is the API's only documentation a user has: it states the conventions, the
// authentication and the error format itself, and points at no file outside the platform.
// Fetched over real HTTP with supertest, as an outside system reading /docs/json would.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from './helper.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await buildTestApp();
});
afterAll(() => ctx.close());

describe('the OpenAPI document describes the API by itself', () => {
  it('states the conventions, both kinds of Bearer token and the error body, in Japanese and English', async () => {
    const res = await request(ctx.app.server).get('/docs/json').expect(200).expect('content-type', /json/);
    const description: string = res.body.info.description;
    expect(description).toContain('Authorization: Bearer');
    expect(description).toContain('POST /api/v1/session');
    expect(description).toContain('依頼トークン');
    expect(description).toContain('errors: [{ path, message }]');
    expect(description).toContain('statusCode');
    expect(description).toMatch(/401/);
    expect(description).toMatch(/403/);
    expect(description).toMatch(/Every 4xx\/5xx body is JSON/);
    expect(description).toContain('282049');
  });

  it('lists each value of the API with the Japanese word the pages use, and the glossary', async () => {
    const res = await request(ctx.app.server).get('/docs/json').expect(200);
    const description: string = res.body.info.description;
    // the words of API.md «A response» and the published table, written out here, not taken from the code
    for (const pair of ['`implemented`（実施済）', '`studying`（検討中）', '`anonymous`（市名を伏せれば公表してよい）', '`merge`（他計画へ統合）', '`closed`（締切）']) {
      expect(description).toContain(pair);
    }
    expect(description).toMatch(/\| `hostCity` \| 本市/);
    expect(description).toMatch(/\| `rate` \| 実施・検討率/);
  });

  it('sends no reader to a document they do not have', async () => {
    const res = await request(ctx.app.server).get('/docs/json').expect(200);
    expect(JSON.stringify(res.body)).not.toMatch(/shared\/|API\.md/);
  });
});

describe('the OpenAPI document names who may call each operation', () => {
  const operations = async () => {
    const doc = (await request(ctx.app.server).get('/docs/json').expect(200)).body as {
      tags: Array<{ name: string }>;
      paths: Record<string, Record<string, { tags?: string[]; security?: Array<Record<string, unknown>> }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, ...op })));
    return { doc, ops };
  };

  it('declares every tag an operation is listed under', async () => {
    const { doc, ops } = await operations();
    const declared = new Set(doc.tags.map((t) => t.name));
    const undeclared = ops.flatMap((op) => (op.tags ?? []).filter((t) => !declared.has(t)).map((t) => `${op.method} ${op.path}: ${t}`));
    expect(undeclared).toEqual([]);
  });

  it('asks the respondent routes for the invitation token and the organiser routes for the organiser token', async () => {
    const { ops } = await operations();
    const schemes = (op: { security?: Array<Record<string, unknown>> }) => (op.security ?? []).flatMap((s) => Object.keys(s)).join(',');
    const respondent = ops.filter((op) => op.path === '/api/v1/response' || op.path.startsWith('/api/v1/response/'));
    const organiser = ops.filter((op) => op.path.startsWith('/api/v1/surveys') || op.path.startsWith('/api/v1/cities'));
    expect(respondent.length).toBeGreaterThan(10);
    expect(organiser.length).toBeGreaterThan(15);
    expect(respondent.filter((op) => schemes(op) !== 'invitation').map((op) => `${op.method} ${op.path}`)).toEqual([]);
    expect(organiser.filter((op) => schemes(op) !== 'bearer').map((op) => `${op.method} ${op.path}`)).toEqual([]);
  });
});
