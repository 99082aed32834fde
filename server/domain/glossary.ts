// The domain's words, glossed once: each English name used in code, with the Japanese term staff use.
// UI text uses the Japanese; code, tables and JSON use the English.
export const GLOSSARY = {
  survey: '調査（調査回。例: 中核市情報化推進計画調査）',
  round: '調査回（前回の調査をコピーして作る今回の調査）',
  measure: '対策（調査票の表の 1 行。例: ICTガバナンスの強化）',
  category: '分類（自治体の対策 / 自治体の業務 / 地域 / インフラ）',
  band: '人口区分（30万人未満の市 / 30万人以上50万人未満の市 / 50万人以上の市）',
  participant: '照会先団体（調査の対象として名簿から加えた市。人口は追加時点の値を保持）',
  invitation: '依頼（団体ごとの個人用リンク）',
  response: '回答（1 調査 × 1 団体に 1 件。一時保存 = draft、送信済 = submitted）',
  disclosure: '調査結果の取扱い（公表可否: すべて公表してよい / 市名を伏せれば公表してよい / 公表しない）',
  hostCity: '本市（調査を行う市。集計には含めず、本市欄に自らの回答を示す）',
  implemented: '実施済',
  studying: '検討中',
  none: '未実施',
  rate: '実施・検討率（(実施済 + 検討中) / 回答団体数 × 100）',
  organiser: '照会元の職員（情報企画課）',
  respondent: '回答団体の担当者',
  roster: '団体名簿（全国地方公共団体コード・人口・照会先メールアドレス）',
  cityCode: '全国地方公共団体コード（6 桁、末尾は検査数字）',
  plan: '情報化計画（計画名称・最新番号・更新頻度・計画期間・次期計画）',
} as const;

export const SURVEY_STATUSES = ['draft', 'open', 'closed', 'published'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export const SURVEY_STATUS_LABELS: Record<SurveyStatus, string> = {
  draft: '準備中',
  open: '回答受付中',
  closed: '締切',
  published: '結果公表',
};

export const ANSWERS = ['implemented', 'studying', 'none'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_LABELS: Record<Answer, string> = { implemented: '実施済', studying: '検討中', none: '未実施' };
/** The mark beside 本市's own answer on pages and charts (read with its label, never alone). */
export const ANSWER_MARKS: Record<Answer, string> = { implemented: '●', studying: '▲', none: '－' };

export const DISCLOSURES = ['public', 'anonymous', 'private'] as const;
export type Disclosure = (typeof DISCLOSURES)[number];
export const DISCLOSURE_LABELS: Record<Disclosure, string> = {
  public: 'すべて公表してよい',
  anonymous: '市名を伏せれば公表してよい',
  private: '公表しない',
};

export const NEXT_PLANS = ['update', 'merge', 'abolish', 'undecided'] as const;
export type NextPlan = (typeof NEXT_PLANS)[number];
export const NEXT_PLAN_LABELS: Record<NextPlan, string> = {
  update: '更新',
  merge: '他計画へ統合',
  abolish: '廃止',
  undecided: '未定',
};

export const RESPONSE_STATUSES = ['draft', 'submitted'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];
export type ResponseProgress = 'not_started' | ResponseStatus;

/**
 * A response's state in words. The organiser reads where a city stands (回答中, 回答済); the respondent reads what
 * became of their own answer (一時保存中（未送信）, 送信済み) — the same states, two readers, one table.
 */
export const RESPONSE_STATUS_LABELS: Record<'organiser' | 'respondent', Record<ResponseProgress, string>> = {
  organiser: { not_started: '未回答', draft: '回答中（一時保存）', submitted: '回答済' },
  respondent: { not_started: '未回答', draft: '一時保存中（未送信）', submitted: '送信済み' },
};

/** The state's words, saying so when changes made after the submission are not yet sent (and so not counted). */
export function responseStatusLabel(s: { status: ResponseProgress; hasUnsubmittedChanges: boolean }, reader: 'organiser' | 'respondent'): string {
  const label = RESPONSE_STATUS_LABELS[reader][s.status];
  return s.status === 'submitted' && s.hasUnsubmittedChanges ? `${label}（送信後の変更は未送信）` : label;
}

export const MAIL_STATUSES = ['queued', 'sent', 'outbox', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
/** A mail's state; 送信トレイ is the word for mails staff send from their own client (never アウトボックス). */
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = { queued: '送信中', sent: '送信済', outbox: '送信トレイ（未送信）', failed: '送信失敗' };

export const MAIL_KINDS = ['invitation', 'reminder', 'receipt', 'results', 'other'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
/** What a mail is, as the 送信記録 names it: the words of each mail's own subject (依頼, 督促, 受付, 調査結果の送付). */
export const MAIL_KIND_LABELS: Record<MailKind, string> = { invitation: '依頼', reminder: '督促', receipt: '回答の受付', results: '調査結果の送付', other: 'その他' };

export const ORGANISER_ROLES = ['admin', 'staff'] as const;
export type OrganiserRole = (typeof ORGANISER_ROLES)[number];
