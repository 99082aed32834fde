// The one error handler: domain errors and schema failures become API.md's error body (Japanese
// message, errors[] with paths); 5xx bodies say nothing internal and the log carries the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { asSentence, DomainError, type FieldError } from '../domain/errors.js';
import { toFieldErrors, validationSummary, type SchemaError } from '../lib/schema-errors.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  errors?: FieldError[];
}

/** Japanese messages for Fastify's own client errors. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: '送信されたデータが大きすぎます',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'この形式（Content-Type）のデータは受け付けられません',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'JSON の本文が空です',
  FST_ERR_CTP_INVALID_JSON_BODY: 'JSON の形式が正しくありません',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length が本文の長さと一致しません',
  FST_CSRF_INVALID_TOKEN: '画面の有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度送信してください',
  FST_CSRF_MISSING_SECRET: '画面の有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度送信してください',
};

export function errorBody(statusCode: number, message: string, extra: Partial<ErrorBody> = {}): ErrorBody {
  const errors = extra.errors?.map((e) => ({ ...e, message: asSentence(e.message) }));
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message: asSentence(message), ...extra, ...(errors ? { errors } : {}) };
}

/** True for errors that mean the database cannot be reached right now (answered with 503). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004'].includes(e.code)) return true;
  // Inside a transaction a dropped connection surfaces as the failed ROLLBACK's error (pg: "Client has encountered
  // a connection error and is not queryable"), which hides the original: it is the same outage.
  if (/timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|is not queryable|Client was closed/i.test(e.message ?? '')) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isDatabaseUnavailable(cause);
}

/**
 * The status for an input PostgreSQL refused although no check in the code caught it: a data exception
 * (SQLSTATE class 22: a NUL character, an integer out of range, an impossible date) or a broken rule of
 * the schema (class 23: a check constraint, a missing referenced row → 400; a duplicate key, i.e. a
 * concurrent insert → 409). The client's input or timing, never a 500.
 */
export function databaseRefusalStatus(err: unknown): 400 | 409 | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(code)) return undefined;
  return code === '23505' ? 409 : 400;
}

export function toErrorReply(err: FastifyError | DomainError | Error, request: FastifyRequest): ErrorBody {
  if (err instanceof DomainError) {
    return errorBody(err.statusCode, err.message, { code: err.code, ...(err.errors ? { errors: err.errors } : {}) });
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = toFieldErrors(fe.validation as SchemaError[]);
    return errorBody(400, validationSummary(fe.validationContext, errors.length), { code: 'VALIDATION', errors });
  }
  if (isDatabaseUnavailable(err)) {
    return errorBody(503, 'データベースに接続できません。しばらくしてから再度お試しください', { code: 'DATABASE_UNAVAILABLE' });
  }
  const refused = databaseRefusalStatus(err);
  if (refused === 400) {
    return errorBody(400, '入力内容に、保存できない値（制御文字、長すぎる文字列、範囲外の数値・日付、存在しない団体など）が含まれています。入力内容を確認してください', { code: 'INVALID_VALUE' });
  }
  if (refused === 409) {
    return errorBody(409, '同時に行われた別の操作と重なったため、保存できませんでした。画面を読み込み直してから、もう一度お試しください', { code: 'CONFLICT' });
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) {
    return errorBody(500, `サーバー内部でエラーが発生しました（受付番号: ${request.id}）`, { code: 'INTERNAL' });
  }
  const message = (fe.code && FASTIFY_MESSAGES[fe.code]) ?? (status === 429 ? '操作の回数が多すぎます。しばらく待ってから再度お試しください' : fe.message);
  return errorBody(status, message, { code: fe.code });
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const body = toErrorReply(err, request);
    if (body.statusCode >= 500) request.log.error({ err, reqId: request.id }, 'request failed');
    else if (databaseRefusalStatus(err)) request.log.warn({ err, reqId: request.id }, 'the database refused an input no check caught');
    else request.log.info({ code: body.code, statusCode: body.statusCode }, body.message);
    if (body.statusCode === 503) reply.header('Retry-After', '5');
    if (body.statusCode === 429 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '60');
    return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body = errorBody(404, `ページが見つかりません: ${request.method} ${request.url.split('?')[0]}`, { code: 'NOT_FOUND' });
    if (request.url.startsWith('/api/') || !request.headers.accept?.includes('text/html') || !reply.view) {
      return reply.code(404).send(body);
    }
    return reply.code(404).view('pages/error.hbs', {
      title: 'ページが見つかりません',
      message: 'お探しのページは見つかりませんでした。アドレスが途中で切れていないか確認してください。回答団体の方は、依頼メールに記載の貴市専用のリンクから開いてください。',
    });
  });
}

export default fp(errorsPlugin, { name: 'errors' });
