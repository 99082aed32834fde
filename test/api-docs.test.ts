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
