// One scale case: a synthetic submitted round of N participants × M measures on a fresh database, then
// the time of the results (full recount, the cache's first request, after one response changed, unchanged data),
// the results page, and the organiser's workbook with the peak RSS.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { cityCodeCheckDigit } from '../server/domain/city-code.js';
import { hashPassword } from '../server/lib/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import { computeResults } from '../server/services/results.js';

const [kind, participantsArg, measuresArg] = process.argv.slice(2);
const N = Number(participantsArg);
const M = Number(measuresArg);

const databaseUrl = kind === 'postgres' ? process.env.DATABASE_URL : undefined;
const schema = databaseUrl ? `scale_${randomBytes(4).toString('hex')}` : undefined;
const database = await openDatabase({ databaseUrl, schema, poolSize: 4 });
const { db } = database;
await migrateToLatest(db, database.schema);

// Cities with valid 団体コード (5-digit prefixes from 10000 up, check digit computed), spread over 3 bands.
const cities = Array.from({ length: N }, (_, i) => {
  const prefix = String(10000 + i);
  return { code: prefix + cityCodeCheckDigit(prefix), name: `市${i}`, prefecture: '県', population: [200000, 400000, 600000][i % 3] + i };
});
for (let i = 0; i < cities.length; i += 1000) await db.insertInto('cities').values(cities.slice(i, i + 1000)).execute();
const survey = await db
  .insertInto('surveys')
  .values({ title: `規模 ${N} × ${M}`, host_city_code: cities[0].code, deadline: '2030-01-01', band_thresholds: [300000, 500000], template: 'chukakushi-2018', status: 'closed' })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('measures')
  .values(Array.from({ length: M }, (_, i) => ({ survey_id: survey.id, code: `M${String(i + 1).padStart(3, '0')}`, category: ['自治体の対策', '自治体の業務', '地域', 'インフラ'][Math.floor((i * 4) / M)], label: `対策 ${i + 1}`, position: i + 1 })))
  .execute();
for (let i = 0; i < cities.length; i += 1000) {
  await db.insertInto('participants').values(cities.slice(i, i + 1000).map((c, j) => ({ survey_id: survey.id, city_code: c.code, population: c.population, population_date: null, band_index: (i + j) % 3 }))).execute();
}
await sql`
  insert into responses (survey_id, city_code, status, submitted_at, disclosure, has_plan, plan_name, plan_latest_number, plan_update_cycle_years, plan_period_start, plan_period_end, next_plan,
                         contact_department, contact_person_kana, contact_phone, contact_email)
  select survey_id, city_code, 'submitted', now(), (array['public','anonymous','private'])[1 + (row_number() over () % 3)::int], true,
         '情報化推進計画', 4, 5, 2014, 2018, 'update', '情報企画課', 'ジョウホウ', '0798-35-3151', 'joho@example.lg.jp'
  from participants where survey_id = ${survey.id}`.execute(db);
// Answers in slices of 500 responses, so that no single statement runs into the pool's statement_timeout.
const responseIds = (await db.selectFrom('responses').select('id').where('survey_id', '=', survey.id).orderBy('id').execute()).map((r) => r.id);
for (let i = 0; i < responseIds.length; i += 500) {
  const slice = responseIds.slice(i, i + 500);
  await sql`
    insert into response_answers (response_id, measure_id, answer)
    select r.id, m.id, (array['implemented','studying','none'])[1 + ((r.id + m.id) % 3)]
    from responses r cross join measures m
    where r.id between ${slice[0]} and ${slice[slice.length - 1]} and r.survey_id = ${survey.id} and m.survey_id = ${survey.id}`.execute(db);
}

// A database in service has statistics (autovacuum analyses after bulk changes); take them now as well.
await sql`analyze`.execute(db);

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn: () => Promise<unknown>, runs: number) => {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
};

const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', NODE_ENV: 'production', DATA_DIR: '/tmp/bench-data', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const app = await buildApp(config, { database });
await app.ready();
await createOrganiser(db, { email: 'scale@example.jp', passwordHash: await hashPassword('scale-password-123'), role: 'admin' });
const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'scale@example.jp', password: 'scale-password-123' } });
const headers = { authorization: `Bearer ${login.json().token}` };

