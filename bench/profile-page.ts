import { randomBytes } from 'node:crypto';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDatabase } from '../server/db/seed.js';
import { hashPassword } from '../server/domain/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import { sampleResponse } from './sample-response.js';
import { sql } from 'kysely';
const kind = process.argv[2];
const N = Number(process.argv[3] ?? 500);
const databaseUrl = kind === 'postgres' ? process.env.DATABASE_URL : undefined;
const schema = databaseUrl ? `inj_${randomBytes(4).toString('hex')}` : undefined;
const database = await openDatabase({ databaseUrl, schema, poolSize: 10 });
await migrateToLatest(database.db, database.schema);
await seedDatabase(database.db, { today: new Date() });
let statements = 0;
const counter = { transformQuery: (a: any) => a.node, transformResult: async (a: any) => (statements++, a.result) };
const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', NODE_ENV: 'production', DATA_DIR: '/tmp/bench-data', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const app = await buildApp(config, { database: { ...database, db: database.db.withPlugin(counter) } });
await app.ready();
await createOrganiser(database.db, { email: 'bench@example.jp', passwordHash: await hashPassword('bench-password-123'), role: 'admin' });
const token = (await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'bench@example.jp', password: 'bench-password-123' } })).json().token;
const organiser = { authorization: `Bearer ${token}` };
await app.inject({ method: 'PATCH', url: '/api/v1/surveys/1', headers: organiser, payload: { status: 'open' } });
const codes = (await app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser })).json().measures.map((m: { code: string }) => m.code);
const invitations = (await app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: {} })).json() as Array<{ cityCode: string; token: string }>;
const inv = invitations.find((i) => i.cityCode !== '282049')!;
await app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${inv.token}` }, payload: { ...sampleResponse(codes, 1), version: 0 } });
const opened = await app.inject({ method: 'POST', url: `/r/${inv.token}` });
const cookie = (opened.headers['set-cookie'] as string[] | string);
const cookieHeader = (Array.isArray(cookie) ? cookie : [cookie]).map((c) => c.split(';')[0]).join('; ');
const url = process.argv[4] ?? '/respond';
for (let i = 0; i < 50; i++) await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader } });
if (process.env.DUMP) (await import('node:fs')).writeFileSync(process.env.DUMP, (await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader } })).body);
if (process.env.QUERY_ONLY) {
  const { loadRespondentPage } = await import('../server/repositories/respondent-page.js');
  const claims = app.jwt.decode<{ sid: number; city: string; inv: number }>(decodeURIComponent(cookieHeader.split('respondent_session=')[1].split(';')[0]))!;
  const s = { invitationId: claims.inv, surveyId: claims.sid, cityCode: claims.city };
  for (const [name, fn] of [['select 1', () => sql`select 1`.execute(database.db)], ['page query', () => loadRespondentPage(database.db, s, { response: true, planDocuments: true })]] as const) {
    for (let i = 0; i < 100; i++) await fn();
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < N; i++) await fn();
    const u = process.cpuUsage(cpu);
    if (process.env.SHOWPREP) console.log((await sql`select name, generic_plans, custom_plans from pg_prepared_statements`.execute(database.db)).rows);
    console.log(`${name}: ${((performance.now() - t) / N).toFixed(3)} ms wall, ${((u.user + u.system) / 1000 / N).toFixed(3)} ms cpu`);
  }
}
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
if (process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
statements = 0;
const t = performance.now();
const cpu = process.cpuUsage();
let len = 0;
for (let i = 0; i < N; i++) { const r = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader } }); len = r.body.length; if (r.statusCode !== 200) throw new Error(r.body); }
const ms = (performance.now() - t) / N;
const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000 / N;
if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync('/tmp/perfwork/inject.cpuprofile', JSON.stringify(profile)); }
console.log(`${kind} ${url}: ${ms.toFixed(3)} ms per request (${cpuMs.toFixed(3)} ms of this process's CPU), ${(statements / N).toFixed(2)} statements, ${len} chars`);
await app.close();
if (schema && !process.env.KEEP) await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
await database.close();
