// Issuing personal links (API.md: POST /api/v1/surveys/:id/invitations), optionally e-mailed to each city
// through the console's own sending path, so the survey's edited invitation text is used here too.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../plugins/auth.js';
import { errorResponses, SurveyIdParams } from '../../schemas/common.js';
import { emptyBodyAsObject, InvitationsBody, IssuedInvitationSchema } from '../../schemas/response.js';
import { issueInvitations } from '../../services/invitations.js';
import { issueAndSendInvitations, MAIL_OUTCOME_MESSAGES } from '../../services/mailings.js';

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/surveys/:id/invitations',
    {
      preHandler: app.requireOrganiser,
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['invitations'],
        summary: '個人用リンクの発行（団体ごとに 1 件。再発行で以前のリンクは無効。send: true でメール送信）',
        description: 'cityCodes を省略すると、有効なリンクのない照会先団体すべてに発行します。token はこの応答でのみ表示します。send: true のとき、照会元の画面で調査ごとに編集した依頼メールの文面（未編集なら既定の文面）で送り、各要素の mail にメールの結果（メールアドレスのない団体は no_address）を示します。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: InvitationsBody,
        response: { 201: Type.Array(IssuedInvitationSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const deps = { db: app.db, mailer: app.mailer, publicUrl: app.config.publicUrl, actor: organiserActor(request) };
      const { cityCodes, send } = request.body;
      if (send) {
        const mailed = await issueAndSendInvitations(deps, request.params.id, cityCodes);
        return reply.code(201).send(
          mailed.map((i) => ({ cityCode: i.cityCode, url: i.url, token: i.token, mail: { status: i.outcome.status, to: i.outcome.to, message: MAIL_OUTCOME_MESSAGES[i.outcome.status] } })),
        );
      }
      const issued = await issueInvitations(app.db, { surveyId: request.params.id, cityCodes, actor: deps.actor, publicUrl: deps.publicUrl });
      return reply.code(201).send(issued.map((i) => ({ cityCode: i.cityCode, url: i.url, token: i.token })));
    },
  );
};

export default invitationRoutes;
