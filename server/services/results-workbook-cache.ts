// The organiser's results.xlsx costs about a second of CPU for 100 cities: the finished file is kept per
// survey, data version (repositories/data-version.ts) and date printed in it, so repeated downloads of
// unchanged data cost one small query. A few surveys' files are kept, the least recently used dropped first.
import type { Db } from '../db/database.js';
import { surveyDataVersion } from '../repositories/data-version.js';
import { organiserResultsWorkbookFile } from './workbook-stream.js';
import { japanDate } from '../domain/japan-time.js';

export interface CachedWorkbook {
  buffer: Buffer;
  title: string;
  date: string;
}

const MAX_ENTRIES = 16;

declare module 'fastify' {
  interface FastifyInstance {
    /** one per app (decorated in app.ts); each instance keeps its own files */
    resultsWorkbookCache: ResultsWorkbookCache;
  }
}

export class ResultsWorkbookCache {
  private readonly entries = new Map<string, CachedWorkbook>();
  /** how many files were built (not served from the cache): tests and the log read it */
  builds = 0;

  async get(db: Db, surveyId: number, now: Date): Promise<CachedWorkbook> {
    const date = japanDate(now);
    const key = `${surveyId}\u0000${date}\u0000${await surveyDataVersion(db, surveyId)}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    // streamed (services/workbook-stream.ts): a national round's workbook is built in pages, not in memory
    const { buffer, title } = await organiserResultsWorkbookFile(db, surveyId, now);
    const entry = { buffer, title, date };
    this.builds++;
    for (const old of this.entries.keys()) if (old.startsWith(`${surveyId}\u0000`)) this.entries.delete(old);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
