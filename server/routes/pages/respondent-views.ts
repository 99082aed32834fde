// The respondent's form pages as both page plugins draw them (respondent.ts and respondent-plans.ts): the session's
// context, the form, the read-only summary, the conflict page, and saving what was typed (re-rendering it on failure).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { City, Survey } from '../../db/schema.js';
import { DomainError, type FieldError } from '../../domain/errors.js';
import { deadlinePassed } from '../../domain/deadlines.js';
import { EMPTY_ANSWERS, normaliseResponse, type ResponseInput } from '../../domain/response.js';
import { differences, responseFields } from '../../domain/response-fields.js';
import { type Respondent, respondentActor } from '../../plugins/respondent-auth.js';
import { findCity } from '../../repositories/cities.js';
import { findSurvey, listMeasures } from '../../repositories/surveys.js';
import { disclosureLabel, measureGroups, planLines } from '../../services/response-summary.js';
import { getResponse, ResponseConflict, type ResponseState, saveResponse, toAnswersView } from '../../services/responses.js';
import { answersAtVersion } from '../../repositories/audit.js';
import { respondentPlanPanel, sharedPlansView } from '../../services/plan-documents-view.js';
import { type FormValues, formModel, hiddenInputs, inputFromValues, valuesFromAnswers, valuesFromBody } from './respondent-form.js';

const STATUS_LABELS = { not_started: '未回答', draft: '一時保存中（未送信）', submitted: '送信済み' } as const;
export const NO_STORE = 'no-store';
export const UNSUBMITTED_NOTICE = '送信済みの回答が集計に使われています。変更は「回答を送信」を押すまで集計に反映されません。';

export interface Context {
  respondent: Respondent;
  survey: Survey;
  city: City;
}

export type Body = Record<string, unknown>;
export const TokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } }, required: ['token'] } as const;
export const FormBody = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 5000 }, { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 5000 } }] } } as const;

function statusText(state: ResponseState): string {
  if (state.status === 'submitted' && state.hasUnsubmittedChanges) return '送信済み（送信後の変更は未送信）';
  return STATUS_LABELS[state.status];
}

/** The respondent pages' shared parts, bound to the app. */
export function respondentViews(app: FastifyInstance) {
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

  /** The respondent of a page request (cookie only), or a friendly page and undefined. */
  async function context(request: FastifyRequest, reply: FastifyReply): Promise<Context | undefined> {
    const respondent = await app.findRespondent(request, { cookieOnly: true });
    const survey = respondent && (await findSurvey(app.db, respondent.surveyId));
    const city = respondent && (await findCity(app.db, respondent.cityCode));
    if (!respondent || !survey || !city) {
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
    request.respondent = respondent;
    return { respondent, survey, city };
  }

  async function renderForm(
    reply: FastifyReply,
    ctx: Context,
    state: ResponseState,
    opts: { values?: FormValues; errors?: FieldError[]; errorTitle?: string; notice?: string; status?: number; savedNote?: string; plan?: { notice?: string; error?: string } },
  ) {
    const measures = await listMeasures(app.db, ctx.survey.id);
    const now = app.clock();
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
        form: formModel(opts.values ?? valuesFromAnswers(state.model), opts.errors ?? [], measures, { receipts: app.receiptsEnabled }),
        errorTitle: opts.errorTitle,
        savedNote: opts.savedNote,
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
    const measures = (await listMeasures(app.db, ctx.survey.id)).map((m) => ({ code: m.code, label: m.label }));
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
      });
      if (!submit) return reply.redirect(opts.savedTo ?? '/respond?saved=1', 303);
      if (saved.countedChanged) app.queueReceipt({ surveyId: ctx.survey.id, cityCode: ctx.city.code, model: saved.model, submittedAt: saved.submittedAt });
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
        const savedNote = submit
          ? '誤りのない項目は一時保存しました（まだ送信していません）。'
          : '誤りのある項目のほかは一時保存しました。誤りのある項目は、直してからもう一度保存してください。';
        return renderForm(reply, ctx, state, { values, errors: err.errors, errorTitle, savedNote, status: err.statusCode, plan: opts.plan });
      }
      throw err;
    }
  }

  const versionOf = (body: Body) => {
    const n = Number.parseInt(String(Array.isArray(body.version) ? body.version[0] : (body.version ?? '')), 10);
    return Number.isInteger(n) ? n : -1;
  };

  return { message, typedLines, context, renderForm, renderSummary, renderConflict, saveValues, versionOf };
}
