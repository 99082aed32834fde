// The respondent's pages: the personal link /r/<token> (GET shows a page and changes nothing — mail scanners
// fetch every link; its button POSTs, which starts the session), the form (一時保存 / 回答を送信 with an error
// summary; what can be saved is saved even when a submit fails), the conflict page when someone else saved
// first (both versions side by side, chosen field by field), the confirmation and the read-only summary.
// Every failure on these pages is a Japanese page that keeps what was typed where it can, never a JSON body.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { City, Survey } from '../../db/schema.js';
import { DomainError, type FieldError, notFound } from '../../domain/errors.js';
import { SURVEY_STATUS_LABELS } from '../../domain/glossary.js';
import { deadlinePassed } from '../../domain/deadlines.js';
import { EMPTY_ANSWERS, normaliseResponse, type ResponseInput } from '../../domain/response.js';
import { differences, responseFields } from '../../domain/response-fields.js';
import { toErrorReply } from '../../plugins/errors.js';
import { RESPONDENT_COOKIE, type Respondent, respondentActor } from '../../plugins/respondent-auth.js';
import { findCity } from '../../repositories/cities.js';
import { loadRespondentPage, type RespondentPage } from '../../repositories/respondent-page.js';
import { findSurvey, listMeasures } from '../../repositories/surveys.js';
import { openInvitation, sessionExpiry } from '../../services/invitations.js';
import { disclosureLabel, measureGroups, planLines } from '../../services/response-summary.js';
import { discardChanges, getResponse, ResponseConflict, type ResponseState, responseStateOf, saveResponse, toAnswersView } from '../../services/responses.js';
import { type SurveyDefinition, SurveyDefinitionCache } from '../../services/survey-definitions.js';
import { MEASURE_TABLE_PARTIAL, measureTableHtml, measureTableOf } from './measure-table.js';
import { answersAtVersion } from '../../repositories/audit.js';
import { respondentPlanPanel, sharedPlansView } from '../../services/plan-documents-view.js';
import { type FormValues, formModel, hiddenInputs, inputFromValues, takeFields, valuesFromAnswers, valuesFromBody } from './respondent-form.js';

const STATUS_LABELS = { not_started: '未回答', draft: '一時保存中（未送信）', submitted: '送信済み' } as const;
const NO_STORE = 'no-store';
const UNSUBMITTED_NOTICE = '送信済みの回答が集計に使われています。変更は「回答を送信」を押すまで集計に反映されません。';

interface Context {
  respondent: Respondent;
  survey: Survey;
  city: City;
  /** the survey's current measures (cached per measure revision) */
  definition: SurveyDefinition;
  /** what the page's one query read (the response only when asked for) */
  page: RespondentPage;
}

type Body = Record<string, unknown>;
const TokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } }, required: ['token'] } as const;
const FormBody = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 5000 }, { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 5000 } }] } } as const;

function statusText(state: ResponseState): string {
  if (state.status === 'submitted' && state.hasUnsubmittedChanges) return '送信済み（送信後の変更は未送信）';
  return STATUS_LABELS[state.status];
}

