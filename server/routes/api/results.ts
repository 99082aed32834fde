// Results API: the benchmark table of a survey for organisers (API.md «Results»).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, SurveyIdParams } from '../../schemas/common.js';
import { ResultsQuery, ResultsSchema } from '../../schemas/results.js';
import { editionForRespondent } from '../../services/publications.js';
import { getSurveyOr404 } from '../../services/surveys.js';
import { Type } from '@sinclair/typebox';

const resultsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/surveys/:id/results',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['results'],
        summary: '集計結果（人口区分別の実施・検討数、総数、実施・検討率、本市の回答）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        querystring: ResultsQuery,
        response: { 200: ResultsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => app.resultsCache.get(app.db, request.params.id, { includeRetired: request.query.includeRetired }),
  );

  app.get(
    '/api/v1/response/results',
    {
      preHandler: app.requireRespondent,
      schema: {
        tags: ['respondent'],
        summary: '公表された調査結果（結果公表後、回答を送信した団体のみ。公表した版の内容で、照会元が公表し直すまで変わりません）',
        security: [{ invitation: [] }],
        response: { 200: Type.Object({ ...ResultsSchema.properties, edition: Type.Integer({ description: '第 N 版' }), publishedAt: Type.String() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      const survey = await getSurveyOr404(app.db, surveyId);
      const edition = await editionForRespondent(app.db, survey, cityCode);
      return { ...edition.data.results, edition: edition.edition, publishedAt: edition.publishedAt.toISOString() };
    },
  );
};

export default resultsRoutes;
