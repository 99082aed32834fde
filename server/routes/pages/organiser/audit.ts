// Audit log page: who changed what and when, with the record before and after; filters by entity, survey,
// actor and date.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { auditEntities, searchAudit } from '../../../repositories/audit-search.js';
import { listSurveys } from '../../../repositories/surveys.js';
import { listCities } from '../../../repositories/cities.js';
import { listOrganisers } from '../../../repositories/organiser-accounts.js';
import { actorLabel, describeAudit, ENTITY_LABELS } from '../../../domain/audit-labels.js';
import { noticeQuery, text } from '../../../schemas/pages.js';
import { pageAuth, renderPage } from './common.js';

const AuditQuery = noticeQuery({ entity: text(100), surveyId: text(20), actor: text(254), from: text(30), to: text(30) });


const DATE = /^\d{4}-\d{2}-\d{2}$/;
const pretty = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));

const auditPages: FastifyPluginAsync = async (app) => {
  app.get('/organiser/audit', { schema: { hide: true, querystring: AuditQuery }, preHandler: pageAuth(app) }, async (req, reply) => {
    const q = (req as FastifyRequest<{ Querystring: Record<string, string | undefined> }>).query;
    const surveyId = /^\d{1,9}$/.test(q.surveyId ?? '') ? Number(q.surveyId) : undefined;
    const filter = {
      entity: q.entity || undefined,
      surveyId,
      actor: q.actor?.trim() || undefined,
      from: DATE.test(q.from ?? '') ? q.from : undefined,
      to: DATE.test(q.to ?? '') ? q.to : undefined,
    };
    const names = {
      organisers: new Map((await listOrganisers(app.db)).map((o) => [o.email, o.name])),
      cities: new Map((await listCities(app.db)).map((c) => [c.code, c.name])),
    };
    const entries = (await searchAudit(app.db, filter)).map((e) => ({
      ...e,
      entityLabel: ENTITY_LABELS[e.entity] ?? e.entity,
      actorLabel: actorLabel({ type: e.actor_type, id: e.actor }, names),
      described: describeAudit(e),
      before: pretty(e.before),
      after: pretty(e.after),
    }));
    return renderPage(req, reply, 'pages/organiser/audit.hbs', {
      title: '監査ログ',
      entries,
      filter,
      entities: (await auditEntities(app.db)).map((e) => ({ value: e, label: ENTITY_LABELS[e] ?? e, selected: e === filter.entity })),
      surveys: (await listSurveys(app.db)).map((s) => ({ id: s.id, title: s.title, selected: s.id === surveyId })),
    });
  });
};

export default auditPages;
