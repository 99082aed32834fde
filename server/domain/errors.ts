// Domain errors carry an HTTP status and a code; the one error handler (plugins/errors.ts) maps them.

export interface FieldError {
  /** JSON pointer to the field, e.g. /plan/periodStart, or a sheet and cell, e.g. 調査票!D12 */
  path: string;
  /** Japanese */
  message: string;
}

/** A message as a sentence: it ends with 「。」 (the office's style), added when the text does not end with one. */
export function asSentence(text: string): string {
  const t = text.trimEnd();
  return t === '' || /[。！？]$/.test(t) ? t : `${t}。`;
}

export class DomainError extends Error {
  readonly errors?: FieldError[];
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    errors?: FieldError[],
  ) {
    // every message a person reads (pages, API bodies) is a sentence, wherever it was written
    super(asSentence(message));
    this.errors = errors?.map((e) => ({ ...e, message: asSentence(e.message) }));
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(404, 'NOT_FOUND', `${what}が見つかりません`);
export const conflict = (message: string) => new DomainError(409, 'CONFLICT', message);
export const forbidden = (message = 'この操作を行う権限がありません') => new DomainError(403, 'FORBIDDEN', message);
export const unauthorized = (message = 'ログインが必要です') => new DomainError(401, 'UNAUTHORIZED', message);
export const badRequest = (message: string, errors?: FieldError[]) => new DomainError(400, 'BAD_REQUEST', message, errors);
export const unprocessable = (message: string, errors: FieldError[]) =>
  new DomainError(422, 'UNPROCESSABLE_ENTITY', message, errors);
