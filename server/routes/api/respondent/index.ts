// The respondent's JSON API (under /api/v1/response): one invitation check for every route (Bearer = the raw
// invitation token, or the respondent cookie; writes then add app.respondentCsrf).
import type { FastifyPluginAsync } from 'fastify';
import planDocumentRoutes from './plan-documents.js';
import questionnaireRoutes from './questionnaire.js';
import respondentRoutes from './response.js';
import respondentResultsRoutes from './results.js';

const respondentApi: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', app.requireRespondent);
  await app.register(respondentRoutes);
  await app.register(respondentResultsRoutes);
  await app.register(questionnaireRoutes);
  await app.register(planDocumentRoutes);
};

export default respondentApi;
