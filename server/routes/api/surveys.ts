// Survey set-up API: create, read, edit/move status, add participants.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../plugins/auth.js';
import { errorResponses, SurveyIdParams } from '../../schemas/common.js';
import { CreateSurveyBody, ParticipantsBody, PatchSurveyBody, SurveySchema } from '../../schemas/surveys.js';
import { listSurveys } from '../../repositories/surveys.js';
import { addSurveyParticipants, createSurvey, getSurveyOr404, patchSurvey, surveyView } from '../../services/surveys.js';

const surveyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', app.requireOrganiser);

  app.get(
    '/api/v1/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の一覧',
        security: [{ bearer: [] }],
        response: { 200: Type.Array(SurveySchema), ...errorResponses(401, 403) },
      },
    },
    async () => Promise.all((await listSurveys(app.db)).map((s) => surveyView(app.db, s))),
  );

  app.post(
    '/api/v1/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の作成（テンプレートから）',
        security: [{ bearer: [] }],
        body: CreateSurveyBody,
        response: { 201: SurveySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const survey = await createSurvey(app.db, request.body, organiserActor(request));
      return reply.code(201).send(await surveyView(app.db, survey));
    },
  );

  app.get(
    '/api/v1/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の取得',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        response: { 200: SurveySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => surveyView(app.db, await getSurveyOr404(app.db, request.params.id)),
  );

  app.patch(
    '/api/v1/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の編集・状態の変更（draft→open, open→closed, closed→open, closed→published）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: PatchSurveyBody,
        response: { 200: SurveySchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => surveyView(app.db, await patchSurvey(app.db, request.params.id, request.body, organiserActor(request))),
  );

  app.post(
    '/api/v1/surveys/:id/participants',
    {
      schema: {
        tags: ['surveys'],
        summary: '照会先団体の追加（追加時点の人口を保持。本市は自動で加わる）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: ParticipantsBody,
        response: {
          200: Type.Object({ participants: Type.Integer({ description: '追加後の照会先団体の数（本市を含む）' }), added: Type.Integer() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => addSurveyParticipants(app.db, request.params.id, request.body.cityCodes, organiserActor(request)),
  );
};

export default surveyRoutes;
