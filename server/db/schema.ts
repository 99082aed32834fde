// The one Database interface: every table as Kysely sees it, with Selectable/Insertable/Updateable aliases.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { PlanDocumentPagesTable, PlanDocumentsTable } from './plan-documents-schema.js';
import type { Answer, Disclosure, NextPlan, OrganiserRole, ResponseStatus, SurveyStatus } from '../domain/glossary.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** `date` columns are read as 'YYYY-MM-DD' strings (type parsers set in database.ts). */
type DateString = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | null | undefined, string | null>;

export interface OrganisersTable {
  id: Generated<number>;
  email: string;
  name: ColumnType<string, string | undefined, string>;
  password_hash: string;
  role: OrganiserRole;
  disabled_at: NullableTimestamp;
  created_at: Timestamp;
  /** bumped by logout, disabling and a password change: tokens with an older version are refused (T1200) */
  session_version: ColumnType<number, number | undefined, number>;
  /** the password was set by someone else (generated, created or reset by an admin): change it at the next login */
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface CitiesTable {
  code: string;
  name: string;
  prefecture: string;
  population: number;
  population_date: DateString | null;
  email: string | null;
  updated_at: Timestamp;
  /** reading in katakana (市名カナ), e.g. ヒメジシ; null when not known (T1200) */
  name_kana: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SurveysTable {
  id: Generated<number>;
  title: string;
  status: ColumnType<SurveyStatus, SurveyStatus | undefined, SurveyStatus>;
  host_city_code: string;
  deadline: DateString;
  band_thresholds: number[];
  template: string;
  intro_text: ColumnType<string, string | undefined, string>;
  /** 問い合わせ先 in the survey's mails (null: not set) */
  contact_department: ColumnType<string | null, string | null | undefined, string | null>;
  contact_phone: ColumnType<string | null, string | null | undefined, string | null>;
  contact_email: ColumnType<string | null, string | null | undefined, string | null>;
  /** the deadline is written with 西暦 beside 和暦 (令和9年（2027年）1月22日（金）) */
  deadline_gregorian: ColumnType<boolean, boolean | undefined, boolean>;
  copied_from_survey_id: number | null;
  /** per-survey mail texts (Handlebars); null = the default in templates/mail/ (migration T1200) */
  invitation_subject: ColumnType<string | null, string | null | undefined, string | null>;
  invitation_body: ColumnType<string | null, string | null | undefined, string | null>;
  reminder_subject: ColumnType<string | null, string | null | undefined, string | null>;
  reminder_body: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeasuresTable {
  id: Generated<number>;
  survey_id: number;
  code: string;
  category: string;
  label: string;
  position: number;
  retired_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ParticipantsTable {
  survey_id: number;
  city_code: string;
  population: number;
  population_date: DateString | null;
  band_index: number;
  added_at: Timestamp;
}

export interface InvitationsTable {
  id: Generated<number>;
  survey_id: number;
  city_code: string;
  token_hash: string;
  issued_at: Timestamp;
  sent_at: NullableTimestamp;
  opened_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** the token is derived from this nonce with the server's link key (domain/invitation-tokens.ts); null for links issued before */
  token_nonce: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ResponsesTable {
  id: Generated<number>;
  survey_id: number;
  city_code: string;
  status: ColumnType<ResponseStatus, ResponseStatus | undefined, ResponseStatus>;
  version: ColumnType<number, number | undefined, number>;
  contact_department: ColumnType<string, string | undefined, string>;
  contact_person_kana: ColumnType<string, string | undefined, string>;
  contact_phone: ColumnType<string, string | undefined, string>;
  contact_email: ColumnType<string, string | undefined, string>;
  has_plan: boolean | null;
  plan_name: ColumnType<string, string | undefined, string>;
  plan_latest_number: number | null;
  plan_update_cycle_years: number | null;
  plan_update_irregular: ColumnType<boolean, boolean | undefined, boolean>;
  plan_period_start: number | null;
  plan_period_end: number | null;
  next_plan: NextPlan | null;
  plan_notes: ColumnType<string, string | undefined, string>;
  disclosure: Disclosure | null;
  submitted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: ColumnType<string, string | undefined, string>;
  /** after the first submission: the changes not yet submitted (the whole answers, as domain/response.ts stores them) */
  pending_answers: ColumnType<unknown | null, string | null | undefined, string | null>;
  pending_updated_at: NullableTimestamp;
}

export interface ResponseAnswersTable {
  response_id: number;
  measure_id: number;
  answer: Answer;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_type: 'organiser' | 'respondent' | 'system';
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  survey_id: number | null;
  before: Json;
  after: Json;
}

export type { MailKind } from '../domain/glossary.js';
export type { MailStatus } from '../domain/glossary.js';
import type { MailKind, MailStatus } from '../domain/glossary.js';

export interface MailMessagesTable {
  id: Generated<number>;
  kind: MailKind;
  survey_id: number | null;
  city_code: string | null;
  to_address: string;
  subject: string;
  body: string;
  status: MailStatus;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  message_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  /** the invitation whose personal link the body refers to (rendered only when the mail is sent or downloaded) */
  invitation_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** a 送信トレイ message that staff sent from their own client: who marked it 送信済み (sent_at is when) */
  marked_sent_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** a queued message is sent once this time has come (retries wait with back-off) */
  next_attempt_at: Timestamp;
  /** an instance that claimed the message holds it until then; after, another may take it over */
  locked_until: NullableTimestamp;
}

export interface PublicationsTable {
  id: Generated<number>;
  survey_id: number;
  /** 第1版, 第2版 … */
  edition: number;
  published_at: Timestamp;
  published_by: string;
  withdrawn_at: NullableTimestamp;
  /** the frozen results (services/publications.ts PublicationData) */
  data: ColumnType<unknown, string, string>;
}

export interface Database {
  organisers: OrganisersTable;
  cities: CitiesTable;
  surveys: SurveysTable;
  measures: MeasuresTable;
  participants: ParticipantsTable;
  invitations: InvitationsTable;
  responses: ResponsesTable;
  response_answers: ResponseAnswersTable;
  audit_log: AuditLogTable;
  mail_messages: MailMessagesTable;
  publications: PublicationsTable;
  plan_documents: PlanDocumentsTable;
  plan_document_pages: PlanDocumentPagesTable;
  login_attempts: LoginAttemptsTable;
  measure_revision: MeasureRevisionTable;
}

/** One row: raised by a trigger before every statement that writes measures (T1800); keys the survey definition cache. */
export interface MeasureRevisionTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  /** bigint: comes back as a string from pg */
  revision: ColumnType<string, never, never>;
}

/** Login attempt counters per key (account+address, address), shared by every instance (T1200). */
export interface LoginAttemptsTable {
  key: string;
  count: number;
  window_start: Timestamp;
}

export type Organiser = Selectable<OrganisersTable>;
export type NewOrganiser = Insertable<OrganisersTable>;
export type City = Selectable<CitiesTable>;
export type NewCity = Insertable<CitiesTable>;
export type Survey = Selectable<SurveysTable>;
export type NewSurvey = Insertable<SurveysTable>;
export type SurveyUpdate = Updateable<SurveysTable>;
export type Measure = Selectable<MeasuresTable>;
export type NewMeasure = Insertable<MeasuresTable>;
export type Participant = Selectable<ParticipantsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type ResponseRow = Selectable<ResponsesTable>;
export type ResponseUpdate = Updateable<ResponsesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type MailMessage = Selectable<MailMessagesTable>;
export type Publication = Selectable<PublicationsTable>;