// The workbook first, so that its peak RSS is that of a process that has done nothing else since the data was
// loaded (the results page's renderings would otherwise count towards it); the loading's garbage is collected first
// when the process runs with --expose-gc (bench/scale.ts starts it so).
(globalThis as { gc?: () => void }).gc?.();
const rssBeforeMb = process.memoryUsage().rss / 1e6;
let peakRss = process.memoryUsage().rss;
let peakHeap = 0;
let peakExternal = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external);
}, 5);
const t = performance.now();
const workbook = await app.inject({ method: 'GET', url: `/api/v1/surveys/${survey.id}/results.xlsx`, headers });
const workbookMs = performance.now() - t;
clearInterval(sampler);
if (workbook.statusCode !== 200) throw new Error(`workbook → ${workbook.statusCode}`);
// The sampler cannot run while the event loop is busy: the process's maximum RSS so far (the kernel's figure,
// which also covers the data loading before) bounds the workbook's peak from above; report the larger of the two.
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);


await computeResults(db, survey.id); // warm-up
if (process.env.BENCH_TRACE) {
  // Prints each query of one results computation with its time, to see where the time goes.
  const executor = db.getExecutor() as unknown as { executeQuery: (...a: [{ sql: string }, ...unknown[]]) => Promise<unknown> };
  const original = executor.executeQuery.bind(executor);
  executor.executeQuery = async (...a: [{ sql: string }, ...unknown[]]) => {
    const t = performance.now();
    try {
      return await original(...a);
    } finally {
      console.error(`${(performance.now() - t).toFixed(1)} ms  ${String(a[0].sql).slice(0, 120)}`);
    }
  };
  const t = performance.now();
  await computeResults(db, survey.id);
  console.error(`computeResults total ${(performance.now() - t).toFixed(1)} ms`);
  const { organiserResultsWorkbookFile } = await import('../server/services/workbook-stream.js');
  const t0 = performance.now();
  await organiserResultsWorkbookFile(db, survey.id, new Date());
  console.error(`streamed workbook (queries traced above) ${(performance.now() - t0).toFixed(0)} ms`);
  executor.executeQuery = original;
}
const resultsMs = await time(() => computeResults(db, survey.id), 5);
// the app's first request: the tally (services/results-cache.ts) started from nothing, every answer read once
const cache = app.resultsCache;
let t1 = performance.now();
await cache.get(db, survey.id);
const resultsFirstMs = performance.now() - t1;
// what a repeated request of unchanged data costs: the data version query, then the kept results
const resultsCachedMs = await time(() => cache.get(db, survey.id), 5);
// The request after a change: one response changed as a save that submits changes it (repositories/responses.ts
// updateResponse + writeMeasureAnswers: its version raised, one answer rewritten, in one transaction), a different
// response each time. Checked: the results must show the change and only that response must be counted again.
const changedMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const responseId = responseIds[(i * 397) % responseIds.length];
  const measure = await sql<{ measure_id: number; answer: string }>`select measure_id, answer from response_answers where response_id = ${responseId} order by measure_id limit 1`.execute(db);
  const { measure_id: measureId, answer } = measure.rows[0];
  const next = answer === 'implemented' ? 'none' : 'implemented';
  await db.transaction().execute(async (trx) => {
    await sql`update responses set version = version + 1, submitted_at = now(), updated_at = now() where id = ${responseId}`.execute(trx);
    await sql`update response_answers set answer = ${next} where response_id = ${responseId} and measure_id = ${measureId}`.execute(trx);
  });
  const before = { full: cache.fullRecounts, recounted: cache.responsesRecounted };
  t1 = performance.now();
  const changed = await cache.get(db, survey.id);
  changedMs.push(performance.now() - t1);
  if (cache.fullRecounts !== before.full || cache.responsesRecounted !== before.recounted + 1) throw new Error('the results after one change did not count exactly that response again');
  const expected = await computeResults(db, survey.id);
  if (JSON.stringify(changed) !== JSON.stringify(expected)) throw new Error('the results after a change differ from a full recount');
}
const resultsChangedMs = median(changedMs);

const pageUrl = process.env.BENCH_RESULTS_PAGE ?? `/organiser/surveys/${survey.id}/results`;
const page = await app.inject({ method: 'GET', url: pageUrl, headers });
if (page.statusCode !== 200) throw new Error(`results page ${pageUrl} → ${page.statusCode}`);
const pageMs = await time(() => app.inject({ method: 'GET', url: pageUrl, headers }), 3);

console.log(JSON.stringify({ participants: N, measures: M, resultsMs, resultsFirstMs, resultsChangedMs, resultsCachedMs, pageMs, workbookMs, workbookBytes: workbook.rawPayload.length, rssBeforeWorkbookMb: rssBeforeMb, workbookPeakRssMb: peakRss / 1e6, workbookPeakHeapMb: peakHeap / 1e6, workbookPeakExternalMb: peakExternal / 1e6, processMaxRssMb: process.resourceUsage().maxRSS / 1024 }));
await app.close();
if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(db);
await database.close();
