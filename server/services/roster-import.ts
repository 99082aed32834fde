// Roster import use case: a checked file becomes a preview (new / changed / unchanged per row), and a
// confirmed preview is written in one transaction through upsertRoster (audited per changed city).
import type { Db } from '../db/database.js';
import { checkRosterRows, importIsClean, ROSTER_COLUMNS, type RosterImport, type RosterRow } from '../domain/roster-import.js';
import { badRequest } from '../domain/errors.js';
import type { Actor } from '../repositories/audit.js';
import { findCities } from '../repositories/cities.js';
import { upsertRoster } from './cities.js';

export type RowChange = 'new' | 'changed' | 'unchanged';

export interface PreviewRow {
  rowNumber: number;
  raw: Record<string, string>;
  city: RosterRow | null;
  problems: string[];
  change?: RowChange;
}

export async function previewRoster(db: Db, checked: RosterImport): Promise<PreviewRow[]> {
  const codes = checked.rows.flatMap((r) => (r.city ? [r.city.code] : []));
  const existing = new Map((await findCities(db, codes)).map((c) => [c.code, c]));
  return checked.rows.map((r) => {
    if (!r.city) return r;
    const old = existing.get(r.city.code);
    const same =
      old &&
      old.name === r.city.name &&
      old.prefecture === r.city.prefecture &&
      old.population === r.city.population &&
      old.population_date === r.city.populationDate &&
      (old.email ?? null) === r.city.email &&
      (r.city.nameKana === undefined || (old.name_kana ?? null) === r.city.nameKana);
    return { ...r, change: !old ? 'new' : same ? 'unchanged' : 'changed' };
  });
}

/** The rows a confirmed preview carries back (as JSON in a hidden field), checked again as a table. */
export function rowsFromConfirmation(json: string): RosterRow[] {
  let rows: RosterRow[];
  try {
    rows = JSON.parse(json) as RosterRow[];
    if (!Array.isArray(rows)) throw new Error('not an array');
  } catch {
    throw badRequest('取込の内容を読み取れませんでした。ファイルを選び直してください');
  }
  // 市名カナ travels only when the file had it (without the column, the roster keeps its readings)
  const withKana = rows.some((r) => r !== null && typeof r === 'object' && 'nameKana' in r);
  const fields = (Object.keys(ROSTER_COLUMNS) as Array<keyof typeof ROSTER_COLUMNS>).filter((f) => f !== 'nameKana' || withKana);
  const cell = (r: unknown, f: string) => (r !== null && typeof r === 'object' ? String((r as Record<string, unknown>)[f] ?? '') : '');
  const table = [fields.map((f) => ROSTER_COLUMNS[f]), ...rows.map((r) => fields.map((f) => cell(r, f)))];
  const checked = checkRosterRows(table);
  if (!importIsClean(checked)) {
    const errors = checked.fileProblems
      .map((message) => ({ path: '', message }))
      .concat(checked.rows.flatMap((r) => r.problems.map((p) => ({ path: `/${r.rowNumber - 2}`, message: `${r.rowNumber} 行目: ${p}` }))));
    throw badRequest('取込の内容に誤りがあります。ファイルを選び直してください', errors);
  }
  return checked.rows.map((r) => r.city!);
}

/** Writes the rows in one transaction; returns how many were upserted. */
export async function applyRosterImport(db: Db, rows: RosterRow[], actor: Actor): Promise<number> {
  return upsertRoster(db, rows, actor);
}
