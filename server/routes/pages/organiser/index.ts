// The organiser console (照会元の画面): server-rendered, Japanese, working without JavaScript.
import type { FastifyPluginAsync } from 'fastify';
import accountPages from './accounts.js';
import auditPages from './audit.js';
import dashboardPages from './dashboard.js';
import responseUploadPages from './response-upload.js';
import invitationPages from './invitations.js';
import loginPages from './login.js';
import planLibraryPages from './plans.js';
import rosterPages from './roster.js';
import rosterExportPages from './roster-export.js';
import surveyPages from './surveys.js';
import surveyRemovalPages from './survey-removal.js';
import surveyReviewPages from './survey-review.js';

const organiserPages: FastifyPluginAsync = async (app) => {
  await app.register(loginPages);
  await app.register(accountPages);
  await app.register(rosterPages);
  await app.register(rosterExportPages);
  await app.register(surveyPages);
  await app.register(surveyRemovalPages);
  await app.register(surveyReviewPages);
  await app.register(invitationPages);
  await app.register(dashboardPages);
  await app.register(responseUploadPages);
  await app.register(auditPages);
  await app.register(planLibraryPages);
};

export default organiserPages;
