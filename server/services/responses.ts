// Response use cases: read a city's response, save, submit or discard changes, with optimistic concurrency on
// `version`. The lifecycle (issue #11, API.md «Respondent»): until the first submission the response is a draft;
// once submitted, the last submitted answers are what the results count, and later saves are kept as
// unsubmitted changes (responses.pending_answers) until the next submission replaces the counted answers.
// Used by the respondent form/API, the organiser's corrections and the Excel import alike.
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import type { ResponseRow, Survey } from '../db/schema.js';
import { conflict, DomainError, type FieldError, forbidden, notFound, unprocessable } from '../domain/errors.js';
import type { Answer, ResponseStatus } from '../domain/glossary.js';
import { EMPTY_ANSWERS, formatLatestNumber, type MeasureRef, mergeErrors, normaliseResponse, type ResponseAnswers, type ResponseInput, validateForSubmit } from '../domain/response.js';
import { differences } from '../domain/response-fields.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { loadSaveState, rowAfterWrite, type RowWrite, type SaveWrite, writeSave } from '../repositories/response-save.js';
import { findParticipantCity, findResponse, loadMeasureAnswers, rowToAnswers, setPendingAnswers } from '../repositories/responses.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import type { AnswersView } from '../schemas/response.js';
import { SurveyDefinitionCache } from './survey-definitions.js';

export interface ResponseState {
  status: 'not_started' | ResponseStatus;
  /** 0 before the first save */
  version: number;
  submittedAt: string | null;
  updatedAt: string | null;
  /** submitted, with later changes saved but not submitted */
  hasUnsubmittedChanges: boolean;
  /** API.md «A response» shape (latestNumber as "第4次"): the answers as last saved */
  answers: AnswersView;
  /** the same answers as stored (latestNumber as a number), for pages and workbooks */
  model: ResponseAnswers;
  /** the answers the results count (the last submitted ones), or null before the first submission */
  submitted: ResponseAnswers | null;
}

export interface SaveResponseArgs {
  surveyId: number;
  cityCode: string;
  input: ResponseInput;
  /** the version the caller last read (0 = never saved); undefined skips the check (organiser corrections only) */
  expectedVersion?: number;
  actor: Actor;
  /** true: validate every required answer (422 with errors) and make these the counted answers */
  submit?: boolean;
  now: Date;
  /** 修正理由: required for an organiser's correction once the survey is closed */
  reason?: string;
  /**
   * When the input cannot be saved as it is (a format error, or a submit with answers missing): save what can be
   * saved (fields with a format error keep their stored value) and then throw the errors. For forms, so that nothing
   * a person typed and could be kept is lost.
   */
  keepWhatCanBeSaved?: boolean;
  /** where the answers came from, kept in the audit entry (accepted proposals: { source: 'plan-document', docId }) */
  auditSource?: Record<string, unknown>;
  /** the app's survey definition cache (the respondent's saves); without it the measures are read */
  definitions?: SurveyDefinitionCache;
}

