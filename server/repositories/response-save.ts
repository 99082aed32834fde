// The two statements of a save (issue #15): one read of everything a save decides on, and one write that is a
// compare-and-set on the response's version. The write is a single statement (atomic without BEGIN/COMMIT): the
// response row is written only while its version is still the one read, and the answers and the audit entry are
// written only through the row that write returned, so a save that lost the race writes nothing at all.
import { CompiledQuery } from 'kysely';
import { type Db, preparedStatement } from '../db/database.js';
import type { ResponseRow, Survey } from '../db/schema.js';
import type { Answer, ResponseStatus } from '../domain/glossary.js';
import type { ResponseAnswers } from '../domain/response.js';
import { AUDIT_COLUMN_TYPES, type AuditRecord, auditValues } from './audit.js';
import { answerColumns, fromJson as json, responseRowFromJson } from './responses.js';

export interface StoredAnswer {
  measureId: number;
  code: string;
  answer: Answer;
  retired: boolean;
}

export interface SaveState {
  survey: Survey;
  /** the city takes part in the survey (and is in the roster) */
  isParticipant: boolean;
  /** measure_revision (migration T1800), for the survey's measures from the definition cache */
  measureRevision: string;
  /** undefined before the first save */
  response?: { row: ResponseRow; answers: StoredAnswer[] };
}

// Rows as JSON: a column added by a migration while an instance runs does not change the statement's columns, so
// the prepared statement stays valid (and is safe in a caller's transaction). No row lock: the write checks the version.
const READ_SQL = preparedStatement(`select to_jsonb(s) as survey_row,
    exists (select 1 from participants p join cities c on c.code = p.city_code where p.survey_id = s.id and p.city_code = $2) as is_participant,
    (select revision::text from measure_revision) as measure_revision,
    (select to_jsonb(r) || jsonb_build_object('stored_answers', coalesce((select jsonb_agg(jsonb_build_object('measureId', ra.measure_id,
        'code', m.code, 'answer', ra.answer, 'retired', m.retired_at is not null)) from response_answers ra join measures m on m.id = ra.measure_id
        where ra.response_id = r.id), '[]'::jsonb))
      from responses r where r.survey_id = s.id and r.city_code = $2) as response_row
  from surveys s where s.id = $1`);

interface ReadRow {
  survey_row: Survey | string;
  is_participant: boolean;
  measure_revision: string;
  response_row: (Record<string, unknown> & { stored_answers: StoredAnswer[] }) | string | null;
}

/**
 * What a save decides on, in one round trip and one snapshot: the survey, whether the city takes part, the measure
 * revision, and the response row with every stored answer (retired measures included). Undefined when the survey
 * does not exist.
 */
export async function loadSaveState(db: Db, surveyId: number, cityCode: string): Promise<SaveState | undefined> {
  const { rows } = await db.executeQuery<ReadRow>(CompiledQuery.raw(READ_SQL, [surveyId, cityCode]));
  const found = rows[0];
  if (!found) return undefined;
  const survey = json(found.survey_row);
  let response: SaveState['response'];
  if (found.response_row) {
    const { stored_answers, ...row } = json(found.response_row);
    response = { row: responseRowFromJson(row), answers: stored_answers };
  }
  return {
    survey: { ...survey, created_at: new Date(survey.created_at), updated_at: new Date(survey.updated_at) },
    isParticipant: found.is_participant,
    measureRevision: found.measure_revision,
    response,
  };
}

/** The row's write: the first save, a draft or submission over the row read, or unsubmitted changes of a submitted one. */
export type RowWrite =
  | { kind: 'insert'; surveyId: number; cityCode: string; answers: ResponseAnswers; status: ResponseStatus; submittedAt?: Date }
  | { kind: 'update'; id: number; version: number; answers: ResponseAnswers; status: ResponseStatus; submittedAt?: Date }
  | { kind: 'pending'; id: number; version: number; pending: ResponseAnswers | null };

export interface SaveWrite {
  row: RowWrite;
  /** insert and update only: the changed answers, and the measures whose stored answer goes */
  answers?: { upsert: Array<{ measureId: number; answer: Answer }>; remove: number[] };
  audit: AuditRecord;
  updatedBy: string;
  now: Date;
}

/** The row a write leaves when it succeeds, computed before it runs (for the audit entry, written in the same statement). */
export function rowAfterWrite(row: ResponseRow | undefined, write: RowWrite, now: Date): ResponseRow {
  if (write.kind === 'pending') return { ...row!, version: row!.version + 1, pending_answers: write.pending, pending_updated_at: write.pending === null ? null : now };
  return {
    ...(row ?? ({ created_at: now } as ResponseRow)),
    ...answerColumns(write.answers),
    status: write.status,
    version: (row?.version ?? 0) + 1,
    submitted_at: write.submittedAt ?? row?.submitted_at ?? null,
    pending_answers: null,
    pending_updated_at: null,
    updated_at: now,
  };
}

