// Confirmation pages for taking things back: removing a city from the participants, deleting a draft survey.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { organiserActor } from '../../../plugins/auth.js';
import { countParticipants } from '../../../repositories/surveys.js';
import { checkParticipantRemoval, deleteDraftSurvey, removalWarning, removeParticipant } from '../../../services/survey-removal.js';
import { CityPageParams, formBody, SurveyPageParams, text } from '../../../schemas/pages.js';
import { pageAuth, redirectWithNotice, renderPage } from './common.js';

type Req = FastifyRequest<{ Params: { id: number; cityCode: string }; Body: { confirm?: string } }>;
const ConfirmForm = formBody({ confirm: text(10) });

const surveyRemovalPages: FastifyPluginAsync = async (app) => {
  const auth = pageAuth(app);

  app.get('/organiser/surveys/:id/participants/:cityCode/remove', { schema: { hide: true, params: CityPageParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const { id, cityCode } = request.params;
    const check = await checkParticipantRemoval(app.db, id, cityCode);
    return renderPage(request, reply, 'pages/organiser/participant-remove.hbs', {
      title: '照会先団体から外す（確認）',
      survey,
      check,
      warning: check.needsConfirmation ? removalWarning(check) : undefined,
    });
  });

  app.post('/organiser/surveys/:id/participants/:cityCode/remove', { schema: { hide: true, params: CityPageParams, body: ConfirmForm }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const { id, cityCode } = request.params;
    const check = await checkParticipantRemoval(app.db, id, cityCode);
    const { participants } = await removeParticipant(app.db, { surveyId: id, cityCode, confirm: request.body.confirm === 'yes', actor: organiserActor(request) });
    return redirectWithNotice(reply, `/organiser/surveys/${id}/participants`, `「${check.cityName}」を照会先団体から外しました（照会先団体は ${participants} 団体）。この団体の個人用リンクは使えなくなりました`);
  });

  app.get('/organiser/surveys/:id/delete', { schema: { hide: true, params: SurveyPageParams }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    if (survey.status !== 'draft') return redirectWithNotice(reply, `/organiser/surveys/${survey.id}`, '一度公開した調査は削除できません');
    return renderPage(request, reply, 'pages/organiser/survey-delete.hbs', { title: '調査の削除（確認）', survey, participants: await countParticipants(app.db, survey.id) });
  });

  app.post('/organiser/surveys/:id/delete', { schema: { hide: true, params: SurveyPageParams, body: formBody() }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    await deleteDraftSurvey(app.db, { surveyId: survey.id, actor: organiserActor(request) });
    return redirectWithNotice(reply, '/organiser/surveys', `調査「${survey.title}」を削除しました`);
  });
};

export default surveyRemovalPages;
