// The organiser's results workbook (API.md «Workbooks») for any survey, and 「調査結果の送付」 once published.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { organiserActor } from '../../../plugins/auth.js';
import { notifyResults } from '../../../services/results-notify.js';
import { DomainError } from '../../../domain/errors.js';
import { attachment, XLSX_TYPE } from '../../../services/workbooks.js';
import { XlsxFile } from '../downloads.js';

/** Downloads of the organiser's results workbook per organiser and minute (counted on every instance). */
export const RESULTS_XLSX_LIMIT_PER_MINUTE = 10;


const workbookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/surveys/:id/results.xlsx',
    {
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
      const { buffer, title, date } = await app.resultsWorkbookCache.get(app.db, request.survey!.id, app.clock());
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', attachment(`${title}_集計結果_${date}.xlsx`, `results-${request.survey!.id}.xlsx`))
        .header('cache-control', 'private, no-store')
        .send(buffer);
    },
  );

  app.post(
    '/surveys/:id/results/notify',
    {
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
      const results = await notifyResults(app.db, app.mailer, { surveyId: request.survey!.id, links: app.links, actor: organiserActor(request), now: app.clock() });
      return { notified: results.filter((r) => r.status === 'sent' || r.status === 'outbox').length, results };
    },
  );
};

export default workbookRoutes;
