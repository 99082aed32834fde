// What both in-process profiles (profile-page.ts, profile-save.ts) start from: a migrated and seeded database of their
// own (a fresh schema on PostgreSQL), the app in production mode counting every SQL statement it runs, the demo
// survey open, and a personal link for each participant.
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

export async function openProfiledApp(kind: string | undefined, schemaPrefix: string) {
  const databaseUrl = kind === 'postgres' ? process.env.DATABASE_URL : undefined;
  const schema = databaseUrl ? `${schemaPrefix}_${randomBytes(4).toString('hex')}` : undefined;
  const database = await openDatabase({ databaseUrl, schema, poolSize: 10 });
  await migrateToLatest(database.db, database.schema);
  await seedDatabase(database.db, { today: new Date() });
  /** SQL statements the app has run since the last reset */
  const counted = { statements: 0 };
  const counter: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => (counted.statements++, a.result) };
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', NODE_ENV: 'production', DATA_DIR: '/tmp/bench-data', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const app = await buildApp(config, { database: { ...database, db: database.db.withPlugin(counter) } });
  await app.ready();
  await createOrganiser(database.db, { email: 'bench@example.jp', passwordHash: await hashPassword('bench-password-123'), role: 'admin' });
  const token = (await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'bench@example.jp', password: 'bench-password-123' } })).json().token;
  const organiser = { authorization: `Bearer ${token}` };
  await app.inject({ method: 'PATCH', url: '/api/v1/surveys/1', headers: organiser, payload: { status: 'open' } });
  const codes: string[] = (await app.inject({ method: 'GET', url: '/api/v1/surveys/1', headers: organiser })).json().measures.map((m: { code: string }) => m.code);
  const invitations = (await app.inject({ method: 'POST', url: '/api/v1/surveys/1/invitations', headers: organiser, payload: {} })).json() as Array<{ cityCode: string; token: string }>;
  const close = async () => {
    await app.close();
    if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
    await database.close();
  };
  return { app, database, counted, codes, invitations, close };
}
