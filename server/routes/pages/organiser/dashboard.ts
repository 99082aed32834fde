// Tracking pages: n of N submitted by band, cities filtered by status, each city's answers, and the
// organiser's correction form (keying in a fax or an e-mailed sheet) through the shared saveResponse.
import { type ResponseProgress, responseStatusLabel } from '../../../domain/glossary.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { answerForm, CityPageParams, noticeQuery, SurveyPageParams, text } from '../../../schemas/pages.js';
import { DomainError } from '../../../domain/errors.js';
import { organiserActor } from '../../../plugins/auth.js';
import { listMeasures } from '../../../repositories/surveys.js';
import { getResponse, saveResponse } from '../../../services/responses.js';
import { disclosureLabel, measureGroups, planLines } from '../../../services/response-summary.js';
import { CITY_STATUS_LABELS, CITY_STATUSES, type CityStatus, dashboardCounts, trackCities } from '../../../services/tracking.js';
import { formModel, inputFromValues, valuesFromAnswers, valuesFromBody } from '../respondent/form.js';
import { pageAuth, redirectWithNotice, renderPage } from './common.js';

type Req = FastifyRequest<{ Params: { id: number; cityCode: string }; Querystring: Record<string, string | undefined>; Body: Record<string, unknown> & { version?: number } }>;
const KeyInForm = answerForm({ version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })) });
const statusLabelOf = (s: { status: ResponseProgress; hasUnsubmittedChanges: boolean }) => responseStatusLabel(s, 'organiser');

const dashboardPages: FastifyPluginAsync = async (app) => {
  const auth = pageAuth(app);

  app.get('/organiser/surveys/:id/dashboard', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery({ status: text(30) }) }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const filter = CITY_STATUSES.includes(request.query.status as CityStatus) ? (request.query.status as CityStatus) : undefined;
    const cities = await trackCities(app.db, survey);
    return renderPage(request, reply, 'pages/organiser/dashboard.hbs', {
      title: `回答状況（${survey.title}）`,
      survey,
      counts: await dashboardCounts(app.db, survey),
      filters: CITY_STATUSES.map((s) => ({ value: s, label: CITY_STATUS_LABELS[s], selected: s === filter, n: cities.filter((c) => c.status === s).length })),
      cities: filter ? cities.filter((c) => c.status === filter) : cities,
      filterLabel: filter ? CITY_STATUS_LABELS[filter] : undefined,
    });
  });

  async function showCity(request: Req, reply: FastifyReply, extra: { values?: ReturnType<typeof valuesFromBody>; errors?: DomainError } = {}) {
    const survey = request.survey!;
    const state = await getResponse(app.db, survey.id, request.params.cityCode);
    const measures = await listMeasures(app.db, survey.id);
    const city = (await trackCities(app.db, survey)).find((c) => c.cityCode === request.params.cityCode)!;
    const errors = extra.errors?.errors ?? (extra.errors ? [{ path: '', message: extra.errors.message }] : []);
    const form = formModel(extra.values ?? valuesFromAnswers(state.model), errors, measures);
    // the correction form's own field (修正理由) is linked from the summary like the answer fields
    form.errors = form.errors.map((e) => (e.path === '/reason' ? { ...e, fieldId: 'f-reason' } : e));
    return renderPage(request, reply, 'pages/organiser/response.hbs', {
      title: `${city.name}の回答（${survey.title}）`,
      survey,
      city,
      state,
      statusLabel: statusLabelOf(state),
      plan: planLines(state.model),
      disclosure: disclosureLabel(state.model),
      groups: measureGroups(state.model, measures),
      form,
      errorMessage: extra.errors?.message,
      reasonError: errors.find((e) => e.path === '/reason')?.message,
      notice: request.query.notice,
      needsReason: survey.status === 'closed',
      frozen: survey.status === 'published',
      reason: typeof request.body === 'object' && request.body && typeof (request.body as Record<string, unknown>).reason === 'string' ? (request.body as Record<string, string>).reason : '',
    });
  }

  app.get('/organiser/surveys/:id/responses/:cityCode', { schema: { hide: true, params: CityPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showCity(request as Req, reply));

  app.post('/organiser/surveys/:id/responses/:cityCode', { schema: { hide: true, params: CityPageParams, body: KeyInForm }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const measures = await listMeasures(app.db, survey.id);
    const values = valuesFromBody(request.body, measures);
    try {
      const saved = await saveResponse(app.db, {
        surveyId: survey.id,
        cityCode: request.params.cityCode,
        input: inputFromValues(values),
        expectedVersion: request.body.version,
        actor: organiserActor(request),
        submit: request.body.action === 'submit',
        reason: typeof request.body.reason === 'string' ? request.body.reason : undefined,
        now: app.clock(),
        definitions: app.surveyDefinitions,
      });
      const what =
        request.body.action === 'submit'
          ? '送信済みとして保存しました（集計に反映されます）'
          : saved.hasUnsubmittedChanges
            ? '一時保存しました（送信済みの回答が引き続き集計に使われます）'
            : '一時保存しました';
      return redirectWithNotice(reply, `/organiser/surveys/${survey.id}/responses/${request.params.cityCode}`, `代理入力の内容を${what}（版 ${saved.version}）`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode >= 500 || err.statusCode === 404) throw err;
      return showCity(request, reply.code(err.statusCode), { values, errors: err });
    }
  });
};

export default dashboardPages;