export interface SavedResponse {
  status: ResponseStatus;
  version: number;
  submittedAt: string | null;
  hasUnsubmittedChanges: boolean;
  answers: AnswersView;
  model: ResponseAnswers;
  /** a submission that changed the counted answers or the status (what a receipt mail is for) */
  countedChanged: boolean;
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

/** Stored pending answers, restricted to the survey's current measures. */
function pendingOf(row: ResponseRow, measures: Set<string>): ResponseAnswers | null {
  if (row.pending_answers === null || row.pending_answers === undefined) return null;
  const raw = (typeof row.pending_answers === 'string' ? JSON.parse(row.pending_answers) : row.pending_answers) as ResponseAnswers;
  return { ...raw, measures: Object.fromEntries(Object.entries(raw.measures ?? {}).filter(([code]) => measures.has(code))) };
}

async function stateOf(db: Db, row: ResponseRow | undefined): Promise<ResponseState> {
  if (!row) return responseStateOf(undefined, {}, new Set());
  const stored = await loadMeasureAnswers(db, row.id);
  const hasPending = row.status === 'submitted' && row.pending_answers !== null && row.pending_answers !== undefined;
  return responseStateOf(row, stored, hasPending ? new Set((await measureRefs(db, row.survey_id)).map((m) => m.code)) : new Set());
}

/** The state of a response from its row, its stored answers of current measures and the survey's current measure codes. */
export function responseStateOf(row: ResponseRow | undefined, storedMeasures: Record<string, Answer>, measureCodes: Set<string>): ResponseState {
  if (!row) {
    return { status: 'not_started', version: 0, submittedAt: null, updatedAt: null, hasUnsubmittedChanges: false, answers: toAnswersView(EMPTY_ANSWERS), model: EMPTY_ANSWERS, submitted: null };
  }
  const stored = rowToAnswers(row, storedMeasures);
  const hasPending = row.status === 'submitted' && row.pending_answers !== null && row.pending_answers !== undefined;
  const pending = hasPending ? pendingOf(row, measureCodes) : null;
  const model = pending ?? stored;
  return {
    status: row.status,
    version: row.version,
    submittedAt: iso(row.submitted_at),
    updatedAt: iso(row.pending_updated_at ?? row.updated_at),
    hasUnsubmittedChanges: pending !== null,
    answers: toAnswersView(model),
    model,
    submitted: row.status === 'submitted' ? stored : null,
  };
}

/** A city's response to a survey (empty values and version 0 before the first save); 404 when the city does not take part. */
export async function getResponse(db: Db, surveyId: number, cityCode: string): Promise<ResponseState> {
  await requireParticipant(db, surveyId, cityCode);
  return stateOf(db, await findResponse(db, surveyId, cityCode));
}

/** 409 for a stale version, carrying the saved answers so that a page can show both versions side by side. */
export class ResponseConflict extends DomainError {
  constructor(readonly current: ResponseState) {
    super(
      409,
      'CONFLICT',
      `この回答は、別の画面または別の担当者が先に保存したため更新されています（現在の版: ${current.version}）。` +
        'あなたの入力はまだ保存されていません。保存されている回答と見比べて、どちらを残すか選んでください',
    );
  }
}

export function conflictError(currentVersion: number): DomainError {
  return conflict(
    `この回答は、別の画面または別の担当者が先に保存したため更新されています（現在の版: ${currentVersion}）。` +
      '入力内容は保存されていません。最新の回答を読み込み直して確認してから、もう一度保存してください',
  );
}

/** Who may write the response in the survey's current status (API.md «Surveys», «Respondent»). */
function checkWritable(survey: Survey, actor: Actor, reason: string | undefined, opts: { reasonRequired: boolean } = { reasonRequired: true }): void {
  if (actor.type === 'respondent') {
    if (survey.status === 'open') return;
    const why = survey.status === 'draft' ? 'この調査はまだ回答の受付を開始していません' : 'この調査の回答受付は終了しました';
    throw forbidden(`${why}。回答の保存・送信はできません`);
  }
  if (survey.status === 'published') throw conflict('結果公表中の調査の回答は修正できません。修正するには、先に結果の公表を取り下げてください（調査の状態を「締切」に戻す）');
  if (survey.status === 'closed' && opts.reasonRequired && !reason?.trim()) {
    const message = '締切後の修正には修正理由が必要です。';
    throw unprocessable(message, [{ path: '/reason', message: '修正理由を入力してください。' }]);
  }
}

/** JSON with object keys sorted, so that two equal answer sets compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
const same = (a: ResponseAnswers | null, b: ResponseAnswers | null) => a !== null && b !== null && canonicalJson(a) === canonicalJson(b);

interface Outcome {
  saved?: SavedResponse;
  /** errors to throw once what could be saved is written */
  failure?: DomainError;
}

/** A save whose write found the response changed since its read (another save got there first): nothing was written. */
const RACED = Symbol('raced');
/** Reads and writes a save may take when other saves keep getting there first (without expectedVersion only). */
const MAX_ATTEMPTS = 3;

/**
 * Saves (and optionally submits) a response: version check, normalise, validate, store, audit. Two round trips
 * (issue #15): one read, then one statement that writes only if the response is still as read (its version), so it
 * needs no transaction; a caller's transaction is used as it is. When another save got there first, the response
 * is read again: with expectedVersion that is a ResponseConflict (409), without it (an organiser's correction) the
 * save is made again over what is now stored. Submitting makes the answers the counted ones; saving after a
 * submission keeps the counted answers and records the changes as unsubmitted.
 */
export async function saveResponse(db: Db, args: SaveResponseArgs): Promise<SavedResponse> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await save(db, args);
    if (outcome === RACED) {
      if (attempt < MAX_ATTEMPTS) continue;
      throw new ResponseConflict(await stateOf(db, await findResponse(db, args.surveyId, args.cityCode)));
    }
    if (outcome.failure) throw outcome.failure;
    return outcome.saved!;
  }
}

