// The respondent's pages: the personal link /r/<token> (sets the session cookie, then /respond), the form
// (一時保存 / 回答を送信 with an error summary), the confirmation and the read-only summary after closing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { City, Survey } from '../../db/schema.js';
import { DomainError, type FieldError } from '../../domain/errors.js';
import { SURVEY_STATUS_LABELS } from '../../domain/glossary.js';
import { RESPONDENT_COOKIE, type Respondent, respondentActor } from '../../plugins/respondent-auth.js';
import { findCity } from '../../repositories/cities.js';
import { findSurvey, listMeasures } from '../../repositories/surveys.js';
import { openInvitation, sessionExpiry } from '../../services/invitations.js';
import { disclosureLabel, measureGroups, planLines } from '../../services/response-summary.js';
import { getResponse, type ResponseState, saveResponse } from '../../services/responses.js';
import { respondentPlanPanel, sharedPlansView } from '../../services/plan-documents-view.js';
import { type FormValues, formModel, inputFromValues, valuesFromAnswers, valuesFromBody } from './respondent-form.js';

const STATUS_LABELS = { not_started: '未回答', draft: '一時保存中（未送信）', submitted: '送信済み' } as const;
const NO_STORE = 'no-store';

interface Context {
  respondent: Respondent;
  survey: Survey;
  city: City;
}

