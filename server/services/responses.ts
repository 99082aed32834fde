// Response use cases: read a city's response, save (draft) or submit it with optimistic concurrency on
// `version`. One transaction + one audit entry per write. Used by the respondent form/API, the organiser's
// corrections and the Excel import, so all of them normalise and validate the same way.
import type { Db } from '../db/database.js';
import type { ResponseRow, Survey } from '../db/schema.js';
import { conflict, DomainError, forbidden, notFound, unprocessable } from '../domain/errors.js';
import type { ResponseStatus } from '../domain/glossary.js';
import { EMPTY_ANSWERS, formatLatestNumber, type MeasureRef, mergeErrors, normaliseResponse, type ResponseAnswers, type ResponseInput, validateForSubmit } from '../domain/response.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { findParticipantCity, findResponse, insertResponse, loadMeasureAnswers, replaceMeasureAnswers, rowToAnswers, updateResponse } from '../repositories/responses.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import type { AnswersView } from '../schemas/response.js';

export interface ResponseState {
  status: 'not_started' | ResponseStatus;
  /** 0 before the first save */
  version: number;
  submittedAt: string | null;
  updatedAt: string | null;
  /** API.md «A response» shape (latestNumber as "第4次") */
  answers: AnswersView;
  /** the same answers as stored (latestNumber as a number), for pages and workbooks */
  model: ResponseAnswers;
}

export interface SaveResponseArgs {
  surveyId: number;
  cityCode: string;
  input: ResponseInput;
  /** the version the caller last read (0 = never saved); undefined skips the check (organiser corrections only) */
  expectedVersion?: number;
  actor: Actor;
  /** true: validate every required answer (422 with errors) and mark the response submitted */
  submit?: boolean;
  /** where the answers came from, kept in the audit entry (accepted proposals: { source: 'plan-document', docId }) */
  auditSource?: Record<string, unknown>;
}

export interface SavedResponse {
  status: ResponseStatus;
  version: number;
  submittedAt: string | null;
  answers: AnswersView;
  model: ResponseAnswers;
}

export function toAnswersView(a: ResponseAnswers): AnswersView {
  return { contact: { ...a.contact }, plan: { ...a.plan, latestNumber: formatLatestNumber(a.plan.latestNumber) }, disclosure: a.disclosure, measures: { ...a.measures } };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

async function requireParticipant(db: Db, surveyId: number, cityCode: string) {
  const city = await findParticipantCity(db, surveyId, cityCode);
  if (!city) throw notFound('この調査の照会先団体');
  return city;
}

async function measureRefs(db: Db, surveyId: number): Promise<MeasureRef[]> {
  return (await listMeasures(db, surveyId)).map((m) => ({ code: m.code, label: m.label }));
}

async function stateOf(db: Db, row: ResponseRow | undefined): Promise<ResponseState> {
  if (!row) return { status: 'not_started', version: 0, submittedAt: null, updatedAt: null, answers: toAnswersView(EMPTY_ANSWERS), model: EMPTY_ANSWERS };
  const model = rowToAnswers(row, await loadMeasureAnswers(db, row.id));
  return { status: row.status, version: row.version, submittedAt: iso(row.submitted_at), updatedAt: iso(row.updated_at), answers: toAnswersView(model), model };
}

/** A city's response to a survey (empty values and version 0 before the first save); 404 when the city does not take part. */
export async function getResponse(db: Db, surveyId: number, cityCode: string): Promise<ResponseState> {
  await requireParticipant(db, surveyId, cityCode);
  return stateOf(db, await findResponse(db, surveyId, cityCode));
}

export function conflictError(currentVersion: number): DomainError {
  return conflict(
    `この回答は、別の画面または別の担当者が先に保存したため更新されています（現在の版: ${currentVersion}）。` +
      '入力内容は保存されていません。最新の回答を読み込み直して確認してから、もう一度保存してください',
  );
}

function checkSurveyAcceptsAnswers(survey: Survey, actor: Actor): void {
  if (actor.type !== 'respondent' || survey.status === 'open') return;
  const why = survey.status === 'draft' ? 'この調査はまだ回答の受付を開始していません' : 'この調査の回答受付は終了しました';
  throw forbidden(`${why}。回答の保存・送信はできません`);
}

/** JSON with object keys sorted, so that two equal answer sets compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Saves (and optionally submits) a response in one transaction: version check, normalise, validate, store, audit. */
export async function saveResponse(db: Db, args: SaveResponseArgs): Promise<SavedResponse> {
  const { surveyId, cityCode, input, expectedVersion, actor, submit = false } = args;
  return db.transaction().execute(async (trx) => {
    const survey = await findSurvey(trx, surveyId);
    if (!survey) throw notFound('調査');
    await requireParticipant(trx, surveyId, cityCode);
    checkSurveyAcceptsAnswers(survey, actor);
    const row = await findResponse(trx, surveyId, cityCode, { forUpdate: true });
    const currentVersion = row?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== currentVersion) throw conflictError(currentVersion);
    const before = await stateOf(trx, row);
    const measures = await measureRefs(trx, surveyId);
    const { answers, errors } = normaliseResponse(input, before.model, measures);
    if (submit) {
      const all = mergeErrors(errors, validateForSubmit(answers, measures), measures);
      if (all.length > 0) throw unprocessable(`送信できません。未回答または誤りのある項目があります（${all.length} 件）`, all);
    }
    if (errors.length > 0) throw new DomainError(400, 'VALIDATION', `入力内容に誤りがあります（${errors.length} 件）`, errors);
    // A repeated submit of unchanged answers (a double click, a retried request) changes nothing.
    if (submit && row?.status === 'submitted' && canonicalJson(answers) === canonicalJson(before.model)) {
      return { status: row.status, version: row.version, submittedAt: iso(row.submitted_at), answers: toAnswersView(answers), model: answers };
    }
    const write = { answers, status: (submit ? 'submitted' : 'draft') as ResponseStatus, submittedAt: submit ? new Date() : undefined, updatedBy: `${actor.type}:${actor.id}` };
    const saved = row ? await updateResponse(trx, row.id, write) : await insertResponse(trx, surveyId, cityCode, write);
    if (!saved) throw conflictError(1);
    await replaceMeasureAnswers(trx, saved.id, surveyId, answers.measures);
    const after = toAnswersView(answers);
    await recordAudit(trx, {
      actor,
      action: submit ? 'submit' : 'save',
      entity: 'response',
      entityId: `${surveyId}:${cityCode}`,
      surveyId,
      before: row ? { status: row.status, version: row.version, answers: before.answers } : undefined,
      after: { status: saved.status, version: saved.version, answers: after, ...args.auditSource },
    });
    return { status: saved.status, version: saved.version, submittedAt: iso(saved.submitted_at), answers: after, model: answers };
  });
}

/** Submits the response as last saved (POST /api/v1/response/submit): 422 with every missing answer. */
export async function submitResponse(db: Db, args: { surveyId: number; cityCode: string; actor: Actor; expectedVersion?: number }): Promise<SavedResponse> {
  return saveResponse(db, { ...args, input: {}, submit: true });
}
