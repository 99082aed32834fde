// The roster API: PUT /api/v1/cities (upsert all-or-nothing), GET /api/v1/cities.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../../plugins/auth.js';
import { listCities } from '../../../repositories/cities.js';
import { CityInputSchema, CitySchema } from '../../../schemas/cities.js';
import { errorResponses } from '../../../schemas/common.js';
import { cityView, upsertRoster } from '../../../services/cities.js';

const cityRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.put(
    '/cities',
    {
      schema: {
        tags: ['cities'],
        summary: '団体名簿の登録・更新（団体コードで上書き、1 件でも誤りがあれば何も書き込まない）',
        security: [{ bearer: [] }],
        body: Type.Array(CityInputSchema, { maxItems: 5000 }),
        response: { 200: Type.Object({ upserted: Type.Integer() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ upserted: await upsertRoster(app.db, request.body, organiserActor(request)) }),
  );

  app.get(
    '/cities',
    {
      schema: {
        tags: ['cities'],
        summary: '団体名簿の一覧',
        security: [{ bearer: [] }],
        response: { 200: Type.Array(CitySchema), ...errorResponses(401, 403) },
      },
    },
    async () => (await listCities(app.db)).map(cityView),
  );
};

export default cityRoutes;
