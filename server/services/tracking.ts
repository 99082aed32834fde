// Where each city of a round stands: 未送信 / 送信待ち / 送信済 / 送信失敗 / 閲覧済 / 回答中 / 回答済, with
// times, derived from invitations, mail_messages and responses; plus the dashboard's counts by band.
import { MAIL_STATUS_LABELS, RESPONSE_STATUS_LABELS } from '../domain/glossary.js';
import type { Db } from '../db/database.js';
import type { Survey } from '../db/schema.js';
import { bandsFor } from '../domain/bands.js';
import { countsByBand, invitationRows, mailRows, participantRows } from '../repositories/tracking.js';

export const CITY_STATUSES = ['not_sent', 'link_issued', 'outbox', 'sent', 'failed', 'opened', 'draft', 'submitted'] as const;
export type CityStatus = (typeof CITY_STATUSES)[number];
export const CITY_STATUS_LABELS: Record<CityStatus, string> = {
  not_sent: '未送信',
  link_issued: '未送信（リンク発行済）',
  outbox: MAIL_STATUS_LABELS.outbox,
  sent: MAIL_STATUS_LABELS.sent,
  failed: MAIL_STATUS_LABELS.failed,
  opened: '閲覧済',
  draft: RESPONSE_STATUS_LABELS.organiser.draft,
  submitted: RESPONSE_STATUS_LABELS.organiser.submitted,
};

export interface CityTracking {
  cityCode: string;
  name: string;
  prefecture: string;
  email: string | null;
  population: number;
  bandIndex: number;
  bandLabel: string;
  host: boolean;
  status: CityStatus;
  statusLabel: string;
  /** when the city reached this status */
  at: Date | null;
  error: string | null;
  /** the latest invitation/reminder mail, for retrying */
  lastMailId: number | null;
  invitedAt: Date | null;
  openedAt: Date | null;
  reminders: Date[];
  /** the city has a link that works now (a 再発行 would end it) */
  hasActiveLink: boolean;
  /** the city has saved answers but not submitted them */
  draft: boolean;
}

export async function trackCities(db: Db, survey: Survey): Promise<CityTracking[]> {
  const bands = bandsFor(survey.band_thresholds);
  const [participants, invitations, mails] = await Promise.all([participantRows(db, survey.id), invitationRows(db, survey.id), mailRows(db, survey.id)]);
  return participants.map((p) => {
    const own = invitations.filter((i) => i.city_code === p.city_code);
    const active = own.filter((i) => !i.revoked_at).at(-1);
    const opened = active?.opened_at ?? null; // a re-issued link has to be opened again
    const cityMails = mails.filter((m) => m.city_code === p.city_code && (m.kind === 'invitation' || m.kind === 'reminder'));
    const last = cityMails.at(-1);
    let status: CityStatus = 'not_sent';
    let at: Date | null = null;
    if (p.response_status === 'submitted') [status, at] = ['submitted', p.submitted_at];
    else if (p.response_status === 'draft') [status, at] = ['draft', p.response_updated_at];
    else if (last?.status === 'failed') [status, at] = ['failed', last.created_at]; // the newest attempt failed: keep it visible
    else if (opened) [status, at] = ['opened', opened];
    else if (last?.status === 'sent') [status, at] = ['sent', last.sent_at];
    else if (last?.status === 'outbox' || last?.status === 'queued') [status, at] = ['outbox', last.created_at];
    else if (active) [status, at] = ['link_issued', active.issued_at];
    return {
      cityCode: p.city_code,
      name: p.name,
      prefecture: p.prefecture,
      email: p.email,
      population: p.population,
      bandIndex: p.band_index,
      bandLabel: bands[p.band_index]?.label ?? '',
      host: p.city_code === survey.host_city_code,
      status,
      statusLabel: CITY_STATUS_LABELS[status],
      at,
      error: last?.status === 'failed' ? last.last_error : null,
      lastMailId: last?.id ?? null,
      invitedAt: active?.issued_at ?? null,
      openedAt: opened,
      reminders: cityMails.filter((m) => m.kind === 'reminder').map((m) => m.created_at),
      hasActiveLink: active !== undefined,
      draft: p.response_status === 'draft',
    };
  });
}

export async function dashboardCounts(db: Db, survey: Survey) {
  const bands = bandsFor(survey.band_thresholds);
  const rows = await countsByBand(db, survey.id, survey.host_city_code);
  const byBand = bands.map((b, i) => {
    const r = rows.find((x) => x.bandIndex === i);
    return { label: b.label, participants: r?.participants ?? 0, submitted: r?.submitted ?? 0, drafts: r?.drafts ?? 0 };
  });
  return {
    byBand,
    participants: byBand.reduce((a, b) => a + b.participants, 0),
    submitted: byBand.reduce((a, b) => a + b.submitted, 0),
    drafts: byBand.reduce((a, b) => a + b.drafts, 0),
  };
}
