// Issuing personal links (API.md: POST /api/v1/surveys/:id/invitations), optionally e-mailed to each city
// through the console's own sending path, so the survey's edited invitation text is used here too.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { organiserActor } from '../../../plugins/auth.js';
import { errorResponses, SurveyIdParams } from '../../../schemas/common.js';
import { emptyBodyAsObject, InvitationsBody, IssuedInvitationSchema } from '../../../schemas/response.js';
import { issueInvitations } from '../../../services/invitations.js';
import { issueAndSendInvitations, MAIL_OUTCOME_MESSAGES, type MailedInvitation, remind } from '../../../services/mailings.js';

const REMINDER_OUTCOME_MESSAGES = {
  queued: '督促メールを送信しています（数秒で送信されます）。',
  sent: '督促メールを送信しました。',
  outbox: 'メール送信（SMTP）が設定されていないため、送信トレイに保存しました。',
  failed: '督促メールの送信に失敗しました。送信待ちの一覧から再送してください。',
  no_address: '団体名簿にメールアドレスが登録されていないため、督促メールを送信していません。',
} as const;

const ReminderSchema = Type.Object({
  cityCode: Type.String(),
  url: Type.String({ description: 'その団体の現在の個人用リンク（依頼メールと同じ）' }),
  mail: Type.Optional(IssuedInvitationSchema.properties.mail),
});

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/surveys/:id/invitations',
    {
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
      const deps = { db: app.db, mailer: app.mailer, publicUrl: app.config.publicUrl, actor: organiserActor(request), links: app.links, now: app.clock() };
      const { cityCodes, send } = request.body;
      if (send) {
        const mailed = await issueAndSendInvitations(deps, request.params.id, cityCodes);
        return reply.code(201).send(
          mailed.map((i) => ({ cityCode: i.cityCode, url: i.url, token: i.token, mail: { status: i.outcome.status, to: i.outcome.to, message: MAIL_OUTCOME_MESSAGES[i.outcome.status] } })),
        );
      }
      const issued = await issueInvitations(app.db, { ...app.links, surveyId: request.params.id, cityCodes, actor: deps.actor, now: deps.now });
      return reply.code(201).send(issued.map((i) => ({ cityCode: i.cityCode, url: i.url, token: i.token })));
    },
  );

  app.post(
    '/surveys/:id/reminders',
    {
      preValidation: emptyBodyAsObject,
      schema: {
        tags: ['invitations'],
        summary: '督促（各団体の現在の個人用リンクを再送。リンクは変わらず、無効にもなりません）',
        description:
          'cityCodes を省略すると、回答を送信していない照会先団体（本市を除く）すべてが対象です。url は依頼メールと同じ、その団体の現在のリンクです（まだリンクのない団体には最初のリンクを発行します）。send: true で督促メールの文面で送信します。',
        security: [{ bearer: [] }],
        params: SurveyIdParams,
        body: InvitationsBody,
        response: { 201: Type.Array(ReminderSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const deps = { db: app.db, mailer: app.mailer, publicUrl: app.config.publicUrl, actor: organiserActor(request), links: app.links, now: app.clock() };
      const { cityCodes, send } = request.body;
      const links = await remind(deps, request.params.id, { cityCodes, send: send === true });
      return reply.code(201).send(
        links.map((l) => {
          const outcome = (l as MailedInvitation).outcome;
          return { cityCode: l.cityCode, url: l.url, ...(outcome ? { mail: { status: outcome.status, to: outcome.to, message: REMINDER_OUTCOME_MESSAGES[outcome.status] } } : {}) };
        }),
      );
    },
  );
};

export default invitationRoutes;
