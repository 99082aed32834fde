// The survey's invitation and reminder mail texts (the console's メール文面 page, as JSON): read, replace, reset.
// A text is checked before it is saved (mail/mail-texts.ts checkMailText): unknown {{placeholders}} and
// Handlebars syntax errors come back as a 400 with Japanese messages naming the line.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAIL_FIELDS } from '../../../mail/mail-texts.js';
import { organiserActor } from '../../../plugins/auth.js';
import { errorResponses } from '../../../schemas/common.js';
import { saveMailText, surveyMailText } from '../../../services/mailings.js';
import { findSurvey } from '../../../repositories/surveys.js';

const KindParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  kind: Type.Union([Type.Literal('invitation'), Type.Literal('reminder')], { description: 'invitation（依頼メール）または reminder（督促メール）' }),
});

const MailTextSchema = Type.Object({
  subject: Type.String({ description: '件名（Handlebars の差し込み {{cityName}} などを使えます）' }),
  body: Type.String({ description: '本文（貴市専用のリンク {{url}} を必ず含みます）' }),
  custom: Type.Boolean({ description: 'false: 既定の文面（templates/mail/）' }),
});

const MailTextsSchema = Type.Object({
  invitation: MailTextSchema,
  reminder: MailTextSchema,
  fields: Type.Array(Type.Object({ name: Type.String(), label: Type.String() }), { description: '使える差し込み' }),
});

const MailTextBody = Type.Object(
  { subject: Type.String({ maxLength: 500 }), body: Type.String({ maxLength: 20000 }) },
  { additionalProperties: false },
);

const mailTextRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/surveys/:id/mail-texts',
    {
      schema: {
        tags: ['surveys'],
        summary: '依頼・督促メールの文面と、使える差し込みの一覧',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: MailTextsSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const survey = request.survey!;
      return { invitation: surveyMailText(survey, 'invitation'), reminder: surveyMailText(survey, 'reminder'), fields: MAIL_FIELDS };
    },
  );

  app.put(
    '/surveys/:id/mail-texts/:kind',
    {
      schema: {
        tags: ['surveys'],
        summary: 'メール文面の保存',
        description:
          '一覧にない差し込み（{{cityname}} など）や、差し込みの書き方の誤り（閉じていない {{ や {{#if}}）があれば 400 で、errors に行番号と日本語の説明を返し、何も保存しません。',
        security: [{ bearer: [] }],
        params: KindParams,
        body: MailTextBody,
        response: { 200: MailTextSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const text = { subject: request.body.subject, body: request.body.body.replace(/\r\n/g, '\n') };
      await saveMailText(app.db, request.params.id, request.params.kind, text, organiserActor(request));
      return surveyMailText((await findSurvey(app.db, request.params.id))!, request.params.kind);
    },
  );

  app.delete(
    '/surveys/:id/mail-texts/:kind',
    {
      schema: {
        tags: ['surveys'],
        summary: 'メール文面を既定の文面に戻す',
        security: [{ bearer: [] }],
        params: KindParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await saveMailText(app.db, request.params.id, request.params.kind, 'reset', organiserActor(request));
      return reply.code(204).send(null);
    },
  );
};

export default mailTextRoutes;
