// SQL for the audit trail: who changed what, when, with the record before and after.
import type { Db } from '../db/database.js';

export interface Actor {
  type: 'organiser' | 'respondent' | 'system';
  /** organiser e-mail, respondent city code, or 'system' */
  id: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system' };

export interface AuditRecord {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string | number;
  surveyId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** An entry as the audit_log row's values (the one place that knows the columns; repositories/response-save.ts writes it in its statement). */
export function auditValues(entry: AuditRecord) {
  return {
    actor_type: entry.actor.type,
    actor: entry.actor.id,
    action: entry.action,
    entity: entry.entity,
    entity_id: String(entry.entityId),
    survey_id: entry.surveyId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  };
}

/** Each column's SQL type, for a statement that takes the values as parameters of a SELECT (types not inferred there). */
export const AUDIT_COLUMN_TYPES: Record<keyof ReturnType<typeof auditValues>, string> = {
  actor_type: 'text',
  actor: 'text',
  action: 'text',
  entity: 'text',
  entity_id: 'text',
  survey_id: 'int',
  before: 'jsonb',
  after: 'jsonb',
};

export async function recordAudit(db: Db, entry: AuditRecord): Promise<void> {
  await db.insertInto('audit_log').values(auditValues(entry)).execute();
}

export async function listAudit(db: Db, filter: { entity?: string; entityId?: string; surveyId?: number; limit?: number } = {}) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 200);
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.surveyId !== undefined) q = q.where('survey_id', '=', filter.surveyId);
  return q.execute();
}

/** The answers a response had at a version, as its audit entry recorded them (the base of a two-person conflict). */
export async function answersAtVersion(db: Db, surveyId: number, cityCode: string, version: number): Promise<unknown | undefined> {
  const rows = await db
    .selectFrom('audit_log')
    .select('after')
    .where('entity', '=', 'response')
    .where('entity_id', '=', `${surveyId}:${cityCode}`)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  for (const r of rows) {
    const after = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as { version?: number; answers?: unknown } | null;
    if (after?.version === version) return after.answers;
  }
  return undefined;
}
