// Builds the app on a fresh, migrated database for one test file: an in-memory PGlite by default,
// or a schema of its own in PostgreSQL when DATABASE_URL is set (so files run in parallel).
// PGlite starts from the run's migrated (or seeded) snapshot when the globalSetup built one.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { buildApp } from '../server/app.js';
import { type Config, loadConfig } from '../server/config.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDatabase } from '../server/db/seed.js';
import { hashPassword } from '../server/lib/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import { SEED_TODAY } from './support/pglite-snapshot.js';

export const TEST_DATABASE_URL = process.env.DATABASE_URL || undefined;

export interface TestContext {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/** A fresh database: PGlite in memory, or a new PostgreSQL schema; migrated. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  return openFreshDatabase(false);
}

/** The globalSetup's snapshot file for PGlite, if this run has one (not on PostgreSQL, nor outside vitest's config). */
function pgliteSnapshot(seeded: boolean): Blob | undefined {
  if (TEST_DATABASE_URL) return undefined;
  const files = inject('pgliteSnapshots');
  return files ? new Blob([readFileSync(seeded ? files.seeded : files.migrated)]) : undefined;
}

/**
 * Files run in parallel, each in its own PostgreSQL schema. Kysely's migrator looks for its tables across every schema
 * of the database (pg_get_serial_sequence on each column), which fails with 「schema … does not exist」 when another
 * file drops its schema at that moment. Migrating and dropping a test schema therefore take one advisory lock, on
 * one connection (a session lock is the connection's).
 */
const TEST_SCHEMA_LOCK = 424_242;

export async function withTestSchemaLock<T>(db: DatabaseHandle['db'], fn: (conn: DatabaseHandle['db']) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${TEST_SCHEMA_LOCK})`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(${TEST_SCHEMA_LOCK})`.execute(conn);
    }
  });
}

/** Migrates a test database: under the schema lock on PostgreSQL. */
export async function migrateTestDatabase(database: DatabaseHandle): Promise<void> {
  if (database.kind !== 'postgres') {
    await migrateToLatest(database.db, database.schema);
    return;
  }
  await withTestSchemaLock(database.db, (conn) => migrateToLatest(conn, database.schema).then(() => undefined));
}

/** Drops a test file's own PostgreSQL schema, under the schema lock. */
export async function dropTestSchema(db: DatabaseHandle['db'], schema: string): Promise<void> {
  await withTestSchemaLock(db, (conn) => sql.raw(`drop schema if exists ${schema} cascade`).execute(conn).then(() => undefined));
}

/** Migrated, and seeded when asked: from the snapshot on PGlite, by running the migrations (and seed) otherwise. */
async function openFreshDatabase(seeded: boolean): Promise<DatabaseHandle> {
  const schema = TEST_DATABASE_URL ? `test_${process.pid}_${randomBytes(4).toString('hex')}` : undefined;
  const snapshot = pgliteSnapshot(seeded);
  const database = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 5, pgliteSnapshot: snapshot });
  if (!snapshot) {
    await migrateTestDatabase(database);
    if (seeded) await seedDatabase(database.db, { today: SEED_TODAY });
  }
  const close = database.close;
  return {
    ...database,
    close: async () => {
      if (schema) await dropTestSchema(database.db, schema);
      await close();
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'survey-test-')),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://survey.example.lg.jp',
    ...(TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
    ...env,
  });
}

export async function buildTestApp(
  opts: { seed?: boolean; env?: Record<string, string>; clock?: () => Date; mailRetryDelaysMs?: number[] } = {},
): Promise<TestContext> {
  const database = await openFreshDatabase(opts.seed === true);
  const config = testConfig(opts.env);
  const app = await buildApp(config, { database, clock: opts.clock, mailRetryDelaysMs: opts.mailRetryDelaysMs });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const ORGANISER = { email: 'joho@city.nishinomiya.example.lg.jp', password: 'correct horse battery staple' };

/** Creates an organiser account and returns a bearer header for it. */
export async function loginOrganiser(
  ctx: TestContext,
  account: { email: string; password: string; role?: 'admin' | 'staff' } = ORGANISER,
): Promise<{ authorization: string }> {
  await createOrganiser(ctx.database.db, {
    email: account.email,
    passwordHash: await hashPassword(account.password),
    role: account.role ?? 'admin',
  }).catch(() => undefined);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: account.email, password: account.password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().token}` };
}
