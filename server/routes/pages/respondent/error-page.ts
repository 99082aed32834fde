// How a failure looks on the respondent's pages: a Japanese message page (never JSON) that shows what was typed
// when it could not be saved, so nothing typed is lost.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../../plugins/errors.js';
import { listMeasures } from '../../../repositories/surveys.js';
import { type Answer, ANSWER_LABELS } from '../../../domain/glossary.js';
import { RESPONSE_FIELDS } from '../../../domain/response-fields.js';
import { valuesFromBody } from './form.js';

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
  // the fields typed as text (choices are not shown), under their labels in the change lists
  const typed = RESPONSE_FIELDS.filter((f) => f.kind !== 'choice' && f.kind !== 'yesNo');
  const lines = typed.map((f) => ({ label: f.label as string, value: String(values[f.form.name] ?? '') })).filter((l) => l.value.trim() !== '');
  const answered = measures
    .filter((m) => values.measures[m.code])
    .map((m) => ({ label: m.label, value: ANSWER_LABELS[values.measures[m.code] as Answer] ?? values.measures[m.code] }));
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
