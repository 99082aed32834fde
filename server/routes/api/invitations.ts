// Issuing personal links (API.md: POST /api/v1/surveys/:id/invitations), optionally e-mailed to each city.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../plugins/auth.js';
import { errorResponses, SurveyIdParams } from '../../schemas/common.js';
import { emptyBodyAsObject, InvitationsBody, IssuedInvitationSchema } from '../../schemas/response.js';
import { issueInvitations } from '../../services/invitations.js';

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/surveys/:id/invitations',
    {
      preHandler: app.requireOrganiser,
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['invitations'],
        summary: '個人用リンクの発行（団体ごとに 1 件。再発行で以前のリンクは無効。send: true でメール送信）',
        description: 'cityCodes を省略すると、有効なリンクのない照会先団体すべてに発行します。token はこの応答でのみ表示します。send: true のとき、各要素の mail にメールの結果（メールアドレスのない団体は no_address）を示します。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: InvitationsBody,
        response: { 201: Type.Array(IssuedInvitationSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const issued = await issueInvitations(app.db, {
        surveyId: request.params.id,
        cityCodes: request.body.cityCodes,
        send: request.body.send,
        actor: organiserActor(request),
        publicUrl: app.config.publicUrl,
        mailer: app.mailer,
      });
      return reply.code(201).send(issued.map((i) => ({ cityCode: i.cityCode, url: i.url, token: i.token, ...(i.mail ? { mail: i.mail } : {}) })));
    },
  );
};

export default invitationRoutes;
