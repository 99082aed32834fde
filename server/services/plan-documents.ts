// Plan document use cases: attach (read in the worker, then store file, pages and reading in one transaction
// with an audit entry), remove, change 提供可否, accept proposals into the draft, and who may see which file.
import { createHash } from 'node:crypto';
import { type Db, inTransaction } from '../db/database.js';
import type { Shareable } from '../db/plan-documents-schema.js';
import { badRequest, DomainError, forbidden, notFound } from '../domain/errors.js';
import type { ResponseInput } from '../domain/response.js';
import { PLAN_CONTENT_TYPES, type PlanFormat } from '../plans/formats.js';
import { readPlanDocument } from '../plans/read-document.js';
import type { PlanReading } from '../plans/reading/read-plan.js';
import { type Actor, recordAudit } from '../repositories/audit.js';
import { deletePlanDocument, findPlanDocument, insertPlanDocument, listPlanDocuments, recordDecisions, updateShareable } from '../repositories/plan-documents.js';
import { findParticipantCity, findResponse } from '../repositories/responses.js';
import { findSurvey, listMeasures } from '../repositories/surveys.js';
import { type SavedResponse, saveResponse } from './responses.js';

export const SHAREABLE_LABELS: Record<Shareable, string> = { all: '他の回答団体に提供してよい', host: '照会元のみ' };

async function openSurveyFor(db: Db, surveyId: number, cityCode: string) {
  const survey = await findSurvey(db, surveyId);
  if (!survey || !(await findParticipantCity(db, surveyId, cityCode))) throw notFound('調査');
  if (survey.status !== 'open') {
    const why = survey.status === 'draft' ? 'この調査はまだ回答の受付を開始していません' : 'この調査の回答受付は終了しました';
    throw forbidden(`${why}。計画書の添付・削除はできません。`);
  }
  return survey;
}

/** 提供可否 when the respondent did not choose: private (公表しない) or not yet answered → 照会元のみ. */
async function defaultShareable(db: Db, surveyId: number, cityCode: string): Promise<Shareable> {
  const response = await findResponse(db, surveyId, cityCode);
  return response?.disclosure === 'public' ? 'all' : 'host';
}

export function parseShareable(value: unknown): Shareable | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'all' || value === 'host') return value;
  const message = '提供可否は「all」（他の回答団体に提供してよい）か「host」（照会元のみ）で指定してください。';
  throw badRequest(message, [{ path: '/shareable', message }]);
}

export function cleanFileName(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not keep
  const name = (raw ?? '').normalize('NFC').replace(/[\u0000-\u001f\u007f/\\]/g, '').trim().slice(0, 200);
  if (name === '') {
    const message = 'ファイル名（fileName）を指定してください。';
    throw badRequest(message, [{ path: '/fileName', message }]);
  }
  return name;
}

export interface AttachArgs {
  surveyId: number;
  cityCode: string;
  fileName: string;
  format: PlanFormat;
  content: Buffer;
  shareable?: Shareable;
  actor: Actor;
  /** a document of the same city to replace in the same transaction */
  replaceId?: number;
}

export async function attachPlanDocument(db: Db, args: AttachArgs) {
  await openSurveyFor(db, args.surveyId, args.cityCode);
  const replaced = args.replaceId !== undefined ? await ownDocument(db, args.surveyId, args.cityCode, args.replaceId) : undefined;
  const measures = (await listMeasures(db, args.surveyId)).filter((m) => !m.retired_at).map((m) => ({ code: m.code, label: m.label }));
  const read = await readPlanDocument(args.content, args.format, measures);
  // a replacement keeps the 提供可否 of the file it replaces unless one is given
  const shareable = args.shareable ?? (replaced?.shareable as 'all' | 'host' | undefined) ?? (await defaultShareable(db, args.surveyId, args.cityCode));
  return inTransaction(db, async (trx) => {
    await openSurveyFor(trx, args.surveyId, args.cityCode);
    if (args.replaceId !== undefined) await deletePlanDocument(trx, args.replaceId);
    const row = await insertPlanDocument(trx, {
      surveyId: args.surveyId,
      cityCode: args.cityCode,
      fileName: args.fileName,
      contentType: PLAN_CONTENT_TYPES[args.format],
      content: args.content,
      sha256: createHash('sha256').update(args.content).digest('hex'),
      shareable,
      pages: read.pages,
      reading: read.reading,
      warnings: read.warnings,
    });
    await recordAudit(trx, {
      actor: args.actor,
      action: args.replaceId !== undefined ? 'replace' : 'attach',
      entity: 'plan_document',
      entityId: row.id,
      surveyId: args.surveyId,
      before: args.replaceId !== undefined ? { id: args.replaceId } : undefined,
      after: { id: row.id, cityCode: args.cityCode, fileName: row.file_name, bytes: row.bytes, pages: row.pages, shareable, sha256: row.sha256 },
    });
    return { ...row, reading: read.reading, warnings: read.warnings };
  });
}

async function ownDocument(db: Db, surveyId: number, cityCode: string, id: number) {
  const doc = await findPlanDocument(db, id);
  // Another city's document is "not found", so ids cannot be probed.
  if (!doc || doc.survey_id !== surveyId || doc.city_code !== cityCode) throw notFound('計画書');
  return doc;
}

export async function getOwnPlanDocument(db: Db, surveyId: number, cityCode: string, id: number) {
  return ownDocument(db, surveyId, cityCode, id);
}

