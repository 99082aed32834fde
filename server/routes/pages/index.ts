// Every server-rendered page (HTML): the organiser's console, the results pages and the respondent's pages.
// One encapsulated group with one page error handler, so a browser never receives a JSON error body while the
// API (routes/api) keeps its JSON errors; every page route validates its schema the same way (page-errors.ts).
import type { FastifyPluginAsync } from 'fastify';
import homePages from './home.js';
import organiserPages from './organiser/index.js';
import { pageErrorHandler, pageRouteOptions } from './page-errors.js';
import respondentPlanPages from './respondent/plans.js';
import questionnaireUploadPages from './respondent/questionnaire.js';
import respondentPages from './respondent/respond.js';
import resultsPages from './results.js';

const pageRoutes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(pageErrorHandler(app));
  app.addHook('onRoute', pageRouteOptions(app));
  await app.register(homePages);
  await app.register(organiserPages);
  await app.register(resultsPages);
  await app.register(respondentPages);
  await app.register(questionnaireUploadPages);
  await app.register(respondentPlanPages);
};

export default pageRoutes;