/**
 * Parameters for an SQL text written in one pass: `add` returns `$n` (cast when given a type). Dates and arrays go
 * as text, so that every parameter is a scalar (PGlite's prepared statements take scalars only: db/database.ts).
 */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type?: string): string {
    this.values.push(value instanceof Date ? value.toISOString() : value);
    return `$${this.values.length}${type ? `::${type}` : ''}`;
  }
}

function rowSql(w: RowWrite, p: Params, updatedBy: string, now: Date): string {
  if (w.kind === 'pending') {
    return `update responses set version = version + 1, pending_answers = ${p.add(w.pending === null ? null : JSON.stringify(w.pending), 'jsonb')},
        pending_updated_at = ${p.add(w.pending === null ? null : now, 'timestamptz')}, updated_by = ${p.add(updatedBy, 'text')}
      where id = ${p.add(w.id, 'int')} and version = ${p.add(w.version, 'int')} returning *`;
  }
  const columns = Object.entries(answerColumns(w.answers));
  if (w.kind === 'update') {
    return `update responses set status = ${p.add(w.status, 'text')}, version = version + 1,
        ${columns.map(([column, value]) => `${column} = ${p.add(value)}`).join(', ')},
        submitted_at = coalesce(${p.add(w.submittedAt ?? null, 'timestamptz')}, submitted_at), pending_answers = null, pending_updated_at = null,
        updated_at = ${p.add(now, 'timestamptz')}, updated_by = ${p.add(updatedBy, 'text')}
      where id = ${p.add(w.id, 'int')} and version = ${p.add(w.version, 'int')} returning *`;
  }
  // a row created by another save since the read: nothing inserted (the unique survey/city), so nothing written
  return `insert into responses (survey_id, city_code, status, version, ${columns.map(([column]) => column).join(', ')}, submitted_at, created_at, updated_at, updated_by)
      values (${p.add(w.surveyId, 'int')}, ${p.add(w.cityCode, 'text')}, ${p.add(w.status, 'text')}, 1, ${columns.map(([, value]) => p.add(value)).join(', ')},
        ${p.add(w.submittedAt ?? null, 'timestamptz')}, ${p.add(now, 'timestamptz')}, ${p.add(now, 'timestamptz')}, ${p.add(updatedBy, 'text')})
      on conflict (survey_id, city_code) do nothing returning *`;
}

/**
 * Writes a save in one statement, only if the response is still as read (its version; for a first save, no row):
 * the row, the changed answers (upserted; unchanged rows are not touched), the removed ones (deleted) and the audit
 * entry. Returns the row as written, or undefined when another save got there first and nothing was written.
 */
export async function writeSave(db: Db, w: SaveWrite): Promise<ResponseRow | undefined> {
  const p = new Params();
  const parts = [`saved as (${rowSql(w.row, p, w.updatedBy, w.now)})`];
  if (w.row.kind !== 'pending') {
    const { upsert, remove } = w.answers ?? { upsert: [], remove: [] };
    parts.push(
      `cleared as (delete from response_answers where response_id = (select id from saved) and measure_id = any(${p.add(`{${remove.join(',')}}`, 'int[]')}))`,
      `written as (insert into response_answers (response_id, measure_id, answer)
        select saved.id, u."measureId", u.answer from saved, jsonb_to_recordset(${p.add(JSON.stringify(upsert), 'jsonb')}) as u("measureId" int, answer text)
        on conflict (response_id, measure_id) do update set answer = excluded.answer)`,
    );
  }
  const audit = Object.entries(auditValues(w.audit)) as Array<[keyof typeof AUDIT_COLUMN_TYPES, unknown]>;
  parts.push(
    `audited as (insert into audit_log (${audit.map(([column]) => column).join(', ')})
      select ${audit.map(([column, value]) => p.add(value, AUDIT_COLUMN_TYPES[column])).join(', ')} from saved)`,
  );
  const text = preparedStatement(`with ${parts.join(',\n')}\nselect to_jsonb(saved) as saved_row from saved`);
  const { rows } = await db.executeQuery<{ saved_row: Record<string, unknown> | string }>(CompiledQuery.raw(text, p.values));
  return rows[0] ? responseRowFromJson(rows[0].saved_row) : undefined;
}
