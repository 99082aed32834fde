// Plan documents API (API.md «Plan documents»), the organiser's part: list, download and search a survey's plans.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../../../domain/errors.js';
import { findPlanDocument } from '../../../repositories/plan-documents.js';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { OrganiserPlanDocumentSchema, PlanFile, SearchHitSchema } from '../../../schemas/plan-documents.js';
import { listPlanDocuments } from '../../../services/plan-documents.js';
import { searchPlans } from '../../../services/plan-search.js';
import { planDocumentMeta, sendPlanFile } from '../downloads.js';

const SurveyDocParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), docId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

const organiserPlanDocumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/surveys/:id/plan-documents',
    {
      schema: { tags: ['surveys'], summary: '調査に添付された計画書の一覧', security: [{ bearer: [] }], params: SurveyIdParams, response: { 200: Type.Array(OrganiserPlanDocumentSchema), ...errorResponses(401, 403, 404) } },
    },
    async (request) => {
      return (await listPlanDocuments(app.db, { surveyId: request.survey!.id })).map((d) => ({ ...planDocumentMeta(d), cityCode: d.city_code }));
    },
  );

  app.get(
    '/surveys/:id/plan-documents/search',
    {
      schema: {
        tags: ['surveys'],
        summary: '計画書の全文検索（ページ番号と前後の文）',
        description: '部分一致で探すので、「RPA」「BCP」「電子」のような 2〜3 文字の語も見つかります。全角・半角、英字の大小は区別しません。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: Type.Array(SearchHitSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      return (await searchPlans(app.db, request.survey!.id, request.query.q)).map((h) => ({ docId: h.docId, cityCode: h.cityCode, page: h.page, snippet: h.snippet }));
    },
  );

  app.get(
    '/surveys/:id/plan-documents/:docId',
    {
      schema: { tags: ['surveys'], summary: '計画書のファイル', security: [{ bearer: [] }], params: SurveyDocParams, response: { 200: PlanFile, ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const doc = await findPlanDocument(app.db, request.params.docId);
      if (!doc || doc.survey_id !== request.survey!.id) throw notFound('計画書');
      return sendPlanFile(reply, app.db, doc);
    },
  );
};

export default organiserPlanDocumentRoutes;