async function respondentPages(app: FastifyInstance) {
  const message = (reply: FastifyReply, status: number, title: string, text: string) =>
    reply.code(status).header('cache-control', NO_STORE).view('pages/respondent/message.hbs', { title, message: text });

  /** The respondent of a page request (cookie only), or a friendly page and undefined. */
  async function context(request: FastifyRequest, reply: FastifyReply): Promise<Context | undefined> {
    const respondent = await app.findRespondent(request, { cookieOnly: true });
    const survey = respondent && (await findSurvey(app.db, respondent.surveyId));
    const city = respondent && (await findCity(app.db, respondent.cityCode));
    if (!respondent || !survey || !city) {
      await message(reply, 401, '回答画面を開けません', '回答画面は、依頼メールに記載された貴市専用のリンクから開いてください。リンクを開いてから時間がたった場合や、新しいリンクが発行された場合も、もう一度メールのリンクを開いてください。');
      return undefined;
    }
    return { respondent, survey, city };
  }

  async function renderForm(reply: FastifyReply, ctx: Context, state: ResponseState, opts: { values?: FormValues; errors?: FieldError[]; errorTitle?: string; conflict?: string; notice?: string; status?: number; plan?: { notice?: string; error?: string } }) {
    const measures = await listMeasures(app.db, ctx.survey.id);
    return reply
      .code(opts.status ?? 200)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/form.hbs', {
        title: `${ctx.survey.title}（回答）`,
        survey: ctx.survey,
        city: ctx.city,
        statusLabel: STATUS_LABELS[state.status],
        submittedAt: state.submittedAt,
        version: state.version,
        csrf: reply.generateCsrf(),
        form: formModel(opts.values ?? valuesFromAnswers(state.model), opts.errors ?? [], measures),
        errorTitle: opts.errorTitle,
        conflict: opts.conflict,
        notice: opts.notice,
        planDocuments: await respondentPlanPanel(app.db, { surveyId: ctx.survey.id, cityCode: ctx.city.code, version: state.version, disclosure: state.model.disclosure, ...opts.plan }),
      });
  }

  async function renderSummary(reply: FastifyReply, ctx: Context, state: ResponseState, opts: { heading: string; notice?: string; message?: string; canEdit: boolean; status?: number }) {
    const measures = await listMeasures(app.db, ctx.survey.id);
    return reply
      .code(opts.status ?? 200)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/summary.hbs', {
        title: opts.heading,
        ...opts,
        survey: ctx.survey,
        city: ctx.city,
        statusLabel: STATUS_LABELS[state.status],
        submittedAt: state.submittedAt,
        answers: state.model,
        planLines: planLines(state.model),
        disclosureLabel: disclosureLabel(state.model),
        groups: measureGroups(state.model, measures),
        published: ctx.survey.status === 'published',
        // the respondent's results workbook is for cities that submitted (API.md «Respondent»)
        resultsWorkbook: ctx.survey.status === 'published' && state.status === 'submitted',
        sharedPlans: await sharedPlansView(app.db, ctx.survey.id, ctx.city.code),
      });
  }

  function closedMessage(survey: Survey): string {
    return `この調査は「${SURVEY_STATUS_LABELS[survey.status]}」のため、回答の修正はできません。回答の内容は次のとおりです。`;
  }

  app.get<{ Params: { token: string } }>('/r/:token', { schema: { hide: true } }, async (request, reply) => {
    const opened = await openInvitation(app.db, request.params.token);
    if (opened.state === 'unknown') {
      return message(reply, 404, 'リンクが見つかりません', 'このリンクは無効です。メールに記載されたリンクを、途中で切れていないか確認して、もう一度開いてください。');
    }
    if (opened.state === 'revoked') {
      return message(reply, 410, 'このリンクは使えなくなりました', 'このリンクは、新しいリンクの発行により無効になりました。最新の依頼メールに記載されたリンクを開いてください。');
    }
    const { invitation, survey } = opened;
    const expires = sessionExpiry(survey.deadline, app.clock());
    const jwt = app.signRespondentSession({ surveyId: survey.id, cityCode: invitation.city_code, invitationId: invitation.id }, expires);
    reply.setCookie(RESPONDENT_COOKIE, jwt, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: app.config.publicUrl.startsWith('https:'),
      expires,
    });
    return reply.header('cache-control', NO_STORE).redirect('/respond', 303);
  });

  app.get<{ Querystring: { saved?: string; plan?: string; planError?: string } }>('/respond', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const state = await getResponse(app.db, ctx.survey.id, ctx.city.code);
    if (ctx.survey.status === 'draft') {
      return message(reply, 200, 'まだ回答を受け付けていません', `「${ctx.survey.title}」の回答受付はまだ始まっていません。受付開始後に、もう一度このリンクを開いてください。`);
    }
    if (ctx.survey.status !== 'open') {
      return renderSummary(reply, ctx, state, { heading: '回答の内容（受付終了）', message: closedMessage(ctx.survey), canEdit: false });
    }
    const notice = request.query.saved === '1' ? '一時保存しました。回答期限までに「回答を送信」を押してください。' : undefined;
    return renderForm(reply, ctx, state, { notice, plan: { notice: request.query.plan, error: request.query.planError } });
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/respond',
    {
      schema: { hide: true },
      preHandler: [app.requireRespondent, app.csrfProtection],
    },
    async (request, reply) => {
      const ctx = await context(request, reply);
      if (!ctx) return reply;
      const body = request.body ?? {};
      const submit = body.action === 'submit';
      const measures = await listMeasures(app.db, ctx.survey.id);
      const values = valuesFromBody(body, measures);
      const version = Number.parseInt(String(body.version ?? ''), 10);
      try {
        const saved = await saveResponse(app.db, {
          surveyId: ctx.survey.id,
          cityCode: ctx.city.code,
          input: inputFromValues(values),
          expectedVersion: Number.isInteger(version) ? version : -1,
          actor: respondentActor(request),
          submit,
        });
        if (!submit) return reply.redirect('/respond?saved=1', 303);
        app.queueReceipt({ surveyId: ctx.survey.id, cityCode: ctx.city.code, model: saved.model, submittedAt: saved.submittedAt });
        return reply.redirect('/respond/confirmation', 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const state = await getResponse(app.db, ctx.survey.id, ctx.city.code);
        if (err.statusCode === 409) return renderForm(reply, ctx, state, { conflict: err.message, status: 409 });
        if (err.statusCode === 403) {
          const survey = (await findSurvey(app.db, ctx.survey.id)) ?? ctx.survey;
          return renderSummary(reply, { ...ctx, survey }, state, { heading: '回答の内容（受付終了）', message: `${err.message}。`, canEdit: false, status: 403 });
        }
        if (err.errors) {
          const errorTitle = submit ? '送信できませんでした。未回答または誤りのある項目があります' : '一時保存できませんでした。入力内容に誤りがあります';
          return renderForm(reply, ctx, state, { values, errors: err.errors, errorTitle, status: err.statusCode });
        }
        throw err;
      }
    },
  );

  app.get('/respond/confirmation', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const state = await getResponse(app.db, ctx.survey.id, ctx.city.code);
    const open = ctx.survey.status === 'open';
    return renderSummary(reply, ctx, state, {
      heading: state.status === 'submitted' ? '回答を送信しました' : '回答の内容',
      notice: state.status === 'submitted' ? 'ご回答ありがとうございました。次の内容で受け付けました。回答期限までは修正して再送信できます。' : undefined,
      message: open ? undefined : closedMessage(ctx.survey),
      canEdit: open,
    });
  });
}

export default respondentPages;