async function respondentPages(app: FastifyInstance) {
  const message = (reply: FastifyReply, status: number, title: string, text: string, extra: Record<string, unknown> = {}) =>
    reply.code(status).header('cache-control', NO_STORE).view('pages/respondent/message.hbs', { title, message: text, ...extra });

  /** What was typed, as label: value lines, for a page that could not save it (so nothing typed is lost). */
  async function typedLines(request: FastifyRequest, surveyId?: number): Promise<Array<{ label: string; value: string }>> {
    const body = request.body as Body | undefined;
    if (!body || typeof body !== 'object' || request.method !== 'POST') return [];
    const measures = surveyId ? await listMeasures(app.db, surveyId).catch(() => []) : [];
    const values = valuesFromBody(body, measures);
    const labels: Record<string, string> = {
      department: '担当部署', personKana: '担当者名（カナ）', phone: '電話番号', email: 'メールアドレス', planName: '計画名称', latestNumber: '最新番号',
      updateCycleYears: '更新頻度', periodStart: '計画期間（開始年度）', periodEnd: '計画期間（終了年度）', notes: '備考',
    };
    const lines = Object.entries(labels).map(([key, label]) => ({ label, value: String(values[key as keyof FormValues] ?? '') })).filter((l) => l.value.trim() !== '');
    const answered = measures.filter((m) => values.measures[m.code]).map((m) => ({ label: m.label, value: { implemented: '実施済', studying: '検討中', none: '未実施' }[values.measures[m.code] as 'none'] ?? values.measures[m.code] }));
    return [...lines, ...answered];
  }

  // One page error handler for these routes: the same statuses and messages as the API's (plugins/errors.ts), as a
  // page, with what was typed shown when it was not saved.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const body = toErrorReply(error, request);
    if (body.statusCode >= 500) request.log.error({ err: error }, 'respondent page failed');
    if (body.statusCode === 503) reply.header('Retry-After', '5');
    const typed = await typedLines(request, request.respondent?.surveyId);
    const csrf = body.statusCode === 403 && /csrf/i.test(`${String(error.code ?? '')} ${error.message}`);
    const title = csrf ? '画面の有効期限が切れました' : body.statusCode >= 500 ? 'ただいま処理できません' : '処理できませんでした';
    const text = csrf
      ? '画面を開いてから時間がたったため、保存できませんでした。依頼メールのリンクから回答画面を開き直して、もう一度入力してください。'
      : body.statusCode >= 500
        ? `システムで問題が起きたため、処理できませんでした。しばらくしてから、もう一度お試しください。${body.statusCode === 503 ? '' : `（受付番号: ${request.id}）`}`
        : `${body.message.replace(/。$/, '')}。`;
    return message(reply, body.statusCode, title, text, { typed });
  });

  /**
   * The respondent of a page request (cookie only), or a friendly page and undefined. One query (issue #15): the
   * session's invitation, the survey and the city, and when asked the response and the plan documents; the measures
   * come from the definition cache, checked against the revision that query read.
   */
  async function context(request: FastifyRequest, reply: FastifyReply, opts: { response?: boolean; planDocuments?: boolean } = {}): Promise<Context | undefined> {
    const session = app.respondentSession(request);
    const page = session && (await loadRespondentPage(app.db, session, opts));
    if (!session || !page) {
      const typed = await typedLines(request);
      await message(
        reply,
        401,
        '回答画面を開けません',
        '回答画面は、依頼メールに記載された貴市専用のリンクから開いてください。リンクを開いてから時間がたった場合や、新しいリンクが発行された場合も、もう一度メールのリンクを開いてください。',
        { typed },
      );
      return undefined;
    }
    const respondent: Respondent = { ...session, via: 'cookie' };
    request.respondent = respondent;
    const definition = await app.surveyDefinitions.get(app.db, page.survey.id, page.measureRevision);
    return { respondent, survey: page.survey, city: page.city, definition, page };
  }

  /** The response state from the page's query (as getResponse reads it): 404 when the city does not take part. */
  function pageState(ctx: Context): ResponseState {
    if (!ctx.page.isParticipant) throw notFound('この調査の照会先団体');
    return responseStateOf(ctx.page.response, ctx.page.answers, new Set(ctx.definition.measures.map((m) => m.code)));
  }

  async function renderForm(
    reply: FastifyReply,
    ctx: Context,
    state: ResponseState,
    opts: {
      values?: FormValues;
      errors?: FieldError[];
      errorTitle?: string;
      notice?: string;
      status?: number;
      savedNote?: string;
      plan?: { notice?: string; error?: string };
      /** already read (by the page's query); read again when absent */
      planDocuments?: RespondentPage['planDocuments'];
    },
  ) {
    const { measures } = ctx.definition;
    const now = app.clock();
    const values = opts.values ?? valuesFromAnswers(state.model);
    const errors = opts.errors ?? [];
    const render = (context: unknown) => app.renderPartial(MEASURE_TABLE_PARTIAL, context);
    return reply
      .code(opts.status ?? 200)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/form.hbs', {
        title: `${ctx.survey.title}（回答）`,
        survey: ctx.survey,
        city: ctx.city,
        statusLabel: statusText(state),
        submittedAt: state.submittedAt,
        version: state.version,
        hasUnsubmittedChanges: state.hasUnsubmittedChanges,
        unsubmittedNotice: state.hasUnsubmittedChanges ? UNSUBMITTED_NOTICE : undefined,
        deadlinePassed: deadlinePassed(ctx.survey.deadline, now),
        csrf: reply.generateCsrf(),
        form: formModel(values, errors, measures, { receipts: app.receiptsEnabled, groups: false }),
        measureTable: measureTableHtml(
          render,
          () => SurveyDefinitionCache.derive(ctx.definition, MEASURE_TABLE_PARTIAL, (ms) => measureTableOf(render, ms)),
          values.measures,
          errors,
          measures,
        ),
        errorTitle: opts.errorTitle,
        savedNote: opts.savedNote,
        notice: opts.notice,
        planDocuments: await respondentPlanPanel(app.db, {
          surveyId: ctx.survey.id,
          cityCode: ctx.city.code,
          version: state.version,
          disclosure: state.model.disclosure,
          measures,
          docs: opts.planDocuments,
          ...opts.plan,
        }),
      });
  }

  async function renderSummary(reply: FastifyReply, ctx: Context, state: ResponseState, opts: { heading: string; notice?: string; message?: string; canEdit: boolean; status?: number }) {
    const { measures } = ctx.definition;
    return reply
      .code(opts.status ?? 200)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/summary.hbs', {
        title: opts.heading,
        ...opts,
        survey: ctx.survey,
        city: ctx.city,
        statusLabel: statusText(state),
        submittedAt: state.submittedAt,
        answers: state.model,
        planLines: planLines(state.model),
        disclosureLabel: disclosureLabel(state.model),
        groups: measureGroups(state.model, measures),
        published: ctx.survey.status === 'published',
        // the results are for cities that submitted (API.md «Respondent»)
        resultsWorkbook: ctx.survey.status === 'published' && state.status === 'submitted',
        submittedCity: state.status === 'submitted',
        sharedPlans: await sharedPlansView(app.db, ctx.survey.id, ctx.city.code),
      });
  }

  /**
   * The conflict page: the respondent's input beside the saved answers, field by field, to keep, take or merge. The
   * version this person had loaded (its answers from the audit log) decides each default: a field only they changed
   * keeps theirs, a field only the other person changed keeps the saved one; a field both changed defaults to theirs.
   */
  async function renderConflict(reply: FastifyReply, ctx: Context, current: ResponseState, mine: FormValues, intent: string, loadedVersion: number) {
    const measures = ctx.definition.measures.map((m) => ({ code: m.code, label: m.label }));
    const { answers: mineAnswers } = normaliseResponse(inputFromValues(mine), current.model, measures);
    const fields = responseFields(measures);
    const baseView = loadedVersion === 0 ? toAnswersView(EMPTY_ANSWERS) : await answersAtVersion(app.db, ctx.survey.id, ctx.city.code, loadedVersion);
    const base = baseView ? normaliseResponse(baseView as ResponseInput, EMPTY_ANSWERS, measures).answers : undefined;
    const show = (a: typeof mineAnswers | undefined, path: string) => (a ? (fields.find((f) => f.path === path)?.show(a) ?? '') : undefined);
    const rows = differences(current.model, mineAnswers, measures).map((d, i) => {
      const mineText = show(mineAnswers, d.path) ?? d.after;
      const baseText = show(base, d.path);
      // without a known base: where this person left a field empty and the other saved a value, keep the saved one
      const takeTheirs = baseText !== undefined ? mineText === baseText : mineText === '' && d.before !== '';
      return { ...d, index: i, mine: mineText, theirs: d.before, takeTheirs, both: baseText !== undefined && mineText !== baseText && d.before !== baseText };
    });
    return reply
      .code(409)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/conflict.hbs', {
        title: '保存できませんでした（他の画面で更新されています）',
        survey: ctx.survey,
        city: ctx.city,
        current,
        rows,
        hidden: hiddenInputs(mine),
        version: current.version,
        intent: intent === 'submit' ? 'submit' : 'save',
        updatedAt: current.updatedAt,
        csrf: reply.generateCsrf(),
      });
  }

  function closedMessage(survey: Survey): string {
    return `この調査は「${SURVEY_STATUS_LABELS[survey.status]}」のため、回答の修正はできません。回答の内容は次のとおりです。`;
  }

  async function linkState(token: string, record: boolean, reply: FastifyReply) {
    const opened = await openInvitation(app.db, token, { record, now: app.clock() });
    if (opened.state === 'unknown') {
      await message(reply, 404, 'リンクが見つかりません', 'このリンクは無効です。メールに記載されたリンクを、途中で切れていないか確認して、もう一度開いてください。');
      return undefined;
    }
    if (opened.state === 'revoked') {
      await message(reply, 410, 'このリンクは使えなくなりました', 'このリンクは、新しいリンクの発行により無効になりました。最新の依頼メールに記載されたリンクを開いてください。');
      return undefined;
    }
    return opened;
  }

  app.get<{ Params: { token: string } }>('/r/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const opened = await linkState(request.params.token, false, reply);
    if (!opened) return reply;
    const city = await findCity(app.db, opened.invitation.city_code);
    return reply.header('cache-control', NO_STORE).view('pages/respondent/link.hbs', {
      title: opened.survey.title,
      survey: opened.survey,
      cityName: city?.name ?? opened.invitation.city_code,
      action: `/r/${request.params.token}`,
    });
  });

  app.post<{ Params: { token: string } }>('/r/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const opened = await linkState(request.params.token, true, reply);
    if (!opened) return reply;
    const { invitation, survey } = opened;
    const expires = sessionExpiry(survey.deadline, app.clock());
    const jwt = app.signRespondentSession({ surveyId: survey.id, cityCode: invitation.city_code, invitationId: invitation.id }, expires);
    reply.setCookie(RESPONDENT_COOKIE, jwt, { httpOnly: true, sameSite: 'lax', path: '/', secure: app.config.publicUrl.startsWith('https:'), expires });
    return reply.header('cache-control', NO_STORE).redirect('/respond', 303);
  });

  app.get<{ Querystring: { saved?: string; discarded?: string; plan?: string; planError?: string } }>(
    '/respond',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { saved: { type: 'string', maxLength: 2 }, discarded: { type: 'string', maxLength: 2 }, plan: { type: 'string', maxLength: 300 }, planError: { type: 'string', maxLength: 300 } },
        },
      },
    },
    async (request, reply) => {
      const ctx = await context(request, reply, { response: true, planDocuments: true });
      if (!ctx) return reply;
      const state = pageState(ctx);
      if (ctx.survey.status === 'draft') {
        return message(reply, 200, 'まだ回答を受け付けていません', `「${ctx.survey.title}」の回答受付はまだ始まっていません。受付開始後に、もう一度このリンクを開いてください。`);
      }
      if (ctx.survey.status !== 'open') {
        return renderSummary(reply, ctx, state, { heading: '回答の内容（受付終了）', message: closedMessage(ctx.survey), canEdit: false });
      }
      const late = deadlinePassed(ctx.survey.deadline, app.clock());
      const notice =
        request.query.saved === '1'
          ? state.hasUnsubmittedChanges
            ? '一時保存しました。変更を集計に反映するには「回答を送信」を押してください。'
            : late
              ? '一時保存しました。回答期限を過ぎています。入力が終わりましたら、できるだけ早く「回答を送信」を押してください。'
              : '一時保存しました。回答期限までに「回答を送信」を押してください。'
          : request.query.discarded === '1'
            ? '送信後の変更を取り消し、送信済みの回答に戻しました。'
            : undefined;
      return renderForm(reply, ctx, state, { notice, plan: { notice: request.query.plan, error: request.query.planError }, planDocuments: ctx.page.planDocuments });
    },
  );

  /** Saves or submits the values; on failure re-renders the form (or the conflict page) with everything typed. */
  async function saveValues(request: FastifyRequest, reply: FastifyReply, ctx: Context, values: FormValues, intent: string, version: number) {
    const submit = intent === 'submit';
    try {
      const saved = await saveResponse(app.db, {
        surveyId: ctx.survey.id,
        cityCode: ctx.city.code,
        input: inputFromValues(values),
        expectedVersion: version,
        actor: respondentActor(request),
        submit,
        now: app.clock(),
        keepWhatCanBeSaved: true,
        definitions: app.surveyDefinitions,
      });
      if (!submit) return reply.redirect('/respond?saved=1', 303);
      if (saved.countedChanged) app.queueReceipt({ surveyId: ctx.survey.id, cityCode: ctx.city.code, model: saved.model, submittedAt: saved.submittedAt });
      return reply.redirect('/respond/confirmation', 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err instanceof ResponseConflict) return renderConflict(reply, ctx, err.current, values, intent, version);
      const state = await getResponse(app.db, ctx.survey.id, ctx.city.code);
      if (err.statusCode === 403) {
        const survey = (await findSurvey(app.db, ctx.survey.id)) ?? ctx.survey;
        return renderSummary(reply, { ...ctx, survey }, state, { heading: '回答の内容（受付終了）', message: `${err.message}。`, canEdit: false, status: 403 });
      }
      if (err.errors) {
        const errorTitle = submit ? '送信できませんでした。未回答または誤りのある項目があります' : '一時保存できませんでした。入力内容に誤りがある項目があります';
        const savedNote = submit
          ? '誤りのない項目は一時保存しました（まだ送信していません）。'
          : '誤りのある項目のほかは一時保存しました。誤りのある項目は、直してからもう一度保存してください。';
        return renderForm(reply, ctx, state, { values, errors: err.errors, errorTitle, savedNote, status: err.statusCode });
      }
      throw err;
    }
  }

  const versionOf = (body: Body) => {
    const n = Number.parseInt(String(Array.isArray(body.version) ? body.version[0] : (body.version ?? '')), 10);
    return Number.isInteger(n) ? n : -1;
  };

  app.post<{ Body: Body }>('/respond', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const body = request.body ?? {};
    const values = valuesFromBody(body, ctx.definition.measures);
    return saveValues(request, reply, ctx, values, String(body.action ?? 'save'), versionOf(body));
  });

  // The conflict page's choice: each differing field from their input (default) or from the saved answers.
  app.post<{ Body: Body }>('/respond/merge', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    const body = request.body ?? {};
    const mine = valuesFromBody(body, ctx.definition.measures);
    const current = await getResponse(app.db, ctx.survey.id, ctx.city.code);
    const choice = String(body.choice ?? 'merge');
    const paths = Object.entries(body)
      .filter(([key, value]) => key.startsWith('pick:') && (choice === 'theirs' || (choice === 'merge' && value === 'theirs')))
      .map(([key]) => key.slice(5));
    if (choice === 'theirs') return reply.redirect('/respond', 303);
    const merged = choice === 'mine' ? mine : takeFields(mine, valuesFromAnswers(current.model), paths);
    return saveValues(request, reply, ctx, merged, String(body.intent ?? 'save'), versionOf(body));
  });

  app.post<{ Body: Body }>('/respond/discard', { schema: { hide: true, body: FormBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = await context(request, reply);
    if (!ctx) return reply;
    try {
      await discardChanges(app.db, { surveyId: ctx.survey.id, cityCode: ctx.city.code, actor: respondentActor(request), expectedVersion: versionOf(request.body ?? {}), now: app.clock() });
    } catch (err) {
      if (!(err instanceof ResponseConflict)) throw err;
      return renderForm(reply, ctx, err.current, { notice: '別の画面で回答が更新されていたため、変更を取り消していません。最新の内容を表示しています。' });
    }
    return reply.redirect('/respond?discarded=1', 303);
  });

  app.get('/respond/confirmation', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await context(request, reply, { response: true });
    if (!ctx) return reply;
    const state = pageState(ctx);
    const open = ctx.survey.status === 'open';
    const late = deadlinePassed(ctx.survey.deadline, app.clock());
    return renderSummary(reply, ctx, state, {
      heading: state.status === 'submitted' ? '回答を送信しました' : '回答の内容',
      notice:
        state.status === 'submitted'
          ? `ご回答ありがとうございました。次の内容で受け付けました。${open ? (late ? '受付中は修正して再送信できます。' : '回答期限までは修正して再送信できます。') : ''}`
          : undefined,
      message: open ? (state.hasUnsubmittedChanges ? UNSUBMITTED_NOTICE : undefined) : closedMessage(ctx.survey),
      canEdit: open,
    });
  });
}

export default respondentPages;
