// The respondent's form pages as both page plugins draw them (respond.ts and plans.ts): the session's
// context, the form, the read-only summary, the conflict page, and saving what was typed (re-rendering it on failure).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { City, Survey } from '../../../db/schema.js';
import { DomainError, type FieldError, notFound } from '../../../domain/errors.js';
import { deadlinePassed } from '../../../domain/deadlines.js';
import { responseStatusLabel } from '../../../domain/glossary.js';
import { answerForm, text } from '../../../schemas/pages.js';
import { respondentMessage, typedLines as typedLinesOf } from './error-page.js';
import { EMPTY_ANSWERS, normaliseResponse, type ResponseInput } from '../../../domain/response.js';
import { differences, responseFields } from '../../../domain/response-fields.js';
import { type Respondent, respondentActor } from '../../../plugins/respondent-auth.js';
import { loadRespondentPage, type RespondentPage } from '../../../repositories/respondent-page.js';
import { findSurvey } from '../../../repositories/surveys.js';
import { contactLines, disclosureLabel, measureGroups, planLines, sendReceipt } from '../../../services/response-summary.js';
import { getResponse, ResponseConflict, type ResponseState, responseStateOf, saveResponse, toAnswersView } from '../../../services/responses.js';
import { type SurveyDefinition, SurveyDefinitionCache } from '../../../services/survey-definitions.js';
import { MEASURE_TABLE_PARTIAL, measureTableHtml, measureTableOf } from './measure-table.js';
import { answersAtVersion } from '../../../repositories/audit.js';
import { respondentPlanPanel, sharedPlansView } from '../../../services/plan-documents-view.js';
import { type FormValues, formModel, hiddenInputs, inputFromValues, valuesFromAnswers } from './form.js';
import { surveyPageView } from '../../../views/view-models.js';

export const NO_STORE = 'no-store';
export const UNSUBMITTED_NOTICE = '送信済みの回答が集計に使われています。変更は「回答を送信」を押すまで集計に反映されません。';

export interface Context {
  respondent: Respondent;
  survey: Survey;
  city: City;
  /** the survey's current measures (cached per measure revision) */
  definition: SurveyDefinition;
  /** what the page's one query read (the response only when asked for) */
  page: RespondentPage;
}

export type Body = Record<string, unknown>;
export const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
export const FormQuery = Type.Object({ saved: text(2), discarded: text(2), plan: text(300), planError: text(300) });
export const FormBody = answerForm();

function statusText(state: ResponseState): string {
  return responseStatusLabel(state, 'respondent');
}

/** The respondent pages' shared parts, bound to the app. */
export function respondentViews(app: FastifyInstance) {
  const message = respondentMessage;
  const typedLines = (request: FastifyRequest, surveyId?: number) => typedLinesOf(app, request, surveyId);

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
      /** keep the page drawn from this data (views/page-cache.ts), until validUntil */
      keep?: { key: string; fingerprint: string; writes?: number; validUntil?: Date };
    },
  ) {
    const { measures } = ctx.definition;
    const now = app.clock();
    const values = opts.values ?? valuesFromAnswers(state.model);
    const errors = opts.errors ?? [];
    const render = (context: unknown) => app.renderPartial(MEASURE_TABLE_PARTIAL, context);
    const csrf = reply.generateCsrf();
    const page = {
      title: `${ctx.survey.title}（回答）`,
      survey: surveyPageView(ctx.survey),
      city: ctx.city,
      statusLabel: statusText(state),
      submittedAt: state.submittedAt,
      version: state.version,
      hasUnsubmittedChanges: state.hasUnsubmittedChanges,
      unsubmittedNotice: state.hasUnsubmittedChanges ? UNSUBMITTED_NOTICE : undefined,
      deadlinePassed: deadlinePassed(ctx.survey.deadline, now),
      csrf,
      form: formModel(values, errors, measures, { receipts: app.mailer.smtp, groups: false }),
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
    };
    reply.code(opts.status ?? 200).header('cache-control', NO_STORE);
    if (!opts.keep) return reply.view('pages/respondent/form.hbs', page);
    const html = await reply.viewAsync('pages/respondent/form.hbs', page);
    app.renderedPages.keep(opts.keep.key, { ...opts.keep, html, token: csrf });
    return reply.type('text/html; charset=utf-8').send(html);
  }

  async function renderSummary(reply: FastifyReply, ctx: Context, state: ResponseState, opts: { heading: string; notice?: string; message?: string; canEdit: boolean; status?: number }) {
    const { measures } = ctx.definition;
    return reply
      .code(opts.status ?? 200)
      .header('cache-control', NO_STORE)
      .view('pages/respondent/summary.hbs', {
        title: opts.heading,
        ...opts,
        survey: surveyPageView(ctx.survey),
        city: ctx.city,
        statusLabel: statusText(state),
        submittedAt: state.submittedAt,
        answers: state.model,
        contactLines: contactLines(state.model),
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
        survey: surveyPageView(ctx.survey),
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

  /** Saves or submits the values; on failure re-renders the form (or the conflict page) with everything typed. */
  async function saveValues(
    request: FastifyRequest,
    reply: FastifyReply,
    ctx: Context,
    values: FormValues,
    intent: string,
    version: number,
    opts: { savedTo?: string; plan?: { notice?: string; error?: string } } = {},
  ) {
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
      if (!submit) return reply.redirect(opts.savedTo ?? '/respond?saved=1', 303);
      if (saved.countedChanged) {
        const receipt = { surveyId: ctx.survey.id, cityCode: ctx.city.code, model: saved.model, submittedAt: saved.submittedAt, now: app.clock() };
        app.runInBackground('receipt mail', () => sendReceipt(app.db, app.mailer, receipt));
      }
      return reply.redirect('/respond/confirmation', 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err instanceof ResponseConflict) return renderConflict(reply, ctx, err.current, values, intent, version);
      const state = await getResponse(app.db, ctx.survey.id, ctx.city.code);
      if (err.statusCode === 403) {
        const survey = (await findSurvey(app.db, ctx.survey.id)) ?? ctx.survey;
        return renderSummary(reply, { ...ctx, survey }, state, { heading: '回答の内容（受付終了）', message: err.message, canEdit: false, status: 403 });
      }
      if (err.errors) {
        const errorTitle = submit ? '送信できませんでした。未回答または誤りのある項目があります' : '一時保存できませんでした。入力内容に誤りがある項目があります';
        // the period is kept as a pair (domain/response.ts): a pair with an error is not saved, and the note says so
        const periodKept = !err.errors.some((e) => e.path === '/plan/periodStart' || e.path === '/plan/periodEnd');
        const periodNote = periodKept ? '' : '計画期間は開始年度と終了年度を組にして保存するため、今回は保存していません。';
        const savedNote = submit
          ? `誤りのない項目は一時保存しました（まだ送信していません）。${periodNote}`
          : `誤りのある項目のほかは一時保存しました。${periodNote}誤りのある項目は、直してからもう一度保存してください。`;
        return renderForm(reply, ctx, state, { values, errors: err.errors, errorTitle, savedNote, status: err.statusCode, plan: opts.plan });
      }
      throw err;
    }
  }

  const versionOf = (body: Body) => {
    const n = Number.parseInt(String(Array.isArray(body.version) ? body.version[0] : (body.version ?? '')), 10);
    return Number.isInteger(n) ? n : -1;
  };

  return { message, typedLines, context, pageState, renderForm, renderSummary, renderConflict, saveValues, versionOf };
}
