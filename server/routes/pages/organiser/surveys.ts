// Survey set-up pages: list, create (template or copy of an earlier round), edit settings, status moves
// with a confirmation step, measures, and participants picked from the roster.
import { listResponseStatuses } from '../../../repositories/responses.js';
import { deadlinePassed } from '../../../domain/deadlines.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { bandsFor } from '../../../domain/bands.js';
import { parseRosterDate } from '../../../domain/roster-import.js';
import { badRequest } from '../../../domain/errors.js';
import { SURVEY_STATUS_LABELS, SURVEY_STATUSES, type SurveyStatus } from '../../../domain/glossary.js';
import { allowedMoves } from '../../../domain/survey-status.js';
import { organiserActor } from '../../../plugins/auth.js';
import { listCities } from '../../../repositories/cities.js';
import { answerCounts } from '../../../repositories/measures.js';
import { listMeasures, listParticipants, listSurveys } from '../../../repositories/surveys.js';
import { addMeasure, copySurvey, editMeasure, type MeasureEdit } from '../../../services/survey-copy.js';
import { addSurveyParticipants, createSurvey, patchSurvey } from '../../../services/surveys.js';
import { cityCodeList, formBody, noticeQuery, RowId, SurveyPageParams, text } from '../../../schemas/pages.js';
import { assertValidForm } from '../page-errors.js';
import { surveyPageView } from '../../../views/view-models.js';
import { asArray, formErrors, pageAuth, redirectWithNotice, renderPage } from './common.js';

type Req = FastifyRequest<{ Params: { id: number }; Querystring: Record<string, string | undefined>; Body: Record<string, string | string[] | undefined> }>;

const SurveyForm = formBody({ title: text(200), deadline: text(40), hostCityCode: text(20), bandThresholds: text(200), introText: text(5000), contactDepartment: text(200), contactPhone: text(40), contactEmail: text(254) });
// a new survey: from the template, or a copy of the survey with this number
const NewSurveyForm = formBody({ source: Type.Optional(Type.String({ pattern: '^(template|[0-9]{1,9})?$' })), title: text(200), deadline: text(40), hostCityCode: text(20) });
const MeasureForm = formBody({ code: text(16), category: text(100), newCategory: text(100), label: text(200) });
const MeasureEditForm = formBody({ action: text(20), label: text(200), category: text(100), after: text(16) });
const MeasureParams = Type.Object({ id: RowId, code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' }) });

const MOVE_LABELS: Record<SurveyStatus, string> = { draft: '', open: '公開（回答受付を開始）', closed: '締切', published: '結果公表' };
const MOVE_NOTES: Record<SurveyStatus, string> = {
  draft: '',
  open: '照会先団体が回答できるようになります。依頼メールは「依頼・メール」の画面から送ります。',
  closed: '回答の受付を止めます。必要なら後から再開できます。',
  published: '結果を回答団体に公開します。公表した時点の集計結果が「版」として保存され、回答団体にはその内容を示します。公表後に回答を修正するには、公表を取り下げてから修正し、公表し直します。',
};

function moveLabel(from: SurveyStatus, to: SurveyStatus): string {
  if (from === 'closed' && to === 'open') return '再開（回答受付を再開）';
  if (from === 'published' && to === 'closed') return '結果の公表の取り下げ';
  return MOVE_LABELS[to];
}

function moveNote(from: SurveyStatus, to: SurveyStatus): string {
  if (from === 'published' && to === 'closed') {
    return '回答団体は、再び公表するまで集計結果を見られなくなります。回答の修正を終えたら、もう一度「結果公表」にしてください（次の版として公表されます。これまでの版の記録は残ります）。';
  }
  return MOVE_NOTES[to];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const thresholdsOf = (v: unknown) =>
  str(v)
    .normalize('NFKC')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1') // 300,000 is one number; 300000,500000 are two
    .split(/[,、;\s]+/)
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/[^\d]/g, '')));

/** The deadline field is a date picker; typed by hand (a browser without one), 和暦 and 年月日 are read too. */
const DEADLINE_MESSAGE = '回答期限を日付で入力してください（例: 令和8年12月25日、2026年12月25日）。';

