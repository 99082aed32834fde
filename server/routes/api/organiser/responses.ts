// Organiser's view of responses: status per participant, one city's answers, and keying in / correcting
// a city's answers (audited; `submit: true` also submits).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../../plugins/auth.js';
import { listResponseStatuses } from '../../../repositories/responses.js';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { CityResponseParams, OrganiserResponseInputSchema, OrganiserSavedSchema, ResponseListSchema } from '../../../schemas/response.js';
import { getResponse, saveResponse, toAnswersView } from '../../../services/responses.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const responseRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/surveys/:id/responses',
    {
      schema: {
        tags: ['responses'],
        summary: '回答状況の一覧（照会先団体ごと）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        response: { 200: ResponseListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rows = await listResponseStatuses(app.db, request.params.id);
      return rows.map((r) => ({ ...r, submittedAt: iso(r.submittedAt), updatedAt: iso(r.updatedAt) }));
    },
  );

  app.get(
    '/surveys/:id/responses/:cityCode',
    {
      schema: {
        tags: ['responses'],
        summary: '団体の回答の取得',
        security: [{ bearer: [] }],
        params: CityResponseParams,
        response: { 200: OrganiserSavedSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const state = await getResponse(app.db, request.params.id, request.params.cityCode);
      return {
        cityCode: request.params.cityCode,
        status: state.status,
        version: state.version,
        submittedAt: state.submittedAt,
        hasUnsubmittedChanges: state.hasUnsubmittedChanges,
        answers: state.answers,
        submittedAnswers: state.submitted ? toAnswersView(state.submitted) : null,
      };
    },
  );

  app.put(
    '/surveys/:id/responses/:cityCode',
    {
      schema: {
        tags: ['responses'],
        summary: '照会元による回答の代理入力・修正（監査ログに記録。submit: true で送信。締切後は reason が必要、結果公表中は 409）',
        description: 'version を指定すると、古い場合は 409。省略した項目は変更しません。',
        security: [{ bearer: [] }],
        params: CityResponseParams,
        body: OrganiserResponseInputSchema,
        response: { 200: OrganiserSavedSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { version, submit, reason, ...input } = request.body;
      const { id, cityCode } = request.params;
      const saved = await saveResponse(app.db, { surveyId: id, cityCode, input, expectedVersion: version, actor: organiserActor(request), submit: submit === true, reason, now: app.clock(), definitions: app.surveyDefinitions });
      return { cityCode, status: saved.status, version: saved.version, submittedAt: saved.submittedAt, hasUnsubmittedChanges: saved.hasUnsubmittedChanges, answers: saved.answers };
    },
  );
};

export default responseRoutes;
