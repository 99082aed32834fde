// Sequential draft saves in-process, to see a save's own cost (statements, time) without the load generator.
//   tsx bench/profile-save.ts pglite|postgres [count]
import { randomBytes } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { sql } from 'kysely';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDatabase } from '../server/db/seed.js';
import { hashPassword } from '../server/lib/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import { sampleResponse } from './sample-response.js';

const [kind, countArg] = process.argv.slice(2);
const databaseUrl = kind === 'postgres' ? process.env.DATABASE_URL : undefined;
const schema = databaseUrl ? `prof_${randomBytes(4).toString('hex')}` : undefined;
const database = await openDatabase({ databaseUrl, schema, poolSize: 10 });
await migrateToLatest(database.db, database.schema);
await seedDatabase(database.db, { today: new Date() });
let statements = 0;
const counter: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) };
const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', NODE_ENV: 'production', DATA_DIR: '/tmp/bench-data', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const app = await buildApp(config, { database: { ...database, db: database.db.withPlugin(counter) } });
await app.ready();
await createOrganiser(database.db, { email: 'bench@example.jp', passwordHash: await hashPassword('bench-password-123'), role: 'admin' });
const token = (await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'bench@example.jp', password: 'bench-password-123' } })).json().token;
const organiser = { authorization: `Bearer ${token}` };
await app.inject({ method: 'PATCH', url: '/api/v1/surveys/1', headers: organiser, payload: { status: 'open' } });
const codes = (await app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser })).json().measures.map((m: { code: string }) => m.code);
const invitations = (await app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: {} })).json() as Array<{ cityCode: string; token: string }>;
const [drafted, submitted] = invitations.filter((i) => i.cityCode !== '282049');
const versions = new Map<string, number>();
for (const [i, inv] of [drafted, submitted].entries()) {
  const bearer = { authorization: `Bearer ${inv.token}` };
  versions.set(inv.token, (await app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { ...sampleResponse(codes, i), version: 0 } })).json().version);
}
versions.set(submitted.token, (await app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: { authorization: `Bearer ${submitted.token}` }, payload: {} })).json().version);
const count = Number(countArg ?? 300);
for (const [label, inv] of [['draft', drafted], ['after submission', submitted]] as const) {
  let n = 0;
  const t = performance.now();
  statements = 0;
  for (let i = 0; i < count; i++) {
    const res = await app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${inv.token}` }, payload: { ...sampleResponse(codes, n++), version: versions.get(inv.token) } });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    versions.set(inv.token, res.json().version);
  }
  console.log(`${kind} ${label}: ${((performance.now() - t) / count).toFixed(2)} ms per save, ${(statements / count).toFixed(1)} statements per save`);
}
await app.close();
if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
await database.close();
