// The survey definition (its current measures, in form order) kept per survey and measure revision
// (migration T1800), so that a respondent page reads no measures: the page's own query returns the revision, and a
// different one (a measure renamed through any instance) loads the measures again. Things derived from a definition
// (the form's rendered measure table) are memoised on it and go with it.
import type { Db } from '../db/database.js';
import type { Measure } from '../db/schema.js';
import { sql } from 'kysely';

export interface SurveyDefinition {
  surveyId: number;
  revision: string;
  measures: Measure[];
  /** derived values, computed once per definition */
  memo: Map<string, unknown>;
}

const MAX_SURVEYS = 64;

declare module 'fastify' {
  interface FastifyInstance {
    /** one per app (decorated in app.ts) */
    surveyDefinitions: SurveyDefinitionCache;
  }
}

export class SurveyDefinitionCache {
  private readonly entries = new Map<number, SurveyDefinition>();
  /** how many times the measures were read (not served from the cache): tests read it */
  loads = 0;

  /** The definition at `revision` (as the caller's query read it), from the cache or read again. */
  async get(db: Db, surveyId: number, revision: string): Promise<SurveyDefinition> {
    const hit = this.entries.get(surveyId);
    if (hit && hit.revision === revision) return hit;
    this.loads++;
    // the revision the measures are read at, in the same query: an edit committed since the caller's query gives
    // a newer revision, which is then the one kept
    const rows = await db
      .selectFrom('measures')
      .selectAll('measures')
      .select(sql<string>`(select revision::text from measure_revision)`.as('revision'))
      .where('survey_id', '=', surveyId)
      .where('retired_at', 'is', null)
      .orderBy('position')
      .orderBy('id')
      .execute();
    const definition: SurveyDefinition = { surveyId, revision: rows[0]?.revision ?? revision, measures: rows.map(({ revision: _, ...m }) => m), memo: new Map() };
    this.entries.delete(surveyId);
    this.entries.set(surveyId, definition);
    while (this.entries.size > MAX_SURVEYS) this.entries.delete(this.entries.keys().next().value!);
    return definition;
  }

  /** A value derived from the definition, computed on first use. */
  static derive<T>(definition: SurveyDefinition, key: string, compute: (measures: Measure[]) => T): T {
    if (!definition.memo.has(key)) definition.memo.set(key, compute(definition.measures));
    return definition.memo.get(key) as T;
  }
}
