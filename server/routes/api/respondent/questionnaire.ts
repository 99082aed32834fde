// The questionnaire as a workbook (調査票.xlsx): download prefilled, upload filled (saved as the draft,
// or ?dryRun=true to only see what would change) — for the respondent, and for the organiser for any city.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_UPLOAD_BYTES } from '../../../../exports/upload-guard.js';
import { organiserActor } from '../../../plugins/auth.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { errorResponses } from '../../../schemas/common.js';
import { CityResponseParams } from '../../../schemas/response.js';
import { importQuestionnaire } from '../../../services/questionnaire-import.js';
import { getSurveyOr404 } from '../../../services/surveys.js';
import { questionnaireWorkbook, XLSX_TYPE } from '../../../services/workbooks.js';
import { sendWorkbook, XlsxFile } from '../organiser/workbooks.js';

export const ImportResultSchema = Type.Object({
  status: Type.Union([Type.Literal('not_started'), Type.Literal('draft'), Type.Literal('submitted')], { description: '保存後の回答の状態（dryRun では現在の状態）' }),
  version: Type.Integer(),
  saved: Type.Boolean({ description: 'false: dryRun、または変更がなく保存しなかった' }),
  changed: Type.Array(
    Type.Object({
      path: Type.String({ description: '回答の項目（JSON Pointer）' }),
      cell: Type.String({ description: '調査票のセル（例: 調査票!D30）' }),
      label: Type.String(),
      before: Type.String(),
      after: Type.String(),
    }),
  ),
});

const DryRunQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean({ description: 'true: 保存せず、変更点だけを返す' })) });

const questionnaireRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Uploads arrive as the raw workbook; other bodies reach the handler as non-buffers and get a clear 422.
  for (const type of [XLSX_TYPE, 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
  }
  const uploadSchema = { body: Type.Unsafe<unknown>({ description: '記入した調査票（.xlsx）' }), querystring: DryRunQuery, consumes: [XLSX_TYPE] };

  app.get(
    '/api/v1/response/questionnaire.xlsx',
    {
      preHandler: app.requireRespondent,
      schema: { tags: ['respondent'], summary: '調査票（Excel）を現在の回答入りでダウンロード', security: [{ bearer: [] }], produces: [XLSX_TYPE], response: { 200: XlsxFile, ...errorResponses(401, 404) } },
    },
    async (request, reply) => {
      const { surveyId, cityCode } = request.respondent!;
      const { workbook, cityName } = await questionnaireWorkbook(app.db, surveyId, cityCode, app.config.jwtSecret);
      return sendWorkbook(reply, workbook, `調査票_${cityName}.xlsx`, `questionnaire-${cityCode}.xlsx`);
    },
  );

  app.put(
    '/api/v1/response/questionnaire.xlsx',
    {
      preHandler: [app.requireRespondent, app.respondentCsrf],
      schema: {
        tags: ['respondent'],
        summary: '記入した調査票（Excel）をアップロードして一時保存（?dryRun=true は変更点のみ）',
        security: [{ bearer: [] }],
        ...uploadSchema,
        response: { 200: ImportResultSchema, ...errorResponses(401, 403, 404, 409, 413, 422) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      return importQuestionnaire(app.db, { surveyId, cityCode, body: request.body, dryRun: request.query.dryRun === true, actor: respondentActor(request), secret: app.config.jwtSecret, now: app.clock() });
    },
  );

  app.get(
    '/api/v1/surveys/:id/responses/:cityCode/questionnaire.xlsx',
    {
      preHandler: app.requireOrganiser,
      schema: { tags: ['responses'], summary: '団体の調査票（Excel）を現在の回答入りでダウンロード', security: [{ bearer: [] }], params: CityResponseParams, produces: [XLSX_TYPE], response: { 200: XlsxFile, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const { id, cityCode } = request.params;
      await getSurveyOr404(app.db, id);
      const { workbook, cityName } = await questionnaireWorkbook(app.db, id, cityCode, app.config.jwtSecret);
      return sendWorkbook(reply, workbook, `調査票_${cityName}.xlsx`, `questionnaire-${cityCode}.xlsx`);
    },
  );

  app.put(
    '/api/v1/surveys/:id/responses/:cityCode/questionnaire.xlsx',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['responses'],
        summary: '団体の調査票（Excel）を取り込んで一時保存（照会元による代理入力。?dryRun=true は変更点のみ）',
        security: [{ bearer: [] }],
        params: CityResponseParams,
        ...uploadSchema,
        response: { 200: ImportResultSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request) => {
      const { id, cityCode } = request.params;
      await getSurveyOr404(app.db, id);
      return importQuestionnaire(app.db, { surveyId: id, cityCode, body: request.body, dryRun: request.query.dryRun === true, actor: organiserActor(request), secret: app.config.jwtSecret, now: app.clock() });
    },
  );
};

export default questionnaireRoutes;
