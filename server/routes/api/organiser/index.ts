// The organiser's JSON API (under /api/v1): one login check for every route, and request.survey read once
// for every /surveys/:id… route (404 for an unknown survey before the handler runs).
import type { FastifyPluginAsync } from 'fastify';
import cityRoutes from './cities.js';
import invitationRoutes from './invitations.js';
import mailTextRoutes from './mail-texts.js';
import organiserPlanDocumentRoutes from './plan-documents.js';
import organiserQuestionnaireRoutes from './questionnaire.js';
import responseRoutes from './responses.js';
import resultsRoutes from './results.js';
import organiserSessionRoutes from './session.js';
import surveyRoutes from './surveys.js';
import workbookRoutes from './workbooks.js';

const organiserApi: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', app.requireOrganiser);
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url?.startsWith('/api/v1/surveys/:id')) await app.loadSurvey(request);
  });
  await app.register(organiserSessionRoutes);
  await app.register(cityRoutes);
  await app.register(surveyRoutes);
  await app.register(responseRoutes);
  await app.register(invitationRoutes);
  await app.register(mailTextRoutes);
  await app.register(resultsRoutes);
  await app.register(workbookRoutes);
  await app.register(organiserQuestionnaireRoutes);
  await app.register(organiserPlanDocumentRoutes);
};

export default organiserApi;
