// What a respondent receives once the survey is published and it had submitted: the results as published
// (API.md «Respondent») and its results workbook — both from the latest edition, never from live data.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../schemas/common.js';
import { ResultsSchema } from '../../../schemas/results.js';
import { editionForRespondent } from '../../../services/publications.js';
import { getSurveyOr404 } from '../../../services/surveys.js';
import { respondentResultsWorkbook, XLSX_TYPE } from '../../../services/workbooks.js';
import { sendWorkbook, XlsxFile } from '../downloads.js';

const respondentResultsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/response/results',
    {
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

  app.get(
    '/response/results.xlsx',
    {
      schema: {
        tags: ['respondent'],
        summary: '調査結果の Excel（結果公表後、回答を送信した団体のみ。公表しない団体は載りません）',
        security: [{ invitation: [] }],
        produces: [XLSX_TYPE],
        response: { 200: XlsxFile, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const { workbook, title, edition } = await respondentResultsWorkbook(app.db, surveyId, cityCode);
      return sendWorkbook(reply, workbook, `${title}_調査結果_第${edition}版.xlsx`, `results-${surveyId}-edition-${edition}.xlsx`);
    },
  );
};

export default respondentResultsRoutes;
