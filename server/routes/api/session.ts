// POST /api/v1/session: an organiser logs in with e-mail and password and receives a bearer token;
// DELETE ends every session of that organiser; POST /api/v1/session/password changes the password (and
// also ends every session, this one included: log in again with the new password).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest, unauthorized } from '../../domain/errors.js';
import { authenticateOrganiser, changeOwnPassword } from '../../services/accounts.js';
import { errorResponses } from '../../schemas/common.js';

export const LOGIN_FAILED_MESSAGE = 'メールアドレスまたはパスワードが正しくありません';

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/session',
    {
      preHandler: app.loginRateLimit,
      schema: {
        tags: ['session'],
        summary: '照会元のログイン',
        body: Type.Object(
          { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request) => {
      const organiser = await authenticateOrganiser(app.db, request.body.email, request.body.password);
      if (!organiser) throw unauthorized(LOGIN_FAILED_MESSAGE);
      return app.signOrganiserSession(organiser);
    },
  );

  app.delete(
    '/session',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['session'],
        summary: 'ログアウト（このアカウントのすべてのセッションを終了。以後そのトークンは 401）',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await app.endOrganiserSessions(request.organiser!.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/session/password',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['session'],
        summary: 'パスワードの変更（このアカウントのすべてのセッションを終了）',
        security: [{ bearer: [] }],
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const changed = await changeOwnPassword(app.db, request.organiser!, request.body.currentPassword, request.body.newPassword);
      if (changed === 'wrong-password') {
        const message = '現在のパスワードが正しくありません。';
        throw badRequest(message, [{ path: '/currentPassword', message }]);
      }
      return reply.code(204).send(null);
    },
  );
};

export default sessionRoutes;
