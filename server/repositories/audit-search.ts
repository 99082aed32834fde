// SQL for the audit log page: filter by entity, survey, actor and a date range (Japan time), newest first.
import type { Db } from '../db/database.js';
import { japanDayEnd, japanDayStart } from '../domain/japan-time.js';

export interface AuditFilter {
  entity?: string;
  surveyId?: number;
  actor?: string;
  /** YYYY-MM-DD, inclusive, Japan time */
  from?: string;
  to?: string;
  limit?: number;
}

export async function searchAudit(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(f.limit ?? 500);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.surveyId !== undefined) q = q.where('survey_id', '=', f.surveyId);
  if (f.actor) q = q.where('actor', 'ilike', `%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.from) q = q.where('at', '>=', japanDayStart(f.from));
  if (f.to) q = q.where('at', '<', japanDayEnd(f.to));
  return q.execute();
}

export async function auditEntities(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute()).map((r) => r.entity);
}
