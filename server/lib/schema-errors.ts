// Turns JSON-schema (Ajv) errors into API.md's `errors: [{ path, message }]` with Japanese messages.
import type { FieldError } from '../domain/errors.js';

/** The subset of Ajv's ErrorObject this needs. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape of Ajv's own ErrorObject.params
  params: Record<string, any>;
  message?: string;
}

const FORMAT_LABELS: Record<string, string> = {
  date: '日付（例: 2018-10-31）',
  email: 'メールアドレス',
  'date-time': '日時',
  uri: 'URL',
};

const TYPE_LABELS: Record<string, string> = {
  string: '文字列',
  integer: '整数',
  number: '数値',
  boolean: '真偽値（true / false）',
  object: 'オブジェクト',
  array: '配列',
  null: 'null',
};

function typeLabel(type: string | string[]): string {
  return (Array.isArray(type) ? type : String(type).split(','))
    .map((t) => TYPE_LABELS[t] ?? t)
    .join(' または ');
}

function messageFor(e: SchemaError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `必須項目「${p.missingProperty}」がありません`;
    case 'type':
      return `${typeLabel(p.type)}で指定してください`;
    case 'minLength':
      return p.limit === 1 ? '入力してください' : `${p.limit} 文字以上で入力してください`;
    case 'maxLength':
      return `${p.limit} 文字以内で入力してください`;
    case 'minimum':
      return `${p.limit} 以上の値を指定してください`;
    case 'maximum':
      return `${p.limit} 以下の値を指定してください`;
    case 'exclusiveMinimum':
      return `${p.limit} より大きい値を指定してください`;
    case 'exclusiveMaximum':
      return `${p.limit} より小さい値を指定してください`;
    case 'minItems':
      return `${p.limit} 件以上指定してください`;
    case 'maxItems':
      return `${p.limit} 件以内で指定してください`;
    case 'minProperties':
      return '変更する項目を 1 つ以上指定してください';
    case 'additionalProperties':
      return `項目「${p.additionalProperty}」は指定できません`;
    case 'enum':
      return `次のいずれかを指定してください: ${(p.allowedValues ?? []).join(' / ')}`;
    case 'const':
      return `「${p.allowedValue}」を指定してください`;
    case 'pattern':
      return '形式が正しくありません';
    case 'format':
      if (p.format === 'city-code') return '団体コードが正しくありません（6 桁の数字で、末尾の検査数字が合っている必要があります）';
      return `${FORMAT_LABELS[p.format] ?? p.format}の形式で指定してください`;
    case 'anyOf':
    case 'oneOf':
      return '指定できる値の形式に合っていません';
    default:
      return '値が正しくありません';
  }
}

function pathFor(e: SchemaError): string {
  if (e.keyword === 'required') return `${e.instancePath}/${e.params.missingProperty}`;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${e.params.additionalProperty}`;
  return e.instancePath || '/';
}

/**
 * Japanese field errors, one per field: a union's branches report the same field several times
 * (e.g. "not a string" and "not null"); the union's own error is clearer there.
 */
export function toFieldErrors(errors: SchemaError[]): FieldError[] {
  const byPath = new Map<string, SchemaError[]>();
  for (const e of errors) {
    const path = pathFor(e);
    byPath.set(path, [...(byPath.get(path) ?? []), e]);
  }
  const result: FieldError[] = [];
  for (const [path, list] of byPath) {
    const consts = list.filter((e) => e.keyword === 'const');
    if (consts.length > 1) {
      result.push({ path, message: messageFor({ keyword: 'enum', instancePath: path, params: { allowedValues: consts.map((e) => e.params.allowedValue) } }) });
      continue;
    }
    const union = list.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    const specific = list.find((e) => e.keyword === 'format' || e.keyword === 'enum' || e.keyword === 'required');
    const chosen = specific ?? (union && list.length > 1 ? union : list[0]);
    result.push({ path, message: messageFor(chosen) });
  }
  return result;
}

/** Where the errors came from, in Japanese, for the summary message. */
export function validationSummary(context: string | undefined, count: number): string {
  const where = context === 'querystring' ? 'クエリ文字列' : context === 'params' ? 'URL' : context === 'headers' ? 'ヘッダー' : '入力内容';
  return `${where}に誤りがあります（${count} 件）`;
}
