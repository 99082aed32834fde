// The results pages: organisers at any time (/organiser/surveys/:id/results), respondents once the survey is
// 結果公表 (/respond/results). Sorting and the 分類 filter are query parameters, so they work without JavaScript.
// Organisers also send 「調査結果の送付」 from here (the same service as POST /api/v1/surveys/:id/results/notify).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Survey } from '../../db/schema.js';
import { bandComparisonChart, countChart, planTimelineChart, rateChart } from '../../views/charts.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { editionForRespondent, editionLabel } from '../../services/publications.js';
import { ANSWER_LABELS, ANSWER_MARKS, SURVEY_STATUS_LABELS } from '../../domain/glossary.js';
import type { PlanStats } from '../../domain/plan-stats.js';
import {
  arrangeMeasures,
  bandRatePercent,
  categoriesOf,
  parseResultSort,
  RESULT_SORT_LABELS,
  RESULT_SORTS,
  type SurveyResults,
  type TableRow,
} from '../../domain/results.js';
import { organiserActor } from '../../plugins/auth.js';
import { findSurvey } from '../../repositories/surveys.js';
import { notifyResults } from '../../services/results-notify.js';
import { computePlanStats } from '../../services/results.js';
import { formBody, noticeQuery, SurveyPageParams, text } from '../../schemas/pages.js';
import { mailSummary, pageAuth, redirectWithNotice, renderPage } from './organiser/common.js';

const HOST_MARKS = ANSWER_MARKS;
type ResultsQuery = { sort?: string; category?: string; notice?: string; names?: string };
const ResultsPageQuery = noticeQuery({ sort: text(30), category: text(200), names: text(10) });

const rateText = (rate: number | null) => (rate === null ? '－' : `${rate.toFixed(2)}%`);
const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(2)}`;

function rowView(row: TableRow, results: SurveyResults) {
  const notes: string[] = [];
  if (results.respondents > 0 && row.answered < results.respondents) {
    notes.push(`この対策に回答したのは ${results.respondents} 団体中 ${row.answered} 団体です（後から追加された対策など）`);
  }
  return {
    ...row,
    bandCells: row.counts.map((c) => ({ ...c })),
    hostClass: row.host ? `host-${row.host}` : 'host-missing',
    hostText: row.host ? `${HOST_MARKS[row.host]} ${ANSWER_LABELS[row.host]}` : '未回答',
    rateText: rateText(row.ratePercent),
    change: row.newThisRound ? '今回新設' : row.rateChange === null ? (results.previousRound ? '－' : null) : `${signed(row.rateChange)} pt`,
    notes,
  };
}

function bandRateRows(results: SurveyResults) {
  return results.measures.map((m) => ({
    label: m.label,
    rates: results.bands.map((b, i) => rateText(bandRatePercent(m.counts[i], b))),
  }));
}

function planView(stats: PlanStats) {
  return {
    ...stats,
    withPlanText: rateText(stats.withPlanPercent),
    charts: {
      cycles: countChart(stats.updateCycles, '計画の更新頻度', 'chart-update-cycles'),
      nextPlans: countChart(stats.nextPlans, '次期計画の予定', 'chart-next-plans'),
      timeline: planTimelineChart(stats.timeline),
    },
  };
}

/**
 * Everything the results template needs; `baseUrl` is the page's own path (the filter form's action). Organisers see
 * live results; respondents the published edition (`frozen`), never live data.
 */
async function resultsContext(
  app: FastifyInstance,
  survey: Survey,
  query: ResultsQuery,
  baseUrl: string,
  audience: 'organiser' | 'respondent',
  frozen?: { results: SurveyResults; planStats: PlanStats },
) {
  const results = frozen?.results ?? (await app.resultsCache.get(app.db, survey.id));
  const categories = categoriesOf(results.measures);
  const sort = parseResultSort(query.sort);
  const category = query.category && categories.includes(query.category) ? query.category : undefined;
  const rows = arrangeMeasures(results.measures, { sort, category });
  const hasResponses = results.respondents > 0;
  // the organiser may show the anonymous cities' real names on its own page; the default is what respondents see
  const realNames = audience === 'organiser' && query.names === 'real';
  const link = (names: string | undefined) => {
    const q = new URLSearchParams(Object.entries({ sort: query.sort, category, names }).filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== ''));
    return `${baseUrl}${q.size > 0 ? `?${q}` : ''}#plan-heading`;
  };
  return {
    realNames,
    namesToggle: audience === 'organiser' ? { asRespondents: link(undefined), real: link('real') } : undefined,
    title: `${survey.title} 集計結果`,
    survey: { id: survey.id, title: survey.title, statusLabel: SURVEY_STATUS_LABELS[survey.status] },
    published: survey.status === 'published',
    audience,
    isOrganiser: audience === 'organiser',
    baseUrl,
    results,
    hasResponses,
    grouped: sort === 'order',
    rows: rows.map((r) => rowView(r, results)),
    shownCount: rows.length,
    sorts: RESULT_SORTS.map((s) => ({ value: s, label: RESULT_SORT_LABELS[s], selected: s === sort })),
    categories: categories.map((c) => ({ value: c, selected: c === category })),
    category,
    filtered: Boolean(category) || sort !== 'order',
    columnCount: 5 + results.bands.length + (results.previousRound ? 1 : 0),
    charts: hasResponses ? { rate: rateChart(results), bands: bandComparisonChart(results) } : null,
    bandRateRows: bandRateRows(results),
    plan: hasResponses ? planView(frozen?.planStats ?? (await computePlanStats(app.db, survey.id, { audience, realNames }))) : null,
  };
}

