// The review of a copied round's texts: the intro and the mail texts it took over from the previous round, with
// the years, fiscal years, dates and edition numbers marked (domain/round-wording.ts), so none is sent out stale.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { findRoundWording, markedSegments } from '../../../domain/round-wording.js';
import { findSurvey } from '../../../repositories/surveys.js';
import { surveyMailText } from '../../../services/mailings.js';
import { noticeQuery, SurveyPageParams } from '../../../schemas/pages.js';
import { pageAuth, redirectWithNotice, renderPage } from './common.js';

const surveyReviewPages: FastifyPluginAsync = async (app) => {
  app.get('/organiser/surveys/:id/review', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: pageAuth(app) }, async (req, reply) => {
    const request = req as FastifyRequest<{ Params: { id: number }; Querystring: { notice?: string } }>;
    const survey = request.survey!;
    const id = survey.id;
    const source = survey.copied_from_survey_id === null ? undefined : await findSurvey(app.db, survey.copied_from_survey_id);
    if (!source) return redirectWithNotice(reply, `/organiser/surveys/${id}`, 'この調査は前回の調査をコピーして作成したものではないため、引き継いだ文面の確認はありません');
    const previousYear = Number(source.deadline.slice(0, 4));
    const currentYear = Number(survey.deadline.slice(0, 4));
    const invitation = surveyMailText(survey, 'invitation');
    const reminder = surveyMailText(survey, 'reminder');
    const base = `/organiser/surveys/${id}`;
    const texts = [
      { label: '回答画面の説明文（依頼文）', text: survey.intro_text, edit: base },
      { label: '依頼メールの件名', text: invitation.subject, edit: `${base}/mail-texts` },
      { label: '依頼メールの本文', text: invitation.body, edit: `${base}/mail-texts` },
      { label: '督促メールの件名', text: reminder.subject, edit: `${base}/mail-texts` },
      { label: '督促メールの本文', text: reminder.body, edit: `${base}/mail-texts` },
    ].map((t) => {
      const spans = findRoundWording(t.text, { previousYear, currentYear });
      return { ...t, segments: markedSegments(t.text, spans), spans, previous: spans.filter((s) => s.previousRound).length };
    });
    return renderPage(request, reply, 'pages/organiser/survey-review.hbs', {
      title: `引き継いだ文面の確認（${survey.title}）`,
      survey,
      source,
      texts,
      marked: texts.reduce((n, t) => n + t.spans.length, 0),
      previousMarked: texts.reduce((n, t) => n + t.previous, 0),
      notice: request.query.notice,
    });
  });
};

export default surveyReviewPages;
