// SQL for the audit log page: filter by entity, operation, city, survey, actor and a date range (Japan time), newest first.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { japanDayEnd, japanDayStart } from '../domain/japan-time.js';

export interface AuditFilter {
  entity?: string;
  /** the recorded action code (add-participants, status:published …) */
  action?: string;
  /** a 団体コード: entries about that city (its response, roster entry, participation, plan documents, links and mail) */
  cityCode?: string;
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
  if (f.action) q = q.where('action', '=', f.action);
  if (f.cityCode) {
    const code = f.cityCode;
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('actor_type', '=', 'respondent'), eb('actor', '=', code)]),
        eb.and([eb('entity', '=', 'city'), eb('entity_id', '=', code)]),
        // response and participant entries are keyed survey:city
        eb.and([eb('entity', 'in', ['response', 'participant']), eb('entity_id', 'like', `%:${code}`)]),
        // plan documents and other per-city entries carry cityCode; links, reminders and mail merges a list of cityCodes
        sql<boolean>`${sql.ref('after')}->>'cityCode' = ${code}`,
        sql<boolean>`${sql.ref('before')}->>'cityCode' = ${code}`,
        sql<boolean>`coalesce(${sql.ref('after')}->'cityCodes' @> ${JSON.stringify([code])}::jsonb, false)`,
      ]),
    );
  }
  if (f.surveyId !== undefined) q = q.where('survey_id', '=', f.surveyId);
  if (f.actor) q = q.where('actor', 'ilike', `%${f.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.from) q = q.where('at', '>=', japanDayStart(f.from));
  if (f.to) q = q.where('at', '<', japanDayEnd(f.to));
  return q.execute();
}

export async function auditEntities(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute()).map((r) => r.entity);
}

export async function auditActions(db: Db): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
}