const surveyPages: FastifyPluginAsync = async (app) => {
  const auth = pageAuth(app);

  async function showList(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const rows = await listSurveys(app.db);
    const form = (extra.form as Record<string, string> | undefined) ?? { source: rows[0] ? String(rows[0].id) : 'template', hostCityCode: rows[0]?.host_city_code ?? '', title: '', deadline: '' };
    const surveys = rows.map((s) => ({ ...surveyPageView(s), selected: String(s.id) === form.source }));
    return renderPage(request, reply, 'pages/organiser/surveys.hbs', {
      title: '調査の一覧',
      cities: await listCities(app.db),
      notice: request.query.notice,
      ...extra,
      surveys,
      form,
    });
  }

  app.get('/organiser/surveys', { schema: { hide: true, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showList(request as Req, reply));

  app.post('/organiser/surveys', { schema: { hide: true, body: NewSurveyForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const form = { source: str(request.body.source), title: str(request.body.title), deadline: str(request.body.deadline), hostCityCode: str(request.body.hostCityCode) };
    try {
      assertValidForm(request);
      const errors = [];
      if (form.title.trim() === '') errors.push({ path: '/title', message: '調査名を入力してください。' });
      const deadline = parseRosterDate(form.deadline);
      if (!deadline) errors.push({ path: '/deadline', message: DEADLINE_MESSAGE });
      if (errors.length > 0) throw badRequest('入力内容に誤りがあります。', errors);
      const actor = organiserActor(request);
      const survey =
        form.source === 'template' || form.source === ''
          ? await createSurvey(app.db, { title: form.title, deadline: deadline!, hostCityCode: form.hostCityCode }, actor)
          : await copySurvey(app.db, Number(form.source), { title: form.title, deadline: deadline!, hostCityCode: form.hostCityCode || undefined }, actor);
      // a copied round shows first the texts it took over, with the previous round's years marked
      return survey.copied_from_survey_id === null
        ? redirectWithNotice(reply, `/organiser/surveys/${survey.id}`, `調査「${survey.title}」を作成しました。`)
        : redirectWithNotice(reply, `/organiser/surveys/${survey.id}/review`, `調査「${survey.title}」を作成しました。前回から引き継いだ文面を確認してください。`);
    } catch (err) {
      return showList(request, reply.code(400), { errors: formErrors(err), form });
    }
  });

  async function showSurvey(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const survey = request.survey!;
    const bands = bandsFor(survey.band_thresholds);
    return renderPage(request, reply, 'pages/organiser/survey.hbs', {
      title: survey.title,
      survey,
      statusLabel: SURVEY_STATUS_LABELS[survey.status],
      moves: allowedMoves(survey.status).map((to) => ({ to, label: moveLabel(survey.status, to) })),
      // a deadline already past while respondents can still answer: say so (the respondent form stops promising it)
      deadlineWarning:
        (survey.status === 'draft' || survey.status === 'open') && deadlinePassed(survey.deadline, app.clock())
          ? '回答期限が過ぎています。受付を続ける場合は、回答期限を新しい日付に変更してください（回答画面と督促メールに表示されます）。'
          : undefined,
      bands,
      cities: await listCities(app.db),
      notice: request.query.notice,
      form: {
        title: survey.title,
        deadline: survey.deadline,
        deadlineGregorian: survey.deadline_gregorian,
        hostCityCode: survey.host_city_code,
        bandThresholds: survey.band_thresholds.join(', '),
        introText: survey.intro_text,
        contactDepartment: survey.contact_department ?? '',
        contactPhone: survey.contact_phone ?? '',
        contactEmail: survey.contact_email ?? '',
      },
      ...extra,
    });
  }

  app.get('/organiser/surveys/:id', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showSurvey(request as Req, reply));

  app.post('/organiser/surveys/:id', { schema: { hide: true, params: SurveyPageParams, body: SurveyForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const id = request.survey!.id;
    const form = {
      title: str(request.body.title),
      deadline: str(request.body.deadline),
      deadlineGregorian: str(request.body.deadlineGregorian) === '1',
      hostCityCode: str(request.body.hostCityCode),
      bandThresholds: str(request.body.bandThresholds),
      introText: str(request.body.introText),
      contactDepartment: str(request.body.contactDepartment),
      contactPhone: str(request.body.contactPhone),
      contactEmail: str(request.body.contactEmail),
    };
    try {
      assertValidForm(request);
      if (form.title.trim() === '') throw badRequest('調査名を入力してください。', [{ path: '/title', message: '調査名を入力してください。' }]);
      const deadline = parseRosterDate(form.deadline);
      if (!deadline) throw badRequest('回答期限', [{ path: '/deadline', message: DEADLINE_MESSAGE }]);
      await patchSurvey(
        app.db,
        id,
        {
          title: form.title,
          deadline,
          deadlineGregorian: form.deadlineGregorian,
          hostCityCode: form.hostCityCode,
          bandThresholds: thresholdsOf(form.bandThresholds),
          introText: form.introText,
          contactDepartment: form.contactDepartment,
          contactPhone: form.contactPhone,
          contactEmail: form.contactEmail,
        },
        organiserActor(request),
        app.clock(),
      );
      return redirectWithNotice(reply, `/organiser/surveys/${id}`, '調査の設定を保存しました');
    } catch (err) {
      return showSurvey(request, reply.code(400), { errors: formErrors(err), form });
    }
  });

  app.get('/organiser/surveys/:id/status', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery({ to: text(20) }) }, preHandler: auth }, async (req, reply) => {
    const request = req as Req;
    const survey = request.survey!;
    const to = request.query.to as SurveyStatus;
    if (!SURVEY_STATUSES.includes(to) || !allowedMoves(survey.status).includes(to)) return redirectWithNotice(reply, `/organiser/surveys/${survey.id}`, 'その状態へは変更できません');
    // closing or publishing while cities still have unsent answers or none at all: name them before the confirmation
    const statuses = to === 'closed' || to === 'published' ? await listResponseStatuses(app.db, survey.id) : [];
    return renderPage(request, reply, 'pages/organiser/survey-status.hbs', {
      title: '状態の変更の確認',
      survey,
      from: SURVEY_STATUS_LABELS[survey.status],
      to,
      toLabel: SURVEY_STATUS_LABELS[to],
      moveLabel: moveLabel(survey.status, to),
      note: moveNote(survey.status, to),
      drafts: statuses.filter((r) => r.status === 'draft' || r.hasUnsubmittedChanges),
      unanswered: statuses.filter((r) => r.status === 'not_started' && r.cityCode !== survey.host_city_code),
      hostUnanswered: statuses.some((r) => r.status === 'not_started' && r.cityCode === survey.host_city_code),
    });
  });

  app.post('/organiser/surveys/:id/status', { schema: { hide: true, params: SurveyPageParams, body: formBody({ to: text(20) }) }, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const id = request.survey!.id;
    const to = str(request.body.to) as SurveyStatus;
    if (!SURVEY_STATUSES.includes(to)) throw badRequest('変更先の状態が正しくありません');
    const survey = await patchSurvey(app.db, id, { status: to }, organiserActor(request), app.clock());
    return redirectWithNotice(reply, `/organiser/surveys/${id}`, `状態を「${SURVEY_STATUS_LABELS[survey.status]}」にしました`);
  });

  async function showMeasures(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const survey = request.survey!;
    const counts = await answerCounts(app.db, survey.id);
    const all = await listMeasures(app.db, survey.id, { includeRetired: true });
    const active = all.filter((m) => !m.retired_at);
    const view = (m: (typeof all)[number]) => ({
      ...m,
      answers: counts.get(m.id) ?? 0,
      // where it can be moved: after any other measure of its category
      targets: active.filter((o) => o.category === m.category && o.id !== m.id).map((o) => ({ code: o.code, label: o.label })),
    });
    return renderPage(request, reply, 'pages/organiser/survey-measures.hbs', {
      title: `対策の編集（${survey.title}）`,
      survey,
      editable: survey.status === 'draft',
      renamable: survey.status !== 'published',
      categories: [...new Set(all.map((m) => m.category))],
      active: active.map(view),
      retired: all.filter((m) => m.retired_at).map(view),
      notice: request.query.notice,
      form: {},
      ...extra,
    });
  }

  app.get('/organiser/surveys/:id/measures', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showMeasures(request as Req, reply));

  app.post('/organiser/surveys/:id/measures', { schema: { hide: true, params: SurveyPageParams, body: MeasureForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const id = request.survey!.id;
    const newCategory = str(request.body.category) === '__new__';
    const form = { code: str(request.body.code), category: newCategory ? str(request.body.newCategory) : str(request.body.category), label: str(request.body.label), newCategory };
    try {
      assertValidForm(request);
      const m = await addMeasure(app.db, id, form, organiserActor(request));
      return redirectWithNotice(reply, `/organiser/surveys/${id}/measures`, `対策「${m.label}」（${m.code}）を追加しました`);
    } catch (err) {
      return showMeasures(request, reply.code(400), { errors: formErrors(err), form });
    }
  });

  app.post('/organiser/surveys/:id/measures/:code', { schema: { hide: true, params: MeasureParams, body: MeasureEditForm }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req & { params: { code: string } };
    const id = request.survey!.id;
    const action = str(request.body.action);
    const edit: MeasureEdit =
      action === 'rename'
        ? { action, label: str(request.body.label), category: str(request.body.category) || undefined }
        : action === 'move'
          ? { action, after: str(request.body.after) || null }
          : { action: (['up', 'down', 'retire', 'restore'].includes(action) ? action : 'up') as 'up' };
    try {
      assertValidForm(request);
      const m = await editMeasure(app.db, id, (request.params as { code: string }).code, edit, organiserActor(request));
      const done = { rename: 'の名称を変更しました。', up: 'を上へ移動しました。', down: 'を下へ移動しました。', move: 'を移動しました。', retire: 'を廃止しました（回答は残ります）。', restore: 'を復活しました。' }[edit.action];
      return redirectWithNotice(reply, `/organiser/surveys/${id}/measures`, `対策「${m.label}」${done}`);
    } catch (err) {
      return showMeasures(request, reply.code(400), { errors: formErrors(err) });
    }
  });

  async function showParticipants(request: Req, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const survey = request.survey!;
    const bands = bandsFor(survey.band_thresholds);
    const participants = (await listParticipants(app.db, survey.id)).map((p) => ({
      cityCode: p.city_code,
      prefecture: p.prefecture,
      name: p.name,
      population: p.population,
      populationDate: p.population_date,
      bandIndex: p.band_index,
      band: bands[p.band_index]?.label,
      host: p.city_code === survey.host_city_code,
    }));
    const taking = new Set(participants.map((p) => p.cityCode));
    const others = (await listCities(app.db)).filter((c) => !taking.has(c.code));
    return renderPage(request, reply, 'pages/organiser/survey-participants.hbs', {
      title: `照会先団体（${survey.title}）`,
      survey,
      participants,
      others,
      // the host city is never counted in the results: the band counts leave it out and name it apart
      bandCounts: bands.map((b, i) => ({ label: b.label, n: participants.filter((p) => p.bandIndex === i && !p.host).length })),
      othersCount: participants.filter((p) => !p.host).length,
      host: participants.find((p) => p.host),
      notice: request.query.notice,
      ...extra,
    });
  }

  app.get('/organiser/surveys/:id/participants', { schema: { hide: true, params: SurveyPageParams, querystring: noticeQuery() }, preHandler: auth }, (request, reply) => showParticipants(request as Req, reply));

  app.post('/organiser/surveys/:id/participants', { schema: { hide: true, params: SurveyPageParams, body: formBody({ all: text(20), cityCodes: cityCodeList }) }, attachValidation: true, preHandler: [auth, app.csrfProtection] }, async (req, reply) => {
    const request = req as Req;
    const id = request.survey!.id;
    try {
      assertValidForm(request);
      const codes = request.body.all === 'roster' ? (await listCities(app.db)).map((c) => c.code) : asArray(request.body.cityCodes);
      if (codes.length === 0) throw badRequest('追加する団体を選んでください', [{ path: '/cityCodes', message: '追加する団体を選んでください' }]);
      const { added, participants } = await addSurveyParticipants(app.db, id, codes, organiserActor(request));
      return redirectWithNotice(reply, `/organiser/surveys/${id}/participants`, `${added} 団体を追加しました（照会先団体は ${participants} 団体）`);
    } catch (err) {
      return showParticipants(request, reply.code(400), { errors: formErrors(err) });
    }
  });
};

export default surveyPages;
