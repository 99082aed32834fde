// PostgreSQL stops mid-run: requests get 503 with Retry-After quickly (no hang, no 500), /health says 503,
// and service resumes when the database returns, without a restart. Only meaningful on the real PostgreSQL.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { seedDatabase } from '../server/db/seed.js';
import { dropTestSchema, migrateTestDatabase, TEST_DATABASE_URL, testConfig } from './helper.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import type { FastifyInstance } from 'fastify';

describe.runIf(TEST_DATABASE_URL)('database outage (PostgreSQL through a TCP proxy)', () => {
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const schema = `outage_${randomBytes(4).toString('hex')}`;
  const poolErrors: Error[] = [];

  beforeAll(async () => {
    const url = new URL(TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    database = await openDatabase({ databaseUrl: url.toString(), schema, poolSize: 4, onPoolError: (e) => poolErrors.push(e) });
    await migrateTestDatabase(database);
    await seedDatabase(database.db, { today: new Date('2026-11-21T00:00:00Z') });
    app = await buildApp(testConfig(), { database });
    await app.ready();
  });

  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await app?.close();
    await dropTestSchema(database.db, schema).catch(() => undefined);
    await database?.close();
    await proxy.close();
  });

  it('answers 503 with Retry-After within a few seconds while the database is away, then recovers', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

    await proxy.cut();
    const started = Date.now();
    const health = await app.inject({ method: 'GET', url: '/health' });
    const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a@example.jp', password: 'x' } });
    const elapsed = Date.now() - started;
    expect(health.statusCode).toBe(503);
    expect(login.statusCode).toBe(503);
    expect(login.headers['retry-after']).toBeDefined();
    expect(login.json()).toMatchObject({ statusCode: 503, message: expect.stringContaining('データベース') });
    expect(elapsed).toBeLessThan(12_000); // bounded by the pool's connection timeout, not a hang

    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/health' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    const again = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a@example.jp', password: 'x' } });
    expect(again.statusCode).toBe(401); // the database answers again: an ordinary wrong-password reply
  });
});
