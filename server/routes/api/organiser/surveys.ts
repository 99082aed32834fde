// Survey set-up API: create, read, edit/move status, add participants.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../../plugins/auth.js';
import { CityCode, errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { CreateSurveyBody, ParticipantsBody, PatchSurveyBody, SurveySchema } from '../../../schemas/surveys.js';
import { listMeasures, listSurveys } from '../../../repositories/surveys.js';
import { addMeasure, editMeasure } from '../../../services/survey-copy.js';
import { notFound } from '../../../domain/errors.js';
import { addSurveyParticipants, createSurvey, patchSurvey, surveyView } from '../../../services/surveys.js';
import { deleteDraftSurvey, removeParticipant } from '../../../services/survey-removal.js';

const MeasureCodeParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }) });
const MeasureOut = Type.Object({ code: Type.String(), category: Type.String(), label: Type.String(), position: Type.Integer(), retired: Type.Boolean() });
const measureOut = (m: { code: string; category: string; label: string; position: number; retired_at: Date | null }) => ({
  code: m.code,
  category: m.category,
  label: m.label,
  position: m.position,
  retired: m.retired_at !== null,
});

const surveyRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post(
    '/surveys/:id/measures',
    {
      schema: {
        tags: ['surveys'],
        summary: '対策の追加（調査が draft の間のみ。分類の最後に入る。既存にない分類は newCategory: true のときだけ作る）',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: Type.Object(
          { code: Type.String({ maxLength: 16 }), category: Type.String({ maxLength: 100 }), label: Type.String({ maxLength: 200 }), newCategory: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: MeasureOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(measureOut(await addMeasure(app.db, request.params.id, request.body, organiserActor(request)))),
  );

  app.patch(
    '/surveys/:id/measures/:code',
    {
      schema: {
        tags: ['surveys'],
        summary: '対策の名称の修正（draft・open・closed）、廃止・復活・並べ替え（draft のみ。それ以外は 409）',
        security: [{ bearer: [] }],
        params: MeasureCodeParams,
        body: Type.Object(
          {
            label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            retired: Type.Optional(Type.Boolean()),
            after: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 16 })], { description: '同じ分類のこの対策の後へ移動（null で分類の先頭へ）' })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: MeasureOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id, code } = request.params;
      const actor = organiserActor(request);
      const b = request.body;
      let m;
      if (b.label !== undefined || b.category !== undefined) m = await editMeasure(app.db, id, code, { action: 'rename', label: b.label ?? (await getMeasureLabel(id, code)), category: b.category }, actor);
      if (b.retired !== undefined) m = await editMeasure(app.db, id, code, { action: b.retired ? 'retire' : 'restore' }, actor);
      if (b.after !== undefined) m = await editMeasure(app.db, id, code, { action: 'move', after: b.after }, actor);
      return measureOut(m!);
    },
  );

  async function getMeasureLabel(surveyId: number, code: string): Promise<string> {
    const m = (await listMeasures(app.db, surveyId, { includeRetired: true })).find((x) => x.code === code);
    if (!m) throw notFound('対策');
    return m.label;
  }


  app.get(
    '/surveys',
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
    '/surveys',
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
    '/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の取得',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        response: { 200: SurveySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => surveyView(app.db, request.survey!),
  );

  app.patch(
    '/surveys/:id',
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
    async (request) => surveyView(app.db, await patchSurvey(app.db, request.params.id, request.body, organiserActor(request), app.clock())),
  );

  app.post(
    '/surveys/:id/participants',
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

  app.delete(
    '/surveys/:id/participants/:cityCode',
    {
      schema: {
        tags: ['surveys'],
        summary: '照会先団体から外す（依頼のリンクは直ちに無効、未送信のメールは取り消し。監査ログに残る）',
        description:
          '回答（一時保存を含む）も計画書もない団体はそのまま外します。回答か計画書がある団体は、`?confirm=true` を付けたときだけ外し（回答と計画書は削除され、' +
          '内容は監査ログに残ります）、付けないときは 409 と日本語の説明を返します。本市は外せません（409）。結果公表中の調査では外せません（409。先に公表を取り下げます）。',
        security: [{ bearer: [] }],
        params: Type.Object({ id: SurveyIdParams.properties.id, cityCode: CityCode }),
        querystring: Type.Object({ confirm: Type.Optional(Type.Boolean({ description: '回答・計画書がある団体も外す' })) }),
        response: {
          200: Type.Object({ participants: Type.Integer({ description: '外した後の照会先団体の数（本市を含む）' }) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) =>
      removeParticipant(app.db, { surveyId: request.params.id, cityCode: request.params.cityCode, confirm: request.query.confirm === true, actor: organiserActor(request) }),
  );

  app.delete(
    '/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        summary: '調査の削除（一度も公開していない準備中の調査のみ。それ以外は 409）',
        description: '対策・照会先団体・依頼（個人用リンク）・未送信のメールも削除します。削除した調査のリンクは使えなくなります。監査ログに調査の内容が残ります。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        response: { 204: Type.Null({ description: '削除しました' }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteDraftSurvey(app.db, { surveyId: request.params.id, actor: organiserActor(request) });
      return reply.code(204).send(null);
    },
  );
};

export default surveyRoutes;
