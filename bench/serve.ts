// A server for the benchmark, run in its own process so that the load generator does not share its core.
//   tsx bench/serve.ts baseline            a bare Fastify hello-world (the baseline)
//   tsx bench/serve.ts app pglite|postgres the platform on a fresh database with a 62-city open survey in
//                                          which every city has saved and every other one submitted (so that
//                                          draft saves exercise both a draft and a submitted response);
//                                          prints credentials as JSON
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { seedDatabase } from '../server/db/seed.js';
import { hashPassword } from '../server/lib/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import { sampleResponse } from './sample-response.js';

const [mode, kind] = process.argv.slice(2);

async function baseline() {
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  console.log(JSON.stringify({ port }));
}

async function platform() {
  const databaseUrl = kind === 'postgres' ? process.env.DATABASE_URL : undefined;
  if (kind === 'postgres' && !databaseUrl) throw new Error('DATABASE_URL is required for the postgres run');
  const schema = databaseUrl ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  const config = loadConfig({
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    DATA_DIR: '/tmp/bench-data',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
    ...(process.env.PAGE_CACHE_MB ? { PAGE_CACHE_MB: process.env.PAGE_CACHE_MB } : {}),
  });
  const database = await openDatabase({ databaseUrl, schema, poolSize: config.databasePoolSize });
  await migrateToLatest(database.db, database.schema);
  await seedDatabase(database.db, { today: new Date() });
  const app = await buildApp(config, { database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;

  await createOrganiser(database.db, { email: 'bench@example.jp', passwordHash: await hashPassword('bench-password-123'), role: 'admin' });
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined, redirect: 'manual' });
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return res;
  };
  const { token } = (await (await call('POST', '/api/v1/session', {}, { email: 'bench@example.jp', password: 'bench-password-123' })).json()) as { token: string };
  const organiser = { authorization: `Bearer ${token}` };
  await call('PATCH', '/api/v1/surveys/1', organiser, { status: 'open' });
  const survey = (await (await call('GET', '/api/v1/surveys/1', organiser)).json()) as { measures: Array<{ code: string }> };
  const invitations = (await (await call('POST', '/api/v1/surveys/1/invitations', organiser, {})).json()) as Array<{ cityCode: string; token: string }>;
  const respondents = invitations.filter((i) => i.cityCode !== '282049');
  for (const [i, inv] of respondents.entries()) {
    const bearer = { authorization: `Bearer ${inv.token}` };
    await call('PUT', '/api/v1/response', bearer, { ...sampleResponse(survey.measures.map((m) => m.code), i), version: 0 });
    if (i % 2 === 0) await call('POST', '/api/v1/response/submit', bearer);
  }
  const versions: number[] = [];
  for (const inv of respondents) versions.push(((await (await call('GET', '/api/v1/response', { authorization: `Bearer ${inv.token}` })).json()) as { version: number }).version);
  // A personal link's GET changes nothing; its button (POST) starts the respondent's session.
  const opened = await call('POST', `/r/${respondents[0].token}`, {});
  const cookie = (opened.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  console.log(JSON.stringify({ port, organiserToken: token, respondentTokens: respondents.map((r) => r.token), respondentVersions: versions, respondentCookie: cookie, measureCodes: survey.measures.map((m) => m.code) }));

  const stop = async () => {
    await app.close();
    if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

await (mode === 'baseline' ? baseline() : platform());
