// Results API: the benchmark table of a survey for organisers (API.md «Results»).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { ResultsQuery, ResultsSchema } from '../../../schemas/results.js';

const resultsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/surveys/:id/results',
    {
      schema: {
        tags: ['results'],
        summary: '集計結果（人口区分別の実施・検討数、総数、実施・検討率、本市の回答）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        querystring: ResultsQuery,
        response: { 200: ResultsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => app.resultsCache.get(app.db, request.survey!.id, { includeRetired: request.query.includeRetired }),
  );
};

export default resultsRoutes;
