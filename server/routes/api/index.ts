// The JSON API (contract: API.md): /health at the root, the rest under /api/v1 — the session, then the
// organiser's and the respondent's groups, each with its own authentication hook. Errors stay JSON (plugins/errors.ts).
import type { FastifyPluginAsync } from 'fastify';
import healthRoutes from './health.js';
import organiserApi from './organiser/index.js';
import respondentApi from './respondent/index.js';
import sessionRoutes from './session.js';

const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(healthRoutes);
  await app.register(
    async (v1) => {
      await v1.register(sessionRoutes);
      await v1.register(organiserApi);
      await v1.register(respondentApi);
    },
    { prefix: '/api/v1' },
  );
};

export default apiRoutes;