async function save(db: Db, args: SaveResponseArgs): Promise<Outcome | typeof RACED> {
  const { surveyId, cityCode, input, expectedVersion, actor, submit = false, now } = args;
  const state = await loadSaveState(db, surveyId, cityCode);
  if (!state) throw notFound('調査');
  if (!state.isParticipant) throw notFound('この調査の照会先団体');
  const { survey } = state;
  checkWritable(survey, actor, args.reason);
  // from the definition cache when the caller has one (the respondent's saves); else a third round trip
  const measureList = (await (args.definitions ?? new SurveyDefinitionCache()).get(db, surveyId, state.measureRevision)).measures;
  const row = state.response?.row;
  const measureIds = new Map(measureList.map((m) => [m.code, m.id]));
  const measureCodes = new Set(measureIds.keys());
  const storedAnswers = state.response?.answers ?? [];
  const storedCurrent: Record<string, Answer> = Object.fromEntries(storedAnswers.filter((a) => !a.retired).map((a) => [a.code, a.answer]));
  const before = responseStateOf(row, storedCurrent, measureCodes);
  if (expectedVersion !== undefined && expectedVersion !== before.version) throw new ResponseConflict(before);
  const measures: MeasureRef[] = measureList.map((m) => ({ code: m.code, label: m.label }));
  const normalised = normaliseResponse(input, before.model, measures);
  const { errors } = normalised;
  // Keeping what can be saved: a field with a format error keeps its stored value.
  const answers = args.keepWhatCanBeSaved && errors.length > 0 ? withStoredValues(normalised.answers, before.model, errors) : normalised.answers;

  let failure: DomainError | undefined;
  if (submit) {
    const all = mergeErrors(errors, validateForSubmit(normalised.answers, measures), measures);
    if (all.length > 0) failure = unprocessable(`送信できません。未回答または誤りのある項目があります（${all.length} 件）`, all);
  } else if (errors.length > 0) {
    failure = new DomainError(400, 'VALIDATION', `入力内容に誤りがあります（${errors.length} 件）`, errors);
  }
  if (failure && !args.keepWhatCanBeSaved) throw failure;

  const submitting = submit && !failure;
  const unchanged = same(answers, before.model);
  // Nothing new: a repeated submit (a double click, a retried request), or a save of what is already saved.
  if ((submitting && row?.status === 'submitted' && !before.hasUnsubmittedChanges && unchanged) || (!submitting && row && unchanged)) {
    return { failure, saved: savedOf(before, false) };
  }

  let write: RowWrite;
  let changes: SaveWrite['answers'];
  let storedNow = storedCurrent;
  if (submitting || !row || row.status === 'draft') {
    const status: ResponseStatus = submitting ? 'submitted' : 'draft';
    const submittedAt = submitting ? now : undefined;
    write = row ? { kind: 'update', id: row.id, version: row.version, answers, status, submittedAt } : { kind: 'insert', surveyId, cityCode, answers, status, submittedAt };
    // The stored answers become exactly answers.measures: changed ones upserted, the others (cleared, or of a
    // retired measure) deleted; unchanged rows are not touched.
    const written: Record<string, Answer> = {};
    const upsert: Array<{ measureId: number; answer: Answer }> = [];
    const keep = new Set<number>();
    const storedById = new Map(storedAnswers.map((a) => [a.measureId, a.answer]));
    for (const [code, answer] of Object.entries(answers.measures)) {
      const measureId = measureIds.get(code);
      if (measureId === undefined) continue;
      written[code] = answer;
      keep.add(measureId);
      if (storedById.get(measureId) !== answer) upsert.push({ measureId, answer });
    }
    changes = { upsert, remove: storedAnswers.filter((a) => !keep.has(a.measureId)).map((a) => a.measureId) };
    storedNow = written;
  } else {
    // Submitted before: the counted answers stay; the changes wait for the next submission (or are dropped when
    // they bring the answers back to the submitted ones).
    write = { kind: 'pending', id: row.id, version: row.version, pending: same(answers, before.submitted) ? null : answers };
  }
  // The state after the write, as the audit entry records it: the write happens only over the row as read.
  const after = responseStateOf(rowAfterWrite(row, write, now), storedNow, measureCodes);
  const audit = {
    actor,
    action: submitting ? 'submit' : 'save',
    entity: 'response',
    entityId: `${surveyId}:${cityCode}`,
    surveyId,
    before: row ? { status: before.status, version: before.version, hasUnsubmittedChanges: before.hasUnsubmittedChanges, answers: before.answers } : undefined,
    after: {
      status: after.status,
      version: after.version,
      hasUnsubmittedChanges: after.hasUnsubmittedChanges,
      answers: after.answers,
      changed: differences(before.model, answers, measures),
      ...(args.reason ? { reason: args.reason.trim() } : {}),
      ...args.auditSource,
    },
  };
  const saved = await writeSave(db, { row: write, answers: changes, audit, updatedBy: `${actor.type}:${actor.id}`, now });
  if (!saved) return RACED;
  const countedChanged = submitting && (row?.status !== 'submitted' || !same(before.submitted, answers));
  return { failure, saved: savedOf(responseStateOf(saved, storedNow, measureCodes), countedChanged) };
}

