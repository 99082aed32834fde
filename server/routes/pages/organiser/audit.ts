// Audit log page: who changed what and when, with the record before and after; filters by entity, operation,
// city, survey, actor and date, and the filtered entries as a CSV (UTF-8 with BOM, Japanese headers).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { formatDateTimeJa } from '../../../views/helpers.js';
import { toCsv } from '../../../domain/csv.js';
import { isValidCityCode } from '../../../domain/city-code.js';
import { type AuditFilter, auditActions, auditEntities, searchAudit } from '../../../repositories/audit-search.js';
import { listSurveys } from '../../../repositories/surveys.js';
import { listCities } from '../../../repositories/cities.js';
import { listOrganisers } from '../../../repositories/organiser-accounts.js';
import { actionLabel, actorLabel, describeAudit, describeChangesLine, ENTITY_LABELS, targetLabel } from '../../../domain/audit-labels.js';
import { attachment } from '../../../services/workbooks.js';
import { noticeQuery, text } from '../../../schemas/pages.js';
import { pageAuth, renderPage } from './common.js';

const AuditQuery = noticeQuery({ entity: text(100), action: text(100), city: text(10), surveyId: text(20), actor: text(254), from: text(30), to: text(30) });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pretty = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));
const CSV_LIMIT = 20000;
const CSV_HEADER = ['日時', '操作', '対象', '調査', '実行者', '変更内容'];

type Query = Record<string, string | undefined>;

function filterOf(q: Query): AuditFilter {
  return {
    entity: q.entity || undefined,
    action: q.action && q.action.length <= 100 ? q.action : undefined,
    cityCode: q.city && isValidCityCode(q.city) ? q.city : undefined,
    surveyId: /^\d{1,9}$/.test(q.surveyId ?? '') ? Number(q.surveyId) : undefined,
    actor: q.actor?.trim() || undefined,
    from: DATE.test(q.from ?? '') ? q.from : undefined,
    to: DATE.test(q.to ?? '') ? q.to : undefined,
  };
}

const auditPages: FastifyPluginAsync = async (app) => {
  async function describedEntries(filter: AuditFilter) {
    const cities = await listCities(app.db);
    const names = {
      organisers: new Map((await listOrganisers(app.db)).map((o) => [o.email, o.name])),
      cities: new Map(cities.map((c) => [c.code, c.name])),
    };
    const entries = (await searchAudit(app.db, filter)).map((e) => ({
      ...e,
      entityLabel: ENTITY_LABELS[e.entity] ?? e.entity,
      target: targetLabel(e, names),
      actorLabel: actorLabel({ type: e.actor_type, id: e.actor }, names),
      described: describeAudit(e, names.cities),
    }));
    return { entries, cities };
  }

  app.get('/organiser/audit', { schema: { hide: true, querystring: AuditQuery }, preHandler: pageAuth(app) }, async (req, reply) => {
    const q = (req as FastifyRequest<{ Querystring: Query }>).query;
    const filter = filterOf(q);
    const { entries, cities } = await describedEntries(filter);
    const exportQuery = new URLSearchParams(Object.entries(q).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== '')).toString();
    return renderPage(req, reply, 'pages/organiser/audit.hbs', {
      title: '監査ログ',
      entries: entries.map((e) => ({ ...e, before: pretty(e.before), after: pretty(e.after) })),
      filter,
      exportHref: `/organiser/audit/export.csv${exportQuery ? `?${exportQuery}` : ''}`,
      entities: (await auditEntities(app.db)).map((e) => ({ value: e, label: ENTITY_LABELS[e] ?? e, selected: e === filter.entity })),
      actions: (await auditActions(app.db))
        .map((a) => ({ value: a, label: actionLabel(a), selected: a === filter.action }))
        .sort((a, b) => a.label.localeCompare(b.label, 'ja')),
      cities: cities.map((c) => ({ code: c.code, label: `${c.prefecture} ${c.name}`, selected: c.code === filter.cityCode })),
      surveys: (await listSurveys(app.db)).map((s) => ({ id: s.id, title: s.title, selected: s.id === filter.surveyId })),
    });
  });

  app.get('/organiser/audit/export.csv', { schema: { hide: true, querystring: AuditQuery }, preHandler: pageAuth(app) }, async (req, reply) => {
    const filter = { ...filterOf((req as FastifyRequest<{ Querystring: Query }>).query), limit: CSV_LIMIT };
    const { entries } = await describedEntries(filter);
    const surveys = new Map((await listSurveys(app.db)).map((s) => [s.id, s.title]));
    const rows = entries.map((e) => [
      formatDateTimeJa(e.at),
      e.described.operation,
      e.target,
      e.survey_id === null ? '' : `${surveys.get(e.survey_id) ?? ''}（番号 ${e.survey_id}）`,
      e.actorLabel,
      describeChangesLine(e.described),
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment('監査ログ.csv', 'audit-log.csv'))
      .send(`\uFEFF${toCsv(CSV_HEADER, rows)}`);
  });
};

export default auditPages;
