// Results workbooks (API.md «Workbooks»): the organiser's for any survey, a respondent's once published.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type ExcelJS from 'exceljs';
import { workbookToBuffer } from '../../../exports/serialise.js';
import { errorResponses, SurveyIdParams } from '../../schemas/common.js';
import { organiserActor } from '../../plugins/auth.js';
import { notifyResults } from '../../services/results-notify.js';
import { DomainError } from '../../domain/errors.js';
import { attachment, respondentResultsWorkbook, XLSX_TYPE } from '../../services/workbooks.js';

/** Downloads of the organiser's results workbook per organiser and minute (counted on every instance). */
export const RESULTS_XLSX_LIMIT_PER_MINUTE = 10;


export const XlsxFile = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Excel ブック（.xlsx）' });

export async function sendWorkbook(reply: FastifyReply, workbook: ExcelJS.Workbook, fileName: string, asciiName: string) {
  const buffer = await workbookToBuffer(workbook);
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', attachment(fileName, asciiName))
    .header('cache-control', 'private, no-store')
    .send(buffer);
}

const workbookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/surveys/:id/results.xlsx',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['results'],
        summary: '集計結果（Excel）: 集計表・内訳・回答一覧・計画一覧・回答状況',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        produces: [XLSX_TYPE],
        response: { 200: XlsxFile, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const limit = await app.hitLimit(`results-xlsx:${request.organiser!.id}`, RESULTS_XLSX_LIMIT_PER_MINUTE, 60_000);
      if (!limit.allowed) {
        reply.header('Retry-After', String(limit.retryAfterSeconds));
        throw new DomainError(429, 'TOO_MANY_REQUESTS', `集計結果（Excel）のダウンロードは 1 分間に ${RESULTS_XLSX_LIMIT_PER_MINUTE} 回までです。${limit.retryAfterSeconds} 秒ほど待ってから、もう一度お試しください。`);
      }
      const { buffer, title, date } = await app.resultsWorkbookCache.get(app.db, request.params.id, app.clock());
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment(`${title}_集計結果_${date}.xlsx`, `results-${request.params.id}.xlsx`))
        .header('cache-control', 'private, no-store')
        .send(buffer);
    },
  );

  app.get(
    '/api/v1/response/results.xlsx',
    {
      preHandler: app.requireRespondent,
      schema: {
        tags: ['respondent'],
        summary: '回答団体向けの集計結果（Excel）: 結果公表後、回答を送信した団体のみ。公表しない団体は載りません',
        security: [{ bearer: [] }],
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

  app.post(
    '/api/v1/surveys/:id/results/notify',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['results'],
        summary: '調査結果の送付: 回答を送信した団体へ、回答画面で結果を確認できる旨をメールで知らせる（添付なし。結果公表後のみ）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        response: {
          200: Type.Object({
            notified: Type.Integer({ description: '送信または送信待ちにした件数' }),
            results: Type.Array(
              Type.Object({
                cityCode: Type.String(),
                cityName: Type.String(),
                status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('outbox'), Type.Literal('failed'), Type.Literal('no_address')]),
                to: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const results = await notifyResults(app.db, app.mailer, { surveyId: request.params.id, links: app.links, actor: organiserActor(request), now: app.clock() });
      return { notified: results.filter((r) => r.status === 'sent' || r.status === 'outbox').length, results };
    },
  );
};

export default workbookRoutes;
