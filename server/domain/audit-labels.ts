// The audit log as a person reads it: each recorded operation in Japanese, with only the fields that changed
// (before → after, by their Japanese label). Pure: the page passes the names of accounts and cities it knows.
import { SURVEY_STATUS_LABELS, type SurveyStatus } from './glossary.js';

export const ENTITY_LABELS: Record<string, string> = {
  survey: '調査',
  measure: '対策',
  city: '団体名簿',
  organiser: 'アカウント',
  response: '回答',
  mail: 'メール',
  invitation: '依頼',
  plan_document: '計画書',
  participant: '照会先団体',
};

const ACTION_LABELS: Record<string, string> = {
  create: '作成',
  update: '設定の変更',
  copy: '前回の調査をコピーして作成',
  save: '一時保存',
  submit: '送信',
  'discard-changes': '送信後の変更の取り消し',
  'add-participants': '照会先団体の追加',
  'remove-participant': '照会先団体から外す',
  delete: '調査の削除',
  'issue-invitations': '依頼（個人用リンク）の発行',
  remind: '督促',
  'notify-results': '結果の送付',
  'mail-retry': 'メールの再送',
  'mail-marked-sent': '送信トレイのメールを送信済みにする',
  'mail-merge:invitation': '差し込み印刷の出力（依頼）',
  'mail-merge:reminder': '差し込み印刷の出力（督促）',
  'mail-text:invitation': '依頼メールの文面の変更',
  'mail-text:reminder': '督促メールの文面の変更',
  'add-measure': '対策の追加',
  'measure:rename': '対策の名称の変更',
  'measure:up': '対策の並べ替え（上へ）',
  'measure:down': '対策の並べ替え（下へ）',
  'measure:move': '対策の並べ替え',
  'measure:retire': '対策の廃止',
  'measure:restore': '対策の復活',
  attach: '計画書の添付',
  replace: '計画書の差し替え',
  remove: '削除',
  share: '提供可否の変更',
  disable: '利用停止',
  enable: '利用再開',
  change_password: 'パスワードの変更',
  login: 'ログイン',
  logout: 'ログアウト',
};

export interface AuditChange {
  label: string;
  before: string;
  after: string;
}

export interface AuditDescription {
  /** e.g. 状態の変更（締切 → 結果公表）, 一時保存 */
  operation: string;
  changes: AuditChange[];
  /** 修正理由, when one was given */
  reason?: string;
  /** where answers came from (計画書から反映) */
  source?: string;
}

type Json = Record<string, unknown> | null | undefined;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const text = (v: unknown) => (v === null || v === undefined || v === '' ? '（なし）' : typeof v === 'boolean' ? (v ? 'する' : 'しない') : typeof v === 'object' ? JSON.stringify(v) : String(v));
const statusLabel = (s: unknown) => SURVEY_STATUS_LABELS[s as SurveyStatus] ?? text(s);

const SURVEY_FIELDS: Record<string, string> = { title: '調査名', deadline: '回答期限', deadline_gregorian: '回答期限の西暦の併記', host_city_code: '本市', intro_text: '依頼文', band_thresholds: '人口区分の境界' };
const MEASURE_FIELDS: Record<string, string> = { label: '名称', category: '分類', position: '順番', retired_at: '廃止' };

