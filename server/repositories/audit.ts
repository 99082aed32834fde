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

export async function recordAudit(db: Db, entry: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actor.type,
      actor: entry.actor.id,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      survey_id: entry.surveyId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export async function listAudit(db: Db, filter: { entity?: string; entityId?: string; surveyId?: number; limit?: number } = {}) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 200);
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.surveyId !== undefined) q = q.where('survey_id', '=', filter.surveyId);
  return q.execute();
}
