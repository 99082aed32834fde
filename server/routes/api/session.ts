// POST /api/v1/session: an organiser logs in with e-mail and password and receives a bearer token (ending
// a session and changing the password are organiser routes: organiser/session.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { unauthorized } from '../../domain/errors.js';
import { authenticateOrganiser } from '../../services/accounts.js';
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
};

export default sessionRoutes;
