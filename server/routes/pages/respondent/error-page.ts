// How a failure looks on the respondent's pages: a Japanese message page (never JSON) that shows what was typed
// when it could not be saved, so nothing typed is lost.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../../plugins/errors.js';
import { listMeasures } from '../../../repositories/surveys.js';
import { type FormValues, valuesFromBody } from './form.js';

type Body = Record<string, unknown>;

/** The respondent's message page (pages/respondent/message.hbs), never cached. */
export const respondentMessage = (reply: FastifyReply, status: number, title: string, text: string, extra: Record<string, unknown> = {}) =>
  reply.code(status).header('cache-control', 'no-store').view('pages/respondent/message.hbs', { title, message: text, ...extra });

/** What was typed, as label: value lines, for a page that could not save it (so nothing typed is lost). */
export async function typedLines(app: FastifyInstance, request: FastifyRequest, surveyId?: number): Promise<Array<{ label: string; value: string }>> {
  const body = request.body as Body | undefined;
  if (!body || typeof body !== 'object' || request.method !== 'POST') return [];
  const measures = surveyId ? await listMeasures(app.db, surveyId).catch(() => []) : [];
  const values = valuesFromBody(body, measures);
  const labels: Record<string, string> = {
    department: '担当部署', personKana: '担当者名（カナ）', phone: '電話番号', email: 'メールアドレス', planName: '計画名称', latestNumber: '最新番号',
    updateCycleYears: '更新頻度', periodStart: '計画期間（開始年度）', periodEnd: '計画期間（終了年度）', notes: '備考',
  };
  const lines = Object.entries(labels).map(([key, label]) => ({ label, value: String(values[key as keyof FormValues] ?? '') })).filter((l) => l.value.trim() !== '');
  const answered = measures.filter((m) => values.measures[m.code]).map((m) => ({ label: m.label, value: { implemented: '実施済', studying: '検討中', none: '未実施' }[values.measures[m.code] as 'none'] ?? values.measures[m.code] }));
  return [...lines, ...answered];
}

/** The same statuses and messages as the API's (plugins/errors.ts), as a page, with what was typed shown when it was not saved. */
export async function respondentErrorPage(app: FastifyInstance, error: FastifyError, body: ErrorBody, request: FastifyRequest, reply: FastifyReply) {
  const typed = await typedLines(app, request, request.respondent?.surveyId);
  const csrf = body.statusCode === 403 && /csrf/i.test(`${String(error.code ?? '')} ${error.message}`);
  const title = csrf ? '画面の有効期限が切れました' : body.statusCode >= 500 ? 'ただいま処理できません' : '処理できませんでした';
  const text = csrf
    ? '画面を開いてから時間がたったため、保存できませんでした。依頼メールのリンクから回答画面を開き直して、もう一度入力してください。'
    : body.statusCode >= 500
      ? `システムで問題が起きたため、処理できませんでした。しばらくしてから、もう一度お試しください。${body.statusCode === 503 ? '' : `（受付番号: ${request.id}）`}`
      : `${body.message.replace(/。$/, '')}。`;
  return respondentMessage(reply, body.statusCode, title, text, { typed });
}