async function resultsPages(app: FastifyInstance) {
  app.get<{ Params: { id: number }; Querystring: ResultsQuery }>(
    '/organiser/surveys/:id/results',
    { schema: { hide: true, params: SurveyPageParams, querystring: ResultsPageQuery }, preHandler: pageAuth(app) },
    async (request, reply) => {
      const survey = request.survey!;
      const context = await resultsContext(app, survey, request.query, `/organiser/surveys/${survey.id}/results`, 'organiser');
      return renderPage(request, reply, 'pages/results/results.hbs', { ...context, notice: request.query.notice });
    },
  );

  app.post<{ Params: { id: number } }>(
    '/organiser/surveys/:id/results/notify',
    { schema: { hide: true, params: SurveyPageParams, body: formBody() }, preHandler: [pageAuth(app), app.csrfProtection] },
    async (request, reply) => {
      const id = request.survey!.id;
      const outcomes = await notifyResults(app.db, app.mailer, { surveyId: id, links: app.links, actor: organiserActor(request), now: app.clock() });
      return redirectWithNotice(reply, `/organiser/surveys/${id}/results`, mailSummary(outcomes, '調査結果の送付メール'));
    },
  );

  // Respondents see the same table once the survey is 結果公表, through their session cookie from the personal link.
  app.get<{ Querystring: ResultsQuery }>('/respond/results', { schema: { hide: true, querystring: ResultsPageQuery } }, async (request: FastifyRequest<{ Querystring: ResultsQuery }>, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    const respondent = await app.findRespondent(request, { cookieOnly: true });
    if (!respondent) {
      return reply.code(401).view('pages/respondent/message.hbs', {
        title: 'ログインが必要です',
        message: '集計結果を見るには、依頼メールに記載の個人用リンクを開いてください。',
      });
    }
    const survey = await findSurvey(app.db, respondent.surveyId);
    if (!survey) throw notFound('調査');
    if (survey.status !== 'published') {
      return reply.code(403).view('pages/respondent/message.hbs', {
        title: '集計結果はまだ公表されていません',
        message: `「${survey.title}」の集計結果は、照会元が結果を公表した後にご覧いただけます（現在の状態: ${SURVEY_STATUS_LABELS[survey.status]}）。`,
      });
    }
    // the results are promised to the cities that answered (御回答をいただいた自治体様): others get a page saying why
    let edition;
    try {
      edition = await editionForRespondent(app.db, survey, respondent.cityCode);
    } catch (err) {
      if (!(err instanceof DomainError) || err.statusCode !== 403) throw err;
      return reply.code(403).view('pages/respondent/message.hbs', { title: '集計結果をご覧いただけません', message: err.message });
    }
    const context = await resultsContext(app, survey, request.query, '/respond/results', 'respondent', edition.data);
    return reply.view('pages/results/results.hbs', {
      ...context,
      respondentWorkbook: true,
      edition: { label: editionLabel(edition), publishedAt: edition.publishedAt.toISOString() },
    });
  });
}

export default resultsPages;
