// Shared pieces of the organiser console pages: the login gate (redirect to /login), rendering with the
// organiser nav and a CSRF token, and how an error page of the console looks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asSentence, DomainError, type FieldError } from '../../../domain/errors.js';
import type { ErrorBody } from '../../../plugins/errors.js';
import { isSurveyRow, surveyPageView } from '../../../views/view-models.js';

export interface NavItem {
  href: string;
  label: string;
  current?: boolean;
}

const NAV: Array<NavItem & { adminOnly?: boolean }> = [
  { href: '/organiser/surveys', label: '調査' },
  { href: '/organiser/roster', label: '団体名簿' },
  { href: '/organiser/audit', label: '監査ログ' },
  { href: '/organiser/accounts', label: 'アカウント', adminOnly: true },
];

/** The survey's own menu (partials/organiser-survey-nav.hbs); `also` are the sub-pages that belong to an item. */
const SURVEY_NAV: Array<{ path: string; label: string; also?: string[] }> = [
  { path: '', label: '設定・状態', also: ['/status', '/review'] },
  { path: '/measures', label: '対策' },
  { path: '/participants', label: '照会先団体' },
  { path: '/invitations', label: '依頼・メール', also: ['/mail-texts', '/reminders'] },
  { path: '/dashboard', label: '回答状況', also: ['/responses'] },
  { path: '/results', label: '集計結果' },
  { path: '/plans', label: '計画書ライブラリ' },
];

function surveyNav(surveyId: number, section: string): NavItem[] {
  const base = `/organiser/surveys/${surveyId}`;
  const items = SURVEY_NAV.map((n) => ({
    href: `${base}${n.path}`,
    label: n.label,
    current: section === `${base}${n.path}` || (n.also ?? []).some((a) => section === `${base}${a}` || section.startsWith(`${base}${a}/`)),
  }));
  return [...items, { href: `/organiser/audit?surveyId=${surveyId}`, label: '監査ログ' }];
}

/** preHandler for console pages: without a valid session the browser is sent to /login. */
export function pageAuth(app: FastifyInstance, opts: { admin?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await (opts.admin ? app.requireAdmin(request, reply) : app.requireOrganiser(request, reply));
      // a password someone else set is changed before anything else
      if (request.organiser?.must_change_password && !request.url.startsWith('/organiser/password')) return reply.redirect('/organiser/password', 303);
    } catch (err) {
      if (err instanceof DomainError && err.statusCode === 401) {
        const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
        return reply.redirect(`/login${next}`, 303);
      }
      throw err;
    }
  };
}

/** Renders a console page with the nav, the signed-in organiser and a fresh CSRF token. */
export async function renderPage(request: FastifyRequest, reply: FastifyReply, template: string, context: Record<string, unknown>) {
  const organiser = request.organiser;
  const section = request.url.split('?')[0];
  const nav = NAV.filter((n) => !n.adminOnly || organiser?.role === 'admin').map((n) => ({
    href: n.href,
    label: n.label,
    current: section === n.href || section.startsWith(`${n.href}/`),
  }));
  const survey = isSurveyRow(context.survey) ? surveyPageView(context.survey) : (context.survey as { id?: unknown } | undefined);
  return reply.view(template, {
    ...context,
    survey,
    surveyNav: typeof survey?.id === 'number' ? surveyNav(survey.id, section) : undefined,
    organiserNav: organiser ? nav : undefined,
    organiser: organiser ? { email: organiser.email, name: organiser.name, admin: organiser.role === 'admin' } : undefined,
    csrfToken: reply.generateCsrf(),
  });
}

/** The errors of a DomainError (or its message as one error) for a page's error summary. */
export function formErrors(err: unknown, fallbackPath = ''): FieldError[] {
  if (!(err instanceof DomainError)) throw err;
  if (err.statusCode >= 500) throw err;
  return err.errors && err.errors.length > 0 ? err.errors : [{ path: fallbackPath, message: err.message }];
}

/** Redirect after a successful POST, with a one-line notice in the query string. */
export function redirectWithNotice(reply: FastifyReply, url: string, notice: string) {
  const sep = url.includes('?') ? '&' : '?';
  return reply.redirect(`${url}${sep}notice=${encodeURIComponent(asSentence(notice))}`, 303);
}

/** How a failure looks on the console's pages (pages/page-errors.ts decides when): the error page, never JSON. */
export function consoleErrorPage(body: ErrorBody, reply: FastifyReply) {
  const titles: Record<number, string> = { 400: '入力内容に誤りがあります', 403: '権限がありません', 404: 'ページが見つかりません', 409: '操作できません', 429: '操作の回数が多すぎます' };
  return reply.code(body.statusCode).view('pages/error.hbs', {
    title: titles[body.statusCode] ?? 'エラーが発生しました',
    message: body.message,
    errors: body.errors,
  });
}

/** One line for a notice after sending mail: counts by outcome, naming the cities without an address. */
export function mailSummary(outcomes: Array<{ cityName: string; status: 'queued' | 'sent' | 'outbox' | 'failed' | 'no_address' }>, what: string): string {
  if (outcomes.length === 0) return `${what}の対象の団体はありませんでした`;
  const n = (s: string) => outcomes.filter((o) => o.status === s).length;
  // queued messages go out within seconds, whichever instance is free; the table shows each one's state
  const parts = [`送信 ${n('sent') + n('queued')} 件${n('queued') ? '（順に送信しています。結果は「依頼・メール」の表に表示します）' : ''}`];
  if (n('outbox')) parts.push(`送信トレイ（未送信）${n('outbox')} 件`);
  if (n('failed')) parts.push(`送信失敗 ${n('failed')} 件`);
  if (n('no_address')) parts.push(`メールアドレス未登録のため未送信 ${n('no_address')} 件（${outcomes.filter((o) => o.status === 'no_address').map((o) => o.cityName).join('、')}）`);
  return `${what}: ${parts.join('、')}`;
}

/** Form values arrive as string or string[] (repeated checkboxes); always an array. */
export function asArray(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
