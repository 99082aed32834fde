// The API's conventions, written into the OpenAPI document itself (info.description, Markdown), so
// whoever reads /docs has the whole contract: there is no other document to look for. The words and the enum values'
// Japanese labels are read from the glossary, so the document cannot drift from what the pages say.
import {
  ANSWER_LABELS,
  DISCLOSURE_LABELS,
  GLOSSARY,
  NEXT_PLAN_LABELS,
  SURVEY_STATUS_LABELS,
} from '../domain/glossary.js';

const values = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([value, label]) => `\`${value}\`（${label}）`)
    .join('、');

/** The glossary as a Markdown table: the English name used in code and JSON, and the Japanese term staff use. */
export const GLOSSARY_MARKDOWN = [
  '| 英語名（コード・JSON） / Name in code | 用語 / Term |',
  '|---|---|',
  ...Object.entries(GLOSSARY).map(([name, term]) => `| \`${name}\` | ${term} |`),
].join('\n');

export const API_DESCRIPTION = `
中核市情報化推進計画調査の JSON API（version 1）。各ルートの項目・型・応答はこの文書の各操作に示すとおりです。
The JSON API of the 中核市情報化推進計画調査 platform, version 1. Each operation below lists its fields, types and answers.

## 約束事 / Conventions
- 本文は UTF-8 の JSON（\`Content-Type: application/json\`）。項目名は camelCase、日付は ISO 8601（\`2018-10-31\`）、年度は西暦の整数（\`2018\`）。
  JSON bodies in UTF-8, camelCase field names, ISO 8601 dates, fiscal years (年度) as Gregorian integers.
- 団体は 6 桁の全国地方公共団体コード（\`code\`、例: 西宮市 \`282049\`）で表し、検査数字を確かめます（誤りは 400）。
  Cities are identified by their 6-digit local government code; a wrong check digit is a 400.
- 回答の \`measures\` は対策コードごとに \`implemented\`（実施済）・\`studying\`（検討中）・\`none\`。実施・検討率は総数 ÷ 回答団体数 × 100 を小数第 2 位で四捨五入します（15/48 → 31.25）。
  A response's \`measures\` map each measure code to implemented / studying / none; rates are rounded half-up to 2 decimals.

## 認証 / Authentication
- 照会元（organiser）: \`POST /api/v1/session\` で得たトークンを \`Authorization: Bearer <token>\` で送ります（8 時間有効、\`DELETE /api/v1/session\` で無効化）。
  Organiser routes take the token from \`POST /api/v1/session\` as a Bearer header (valid 8 hours; revoked by \`DELETE /api/v1/session\`).
- 回答団体（respondent, \`/api/v1/response…\`）: 依頼メールの個人用リンクに含まれる依頼トークンを \`Authorization: Bearer <token>\` で送ります。再発行すると以前のトークンは使えません。
  Respondent routes take the invitation token of the city's personal link; issuing a new invitation revokes the old token.
- Cookie で認証した画面からの API 呼び出しには CSRF トークン（\`x-csrf-token\` ヘッダー）も必要です。Bearer トークンでは不要です。
  A cookie-authenticated call also needs the CSRF header; a Bearer token does not.
- 認証情報がない・誤っている: 401。認証済みだが権限がない: 403。 Missing or wrong credentials: 401; authenticated but not allowed: 403.

## エラー / Errors
- 4xx・5xx の本文はいつも JSON の \`{ statusCode, error, message }\`（\`message\` は日本語）。入力の検証エラー（400・422）は \`errors: [{ path, message }]\` も持ち、\`path\` が項目（例: \`/plan/periodStart\`、Excel では \`調査票!D12\`）を示します。
  Every 4xx/5xx body is JSON with \`statusCode\`, \`error\` and a Japanese \`message\`; validation failures add \`errors: [{ path, message }]\`.
- 古い \`version\` での保存や、許されない状態の移動は 409。ログインの試行が多すぎると 429 と \`Retry-After\`。データベースに接続できないときは 503 と \`Retry-After\`。
  A stale \`version\` or a forbidden status move is 409; too many login attempts 429 with Retry-After; database unavailable 503 with Retry-After.

## 値 / Values
- 調査の状態 \`status\`: ${values(SURVEY_STATUS_LABELS)}
- 対策の回答 \`measures.*\`: ${values(ANSWER_LABELS)}
- 調査結果の取扱い \`disclosure\`: ${values(DISCLOSURE_LABELS)}
- 次期計画 \`plan.nextPlan\`: ${values(NEXT_PLAN_LABELS)}

## 用語 / Glossary
${GLOSSARY_MARKDOWN}

## 状態 / Survey status
\`draft\` → \`open\` → \`closed\` → \`published\`（\`closed\` → \`open\`、\`published\` → \`closed\` も可）。回答団体が受け取る結果は、公表した版（第1版、第2版 …）からだけ作られます。
Respondents receive results only from the published edition, never from live data.
`.trim();
