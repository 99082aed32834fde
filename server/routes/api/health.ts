// GET /health: 200 once the database answers and is migrated, 503 otherwise.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pingDatabase } from '../../db/database.js';
import { isMigrated } from '../../db/migrate.js';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: '稼働確認',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      if (!(await pingDatabase(app.db))) {
        return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reason: 'データベースに接続できません' });
      }
      if (!(await isMigrated(app.db, app.database.schema))) {
        return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reason: 'データベースの移行（マイグレーション）が完了していません' });
      }
      return { status: 'ok' as const };
    },
  );
};

export default healthRoutes;
