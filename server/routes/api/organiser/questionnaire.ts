// The organiser's copy of a city's questionnaire (調査票.xlsx): download it prefilled, or key in a filled one
// for the city (saved as its draft, or ?dryRun=true to only see what would change).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../../plugins/auth.js';
import { errorResponses } from '../../../schemas/common.js';
import { ImportResultSchema, questionnaireUpload } from '../../../schemas/questionnaire.js';
import { CityResponseParams } from '../../../schemas/response.js';
import { importQuestionnaire } from '../../../services/questionnaire-import.js';
import { questionnaireWorkbook, XLSX_TYPE } from '../../../services/workbooks.js';
import { acceptWorkbookUploads, sendWorkbook, XlsxFile } from '../downloads.js';

const organiserQuestionnaireRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptWorkbookUploads(app);

  app.get(
    '/surveys/:id/responses/:cityCode/questionnaire.xlsx',
    {
      schema: { tags: ['responses'], summary: '団体の調査票（Excel）を現在の回答入りでダウンロード', security: [{ bearer: [] }], params: CityResponseParams, produces: [XLSX_TYPE], response: { 200: XlsxFile, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const { cityCode } = request.params;
      const { workbook, cityName } = await questionnaireWorkbook(app.db, request.survey!.id, cityCode, app.config.jwtSecret);
      return sendWorkbook(reply, workbook, `調査票_${cityName}.xlsx`, `questionnaire-${cityCode}.xlsx`);
    },
  );

  app.put(
    '/surveys/:id/responses/:cityCode/questionnaire.xlsx',
    {
      schema: {
        tags: ['responses'],
        summary: '団体の調査票（Excel）を取り込んで一時保存（照会元による代理入力。?dryRun=true は変更点のみ）',
        security: [{ bearer: [] }],
        params: CityResponseParams,
        ...questionnaireUpload,
        response: { 200: ImportResultSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request) => {
      const { cityCode } = request.params;
      return importQuestionnaire(app.db, { surveyId: request.survey!.id, cityCode, body: request.body, dryRun: request.query.dryRun === true, actor: organiserActor(request), secret: app.config.jwtSecret, now: app.clock() });
    },
  );
};

export default organiserQuestionnaireRoutes;