/** `answers` with the fields named by `errors` put back to their stored value (the period as a pair: its order is one rule). */
function withStoredValues(answers: ResponseAnswers, stored: ResponseAnswers, errors: FieldError[]): ResponseAnswers {
  const out: ResponseAnswers = { contact: { ...answers.contact }, plan: { ...answers.plan }, disclosure: answers.disclosure, measures: { ...answers.measures } };
  for (const { path } of errors) {
    const [, group, key] = path.split('/');
    if (group === 'contact' && key in out.contact) (out.contact as unknown as Record<string, unknown>)[key] = (stored.contact as unknown as Record<string, unknown>)[key];
    else if (group === 'plan' && (key === 'periodStart' || key === 'periodEnd')) {
      out.plan.periodStart = stored.plan.periodStart;
      out.plan.periodEnd = stored.plan.periodEnd;
    } else if (group === 'plan' && key in out.plan) (out.plan as unknown as Record<string, unknown>)[key] = (stored.plan as unknown as Record<string, unknown>)[key];
    else if (group === 'disclosure') out.disclosure = stored.disclosure;
    else if (group === 'measures' && key) {
      if (stored.measures[key] === undefined) delete out.measures[key];
      else out.measures[key] = stored.measures[key];
    }
  }
  return out;
}

function savedOf(state: ResponseState, countedChanged: boolean): SavedResponse {
  return {
    status: state.status === 'not_started' ? 'draft' : state.status,
    version: state.version,
    submittedAt: state.submittedAt,
    hasUnsubmittedChanges: state.hasUnsubmittedChanges,
    answers: state.answers,
    model: state.model,
    countedChanged,
  };
}

/** Submits the response as last saved (POST /api/v1/response/submit): 422 with every missing answer. */
export async function submitResponse(
  db: Db,
  args: { surveyId: number; cityCode: string; actor: Actor; expectedVersion?: number; now: Date; reason?: string; definitions?: SurveyDefinitionCache },
): Promise<SavedResponse> {
  return saveResponse(db, { ...args, input: {}, submit: true });
}

/** Drops the unsubmitted changes of a submitted response: the answers go back to the submitted ones. */
export async function discardChanges(db: Db, args: { surveyId: number; cityCode: string; actor: Actor; expectedVersion?: number; now: Date }): Promise<SavedResponse> {
  return inTransaction(db, async (trx) => {
    const survey = await findSurvey(trx, args.surveyId);
    if (!survey) throw notFound('調査');
    checkWritable(survey, args.actor, undefined, { reasonRequired: false });
    const row = await findResponse(trx, args.surveyId, args.cityCode, { forUpdate: true });
    const before = await stateOf(trx, row);
    if (args.expectedVersion !== undefined && args.expectedVersion !== before.version) throw new ResponseConflict(before);
    if (!row || !before.hasUnsubmittedChanges) return savedOf(before, false);
    const saved = await setPendingAnswers(trx, row.id, null, { updatedBy: `${args.actor.type}:${args.actor.id}`, now: args.now });
    const after = await stateOf(trx, saved);
    await recordAudit(trx, {
      actor: args.actor,
      action: 'discard-changes',
      entity: 'response',
      entityId: `${args.surveyId}:${args.cityCode}`,
      surveyId: args.surveyId,
      before: { version: before.version, answers: before.answers },
      after: { version: after.version, answers: after.answers },
    });
    return savedOf(after, false);
  });
}

export type { FieldError };
