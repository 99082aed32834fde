// The respondent's questionnaire as a workbook (調査票.xlsx): download prefilled, upload filled (saved as the
// draft, or ?dryRun=true to only see what would change).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { errorResponses } from '../../../schemas/common.js';
import { ImportResultSchema, questionnaireUpload } from '../../../schemas/questionnaire.js';
import { importQuestionnaire } from '../../../services/questionnaire-import.js';
import { questionnaireWorkbook, XLSX_TYPE } from '../../../services/workbooks.js';
import { acceptWorkbookUploads, sendWorkbook, XlsxFile } from '../downloads.js';

const questionnaireRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptWorkbookUploads(app);

  app.get(
    '/response/questionnaire.xlsx',
    {
      schema: { tags: ['respondent'], summary: '調査票（Excel）を現在の回答入りでダウンロード', security: [{ invitation: [] }], produces: [XLSX_TYPE], response: { 200: XlsxFile, ...errorResponses(401, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const { workbook, cityName } = await questionnaireWorkbook(app.db, surveyId, cityCode, app.config.jwtSecret);
      return sendWorkbook(reply, workbook, `調査票_${cityName}.xlsx`, `questionnaire-${cityCode}.xlsx`);
    },
  );

  app.put(
    '/response/questionnaire.xlsx',
    {
      preHandler: app.respondentCsrf,
      schema: {
        tags: ['respondent'],
        summary: '記入した調査票（Excel）をアップロードして一時保存（?dryRun=true は変更点のみ）',
        security: [{ invitation: [] }],
        ...questionnaireUpload,
        response: { 200: ImportResultSchema, ...errorResponses(401, 403, 404, 409, 413, 422) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      return importQuestionnaire(app.db, { surveyId, cityCode, body: request.body, dryRun: request.query.dryRun === true, actor: respondentActor(request), secret: app.config.jwtSecret, now: app.clock() });
    },
  );
};

export default questionnaireRoutes;
