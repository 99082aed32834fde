// Fixed-window counters in PostgreSQL (table login_attempts), so every instance of the platform counts the
// same attempts: one atomic upsert per hit returns the count inside the current window.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface CounterHit {
  count: number;
  /** seconds until the window ends */
  resetInSeconds: number;
}

/** Counts one hit on `key` in a window of `windowMs` (a new window starts once the old one has passed). */
export async function hitCounter(db: Db, key: string, windowMs: number, now: Date): Promise<CounterHit> {
  const expiredBefore = new Date(now.getTime() - windowMs);
  const row = await db
    .insertInto('login_attempts')
    .values({ key, count: 1, window_start: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when login_attempts.window_start <= ${expiredBefore} then 1 else login_attempts.count + 1 end`,
        window_start: sql<Date>`case when login_attempts.window_start <= ${expiredBefore} then ${now} else login_attempts.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const ends = new Date(row.window_start).getTime() + windowMs;
  return { count: row.count, resetInSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/** Drops counters whose window ended long ago (called now and then, so the table stays small). */
export async function pruneCounters(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('login_attempts').where('window_start', '<', olderThan).execute();
}