export async function removePlanDocument(db: Db, args: { surveyId: number; cityCode: string; id: number; actor: Actor }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await openSurveyFor(trx, args.surveyId, args.cityCode);
    const doc = await ownDocument(trx, args.surveyId, args.cityCode, args.id);
    await deletePlanDocument(trx, args.id);
    await recordAudit(trx, { actor: args.actor, action: 'remove', entity: 'plan_document', entityId: args.id, surveyId: args.surveyId, before: { fileName: doc.file_name, sha256: doc.sha256 } });
  });
}

export async function changeShareable(db: Db, args: { surveyId: number; cityCode: string; id: number; shareable: Shareable; actor: Actor }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await openSurveyFor(trx, args.surveyId, args.cityCode);
    const doc = await ownDocument(trx, args.surveyId, args.cityCode, args.id);
    await updateShareable(trx, args.id, args.shareable);
    await recordAudit(trx, { actor: args.actor, action: 'share', entity: 'plan_document', entityId: args.id, surveyId: args.surveyId, before: { shareable: doc.shareable }, after: { shareable: args.shareable } });
  });
}

export const PLAN_FIELD_KEYS = ['name', 'latestNumber', 'periodStart', 'periodEnd', 'updateCycleYears', 'nextPlan'] as const;
export type PlanFieldKey = (typeof PLAN_FIELD_KEYS)[number];

/**
 * Saves the accepted proposals of one document as a draft (never submits): `plan.<field>` and `measure.<code>` keys.
 * The audit entry of the save says the answers came from the document.
 */
export async function acceptProposals(
  db: Db,
  args: { surveyId: number; cityCode: string; docId: number; accept: string[]; expectedVersion?: number; actor: Actor; now: Date },
): Promise<SavedResponse> {
  const doc = await ownDocument(db, args.surveyId, args.cityCode, args.docId);
  const reading = doc.reading as PlanReading;
  const plan: NonNullable<ResponseInput['plan']> = {};
  const measures: Record<string, string> = {};
  const accepted: string[] = [];
  for (const key of args.accept) {
    const [kind, id] = key.split('.', 2);
    if (kind === 'plan' && (PLAN_FIELD_KEYS as readonly string[]).includes(id)) {
      const field = reading.plan[id as PlanFieldKey];
      if (!field) continue;
      (plan as Record<string, unknown>)[id] = field.value;
      accepted.push(key);
    } else if (kind === 'measure' && reading.measures[id]) {
      measures[id] = reading.measures[id].suggestion;
      accepted.push(key);
    }
  }
  if (accepted.length === 0) throw new DomainError(400, 'BAD_REQUEST', '反映する提案を 1 つ以上選んでください。', [{ path: '/accept', message: '反映する提案を 1 つ以上選んでください。' }]);
  if (plan.name !== undefined) plan.hasPlan = true;
  const input: ResponseInput = {};
  if (Object.keys(plan).length > 0) input.plan = plan;
  if (Object.keys(measures).length > 0) input.measures = measures;
  // the answers and the decisions together: a proposal accepted is never offered again, nor lost
  return inTransaction(db, async (trx) => {
    const saved = await saveResponse(trx, {
      surveyId: args.surveyId,
      cityCode: args.cityCode,
      input,
      expectedVersion: args.expectedVersion,
      actor: args.actor,
      now: args.now,
      auditSource: { source: 'plan-document', docId: doc.id, fileName: doc.file_name, accepted },
    });
    await recordDecisions(trx, doc.id, Object.fromEntries(accepted.map((k) => [k, 'accepted' as const])));
    return saved;
  });
}

/** The respondent declines proposals: they are no longer offered for this document; the answers are untouched. */
export async function rejectProposals(db: Db, args: { surveyId: number; cityCode: string; docId: number; reject: string[] }): Promise<void> {
  await openSurveyFor(db, args.surveyId, args.cityCode);
  const doc = await ownDocument(db, args.surveyId, args.cityCode, args.docId);
  const keys = args.reject.filter((k) => /^(plan|measure)\.[A-Za-z0-9_-]{1,40}$/.test(k));
  if (keys.length > 0) await recordDecisions(db, doc.id, Object.fromEntries(keys.map((k) => [k, 'rejected' as const])));
}

/** Every proposal key of a reading: plan.<field> for stated fields, measure.<code> for suggestions. */
export function proposalKeys(reading: PlanReading): string[] {
  return [...PLAN_FIELD_KEYS.filter((k) => reading.plan[k]).map((k) => `plan.${k}`), ...Object.keys(reading.measures).map((c) => `measure.${c}`)];
}

/**
 * Plans another city may read once the survey is published: the reader has submitted, the owner allowed
 * sharing (all) and answered 公表してよい (public). An anonymous city's plan names the city, so it is never shared.
 */
export async function listSharedPlans(db: Db, surveyId: number, readerCityCode: string) {
  const survey = await findSurvey(db, surveyId);
  if (!survey || survey.status !== 'published') return [];
  const reader = await findResponse(db, surveyId, readerCityCode);
  if (!reader || reader.status !== 'submitted') return [];
  return db
    .selectFrom('plan_documents as d')
    .innerJoin('responses as r', (j) => j.onRef('r.survey_id', '=', 'd.survey_id').onRef('r.city_code', '=', 'd.city_code'))
    .innerJoin('cities as c', 'c.code', 'd.city_code')
    .select(['d.id', 'd.city_code', 'c.name as city_name', 'd.file_name', 'd.content_type', 'd.bytes', 'd.pages', 'd.reading'])
    .where('d.survey_id', '=', surveyId)
    .where('d.shareable', '=', 'all')
    .where('r.disclosure', '=', 'public')
    .where('r.status', '=', 'submitted')
    .where('d.city_code', '<>', readerCityCode)
    .orderBy('d.city_code')
    .orderBy('d.id')
    .execute();
}

export { listPlanDocuments };