function fieldChanges(before: Json, after: Json, labels: Record<string, string>): AuditChange[] {
  if (!before || !after) return [];
  return Object.entries(labels)
    .filter(([key]) => key in after && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map(([key, label]) => ({ label, before: text(before[key]), after: text(after[key]) }));
}

/** An action code as the filter of the audit page names it: 一時保存, 状態の変更（→ 結果公表）… */
export function actionLabel(action: string): string {
  const status = /^status:(.+)$/.exec(action);
  if (status) return `状態の変更（→ ${statusLabel(status[1])}）`;
  return ACTION_LABELS[action] ?? action;
}

/** One audit entry in Japanese: the operation and the fields it changed. */
/** The cities an entry names (依頼, 督促, 照会先の追加, 結果の送付), as a person reads them: 「旭川市・秋田市（2 団体）」. */
function citiesNamed(after: Json, cityNames: ReadonlyMap<string, string>): string | undefined {
  const codes = Array.isArray(after?.cityCodes)
    ? (after.cityCodes as unknown[]).map(String)
    : Array.isArray(after?.outcomes)
      ? (after.outcomes as Array<{ cityCode?: unknown }>).map((o) => String(o.cityCode ?? ''))
      : undefined;
  if (!codes || codes.length === 0) return undefined;
  const names = codes.map((c) => cityNames.get(c) ?? c);
  const shown = names.length > 10 ? `${names.slice(0, 10).join('・')} ほか` : names.join('・');
  return `${shown}（${codes.length} 団体）`;
}

export function describeAudit(
  entry: { action: string; entity: string; before: unknown; after: unknown },
  cityNames: ReadonlyMap<string, string> = new Map(),
): AuditDescription {
  const before = obj(entry.before);
  const after = obj(entry.after);
  const status = /^status:(.+)$/.exec(entry.action);
  if (status) {
    const edition = typeof after?.edition === 'number' ? `（第${after.edition}版）` : '';
    return { operation: `状態の変更（${statusLabel(before?.status)} → ${statusLabel(status[1])}）${edition}`, changes: [] };
  }
  const operation = actionLabel(entry.action);
  if (entry.entity === 'response') {
    const changed = Array.isArray(after?.changed) ? (after.changed as Array<{ label: string; before: string; after: string }>) : [];
    return {
      operation,
      changes: changed.map((c) => ({ label: c.label, before: c.before || '（未回答）', after: c.after || '（未回答）' })),
      reason: typeof after?.reason === 'string' ? after.reason : undefined,
      source: after?.source === 'plan-document' ? `計画書「${text(after.fileName)}」の読み取り結果から反映` : undefined,
    };
  }
  if (entry.entity === 'participant') {
    const response = obj(before?.response);
    const had = response ? `。${response.status === 'submitted' ? '送信済みの回答' : '一時保存中の回答'}を削除` : '';
    return { operation: `${operation}（${text(before?.cityName)}${had}）`, changes: [] };
  }
  if (entry.entity === 'survey' && entry.action === 'delete') return { operation: `${operation}（${text(before?.title)}）`, changes: [] };
  const cities = entry.entity === 'survey' ? citiesNamed(after, cityNames) : undefined;
  if (cities) return { operation: `${operation}\u3000${cities}`, changes: [] };
  if (entry.entity === 'survey' && Array.isArray(after?.mailIds)) return { operation: `${operation}\u3000${(after.mailIds as unknown[]).length} 通`, changes: [] };
  if (entry.entity === 'survey') return { operation, changes: fieldChanges(before, after, SURVEY_FIELDS) };
  if (entry.entity === 'measure') {
    const label = text(after?.label ?? before?.label);
    return { operation: entry.action === 'measure:rename' ? `対策「${text(before?.label)}」の名称を変更しました` : `${operation}（${label}）`, changes: fieldChanges(before, after, MEASURE_FIELDS) };
  }
  return { operation, changes: [] };
}

/** Who acted, as a person reads it: an account's name and mail, a city's name, or システム. */
export function actorLabel(actor: { type: string; id: string }, names: { organisers: Map<string, string>; cities: Map<string, string> }): string {
  if (actor.type === 'organiser') {
    const name = names.organisers.get(actor.id);
    return name ? `${name}（${actor.id}）` : actor.id;
  }
  if (actor.type === 'respondent') return `${names.cities.get(actor.id) ?? actor.id}（回答団体）`;
  return 'システム';
}

/** What an entry is about, as a person reads it: 回答 旭川市（調査 3）, 団体名簿 函館市（012025）, 調査 3 … */
export function targetLabel(entry: { entity: string; entity_id: string }, names: { cities: Map<string, string> }): string {
  const label = ENTITY_LABELS[entry.entity] ?? entry.entity;
  const perCity = /^(\d+):(\d{6})$/.exec(entry.entity_id);
  if (perCity) return `${label} ${names.cities.get(perCity[2]) ?? perCity[2]}（調査 ${perCity[1]}）`;
  if (entry.entity === 'city') return `${label} ${names.cities.get(entry.entity_id) ?? ''}（${entry.entity_id}）`;
  return `${label} ${entry.entity_id}`;
}

/** The changes of an entry on one line (for the CSV): 「名称: 旧 → 新」「…」, then the 修正理由 and the source. */
export function describeChangesLine(d: AuditDescription): string {
  return [
    ...d.changes.map((c) => `${c.label}: ${c.before} → ${c.after}`),
    ...(d.reason ? [`修正理由: ${d.reason}`] : []),
    ...(d.source ? [d.source] : []),
  ].join('\n');
}
