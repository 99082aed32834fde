// The organiser's own session: DELETE /api/v1/session ends every session of that organiser; POST
// /api/v1/session/password changes the password (and also ends every session, this one included: log in again).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../../../domain/errors.js';
import { errorResponses } from '../../../schemas/common.js';
import { changeOwnPassword } from '../../../services/accounts.js';

const organiserSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.delete(
    '/session',
    {
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

export default organiserSessionRoutes;
