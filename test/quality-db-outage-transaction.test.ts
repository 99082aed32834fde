// Issue 12 §3: the database connection drops while a request is inside a transaction. The failed ROLLBACK's
// error used to hide the original and the request got 500; it is a 503 with Retry-After like any outage.
// Only meaningful on the real PostgreSQL (through a TCP proxy the test cuts).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { type DatabaseHandle, openDatabase } from '../server/db/database.js';
import { dropTestSchema, migrateTestDatabase, TEST_DATABASE_URL, testConfig } from './helper.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

describe.runIf(TEST_DATABASE_URL)('a dropped connection inside a transaction (PostgreSQL through a TCP proxy)', () => {
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const schema = `outage_tx_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const url = new URL(TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    database = await openDatabase({ databaseUrl: url.toString(), schema, poolSize: 2, onPoolError: () => undefined });
    await migrateTestDatabase(database);
    app = await buildApp(testConfig(), { database });
    // a route that does what every write does: a transaction with several statements; the cut comes in between
    app.post('/test/transaction', async () =>
      app.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await proxy.cut();
        await sql`select 1`.execute(trx);
        return { ok: true };
      }),
    );
    await app.ready();
  });

  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await app?.close();
    await dropTestSchema(database.db, schema).catch(() => undefined);
    await database?.close();
    await proxy.close();
  });

  it('answers 503 with Retry-After and the Japanese outage message, not 500', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/transaction', payload: {} });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('データベース') });
    await proxy.restore();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/health' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
