// Respondent API (API.md «Respondent»): read, save a draft, submit — Bearer = the raw invitation token
// (or the respondent cookie, then with a CSRF token on writes). A city only ever reaches its own response.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest, notFound } from '../../../domain/errors.js';
import { respondentActor } from '../../../plugins/respondent-auth.js';
import { findCity } from '../../../repositories/cities.js';
import { findSurvey, listMeasures } from '../../../repositories/surveys.js';
import { errorResponses } from '../../../schemas/common.js';
import { emptyBodyAsObject, RespondentViewSchema, ResponseInputSchema, SavedSchema, SubmittedSchema } from '../../../schemas/response.js';
import { discardChanges, getResponse, saveResponse, submitResponse } from '../../../services/responses.js';
import { sendReceipt } from '../../../services/response-summary.js';

const respondentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/response',
    {
      schema: {
        tags: ['respondent'],
        summary: '自団体の回答の取得（最初の保存前は空の値、version 0）',
        security: [{ invitation: [] }],
        response: { 200: RespondentViewSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      const survey = await findSurvey(app.db, surveyId);
      const city = await findCity(app.db, cityCode);
      if (!survey || !city) throw notFound('調査');
      const measures = await listMeasures(app.db, surveyId);
      const state = await getResponse(app.db, surveyId, cityCode);
      return {
        survey: { id: survey.id, title: survey.title, status: survey.status, deadline: survey.deadline, measures: measures.map((m) => ({ code: m.code, category: m.category, label: m.label })) },
        city: { code: city.code, name: city.name },
        status: state.status,
        version: state.version,
        submittedAt: state.submittedAt,
        hasUnsubmittedChanges: state.hasUnsubmittedChanges,
        answers: state.answers,
      };
    },
  );

  app.put(
    '/response',
    {
      preHandler: app.respondentCsrf,
      schema: {
        tags: ['respondent'],
        summary: '一時保存（version は最後に読んだ値。古い version は 409、受付中でない調査は 403）',
        description: '省略した項目は変更しません。null または空文字で消去します。年度は西暦の整数か和暦（平成26年度 / H26 / 令和2年度 / R2）、最新番号は "第4次" / "第四次" / 4 を受け付けます。',
        security: [{ invitation: [] }],
        body: ResponseInputSchema,
        response: { 200: SavedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { version, ...input } = request.body;
      if (version === undefined) {
        const message = 'version（最後に読み込んだ回答の版。GET /api/v1/response の version）を指定してください';
        throw badRequest(message, [{ path: '/version', message }]);
      }
      const { surveyId, cityCode } = request.respondent!;
      const saved = await saveResponse(app.db, { surveyId, cityCode, input, expectedVersion: version, actor: respondentActor(request), now: app.clock(), definitions: app.surveyDefinitions });
      return { status: saved.status, version: saved.version, hasUnsubmittedChanges: saved.hasUnsubmittedChanges };
    },
  );

  app.post(
    '/response/submit',
    {
      preHandler: app.respondentCsrf,
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['respondent'],
        summary: '回答の送信（未回答の必須項目があれば 422 と errors。受付中は再送信できます）',
        security: [{ invitation: [] }],
        body: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0, description: '指定すると、古い場合は 409' })) }),
        response: { 200: SubmittedSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      const saved = await submitResponse(app.db, { surveyId, cityCode, actor: respondentActor(request), expectedVersion: request.body.version, now: app.clock(), definitions: app.surveyDefinitions });
      if (saved.countedChanged) {
        const receipt = { surveyId, cityCode, model: saved.model, submittedAt: saved.submittedAt, now: app.clock() };
        app.runInBackground('receipt mail', () => sendReceipt(app.db, app.mailer, receipt));
      }
      return { status: 'submitted' as const, submittedAt: saved.submittedAt!, version: saved.version };
    },
  );

  app.post(
    '/response/discard',
    {
      preHandler: app.respondentCsrf,
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['respondent'],
        summary: '送信後の未送信の変更を取り消す（回答を送信済みの内容に戻す）',
        security: [{ invitation: [] }],
        body: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0, description: '指定すると、古い場合は 409' })) }),
        response: { 200: SavedSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { surveyId, cityCode } = request.respondent!;
      const saved = await discardChanges(app.db, { surveyId, cityCode, actor: respondentActor(request), expectedVersion: request.body.version, now: app.clock() });
      return { status: saved.status, version: saved.version, hasUnsubmittedChanges: saved.hasUnsubmittedChanges };
    },
  );
};

export default respondentRoutes;
