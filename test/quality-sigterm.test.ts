// SIGTERM during a burst of draft saves and submits, against the real server process started exactly as
// `npm start` starts it (read from package.json; it must be node itself — through the tsx CLI, a server
// busy for more than 30 ms when the signal comes is SIGKILLed, exit 143), over real HTTP: it exits 0, and after a restart on the same data every submit that was answered 200 is
// submitted with exactly its answers, every response is entirely its old answers or entirely its new ones
// (contact, plan and all 46 measures together), and a request that failed got a connection error or a 503.
//
// The database: the embedded PGlite in a temporary DATA_DIR; when DATABASE_URL is set, a database of its
// own created on that PostgreSQL server (server.ts takes no schema option, so a whole database gives the
// same isolation), dropped afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleResponse } from '../bench/sample-response.js';
import { TEST_DATABASE_URL } from './helper.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const START = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
const ADMIN = { email: 'joho@city.nishinomiya.example.lg.jp', password: 'sigterm-admin-password' };
const SURVEY = 1; // the seeded demo survey: 61 cities besides the host
const CONCURRENCY = 12;

type Outcome = number | 'connection error' | 'timeout';
interface Run {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;
const started: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts server.ts and waits for /health; the same env (and so the same data) every time. */
async function start(): Promise<Run> {
  const port = await freePort();
  const [command, ...args] = START;
  const child = spawn(command === 'node' ? process.execPath : path.join(ROOT, 'node_modules/.bin', command), args, { cwd: ROOT, env: { ...env, PORT: String(port) } });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${base}/health`).then((r) => r.status, () => 0)) === 200) return { child, base, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start:\n${output}`);
}

/** One request; a refused or dropped connection is an outcome, not an exception. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of whichever route was called, read like inject's res.json()
async function call(base: string, method: string, url: string, token: string, body?: unknown): Promise<{ status: Outcome; json?: any }> {
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection error' };
  }
}

async function api(base: string, token: string, method: string, url: string, body?: unknown) {
  const res = await call(base, method, url, token, body);
  if (typeof res.status !== 'number' || res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

beforeAll(async () => {
  env = { ...(process.env as Record<string, string>), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, PUBLIC_URL: 'http://survey.example.lg.jp' };
  for (const name of ['DATABASE_URL', 'JWT_SECRET', 'SMTP_URL', 'NODE_ENV']) delete env[name];
  env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'survey-sigterm-'));
  if (TEST_DATABASE_URL) {
    const name = `sigterm_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    env.JWT_SECRET = randomBytes(48).toString('base64url');
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
}, 30_000);
afterAll(async () => {
  // a failed assertion may leave a server of ours running: stop it before its database goes
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await dropDatabase?.();
});

describe(`SIGTERM during a burst of submits (${TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('exits 0; after a restart every answered submit is there with exactly its answers, and no response is half old, half new', async () => {
    // ---- prepare: an open survey, a link per city, and an old, submitted answer for each ----
    let run = await start();
    const token = (await api(run.base, '', 'POST', '/api/v1/session', ADMIN)).token as string;
    await api(run.base, token, 'PATCH', `/api/v1/surveys/${SURVEY}`, { status: 'open' });
    const measureCodes: string[] = (await api(run.base, token, 'GET', `/api/v1/surveys/${SURVEY}`)).measures.map((m: { code: string }) => m.code);
    expect(measureCodes).toHaveLength(46);
    const links: Array<{ cityCode: string; token: string }> = await api(run.base, token, 'POST', `/api/v1/surveys/${SURVEY}/invitations`, {});
    expect(links.length).toBeGreaterThanOrEqual(60);
    const oldAnswer = (i: number) => sampleResponse(measureCodes, 2 * i);
    const newAnswer = (i: number) => sampleResponse(measureCodes, 2 * i + 1);
    await Promise.all(
      links.map(async (l, i) => {
        await api(run.base, l.token, 'PUT', '/api/v1/response', { ...oldAnswer(i), version: 0 });
        await api(run.base, l.token, 'POST', '/api/v1/response/submit', {});
      }),
    );
    const versions = new Map<string, number>();
    for (const l of links) versions.set(l.cityCode, (await api(run.base, token, 'GET', `/api/v1/surveys/${SURVEY}/responses/${l.cityCode}`)).version);

    // ---- the burst: each city saves its new answer and submits; SIGTERM once a quarter are done ----
    const outcomes = new Map<string, { put: Outcome; submit?: Outcome }>();
    const queue = links.map((l, i) => ({ ...l, i }));
    let done = 0;
    let sigtermAt = 0;
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const put = await call(run.base, 'PUT', '/api/v1/response', next.token, { ...newAnswer(next.i), version: versions.get(next.cityCode) });
        const outcome: { put: Outcome; submit?: Outcome } = { put: put.status };
        outcomes.set(next.cityCode, outcome);
        if (put.status === 200) outcome.submit = (await call(run.base, 'POST', '/api/v1/response/submit', next.token, {})).status;
        if (++done === Math.ceil(links.length / 4)) {
          sigtermAt = Date.now();
          run.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const exitCode = await run.exited;
    const shutdownMs = Date.now() - sigtermAt;
    expect(exitCode, run.output()).toBe(0);
    expect(run.output()).not.toMatch(/request failed|shutdown failed/);

    const all = [...outcomes.values()].flatMap((o) => (o.submit === undefined ? [o.put] : [o.put, o.submit]));
    const failed = all.filter((s) => s !== 200);
    expect(all.filter((s) => s === 200).length, 'some writes finished before the shutdown').toBeGreaterThan(0);
    expect(failed.length, 'the shutdown came mid-burst: later requests failed').toBeGreaterThan(0);
    expect(failed.filter((s) => s !== 'connection error' && s !== 503), `failures other than a refused connection or 503: ${failed}`).toEqual([]);
    expect(shutdownMs).toBeLessThan(15_000);
    const tally = (xs: Outcome[]) => [...new Set(xs)].map((x) => `${x}×${xs.filter((y) => y === x).length}`).join(' ');
    console.info(`SIGTERM after ${Math.ceil(links.length / 4)} cities; saves: ${tally([...outcomes.values()].map((o) => o.put))}; submits: ${tally([...outcomes.values()].flatMap((o) => (o.submit === undefined ? [] : [o.submit])))}; exit 0 after ${shutdownMs} ms`);

    // ---- restart on the same data and read every response back ----
    run = await start();
    try {
      const organiser = (await api(run.base, '', 'POST', '/api/v1/session', ADMIN)).token as string;
      const problems: string[] = [];
      for (const [i, l] of links.entries()) {
        const saved = await api(run.base, organiser, 'GET', `/api/v1/surveys/${SURVEY}/responses/${l.cityCode}`);
        const outcome = outcomes.get(l.cityCode) ?? { put: 'connection error' as Outcome };
        const stored = answerKey(saved.answers);
        const isNew = stored === answerKey(newAnswer(i));
        const isOld = stored === answerKey(oldAnswer(i));
        if (!isNew && !isOld) problems.push(`${l.cityCode}: neither entirely old nor entirely new: ${stored.slice(0, 200)}`);
        if (outcome.submit === 200 && !(isNew && saved.status === 'submitted')) problems.push(`${l.cityCode}: submit answered 200 but stored ${saved.status} ${isNew ? 'new' : 'old'}`);
        if (outcome.put === 200 && !isNew) problems.push(`${l.cityCode}: save answered 200 but the old answers are stored`);
        if (isOld && saved.status !== 'submitted') problems.push(`${l.cityCode}: old answers but no longer submitted`);
      }
      expect(problems).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  }, 240_000);
});

/** The answers as compared: contact, plan and disclosure field by field, and every measure — in a fixed order. */
function answerKey(a: { contact: Record<string, unknown>; plan: Record<string, unknown>; disclosure: unknown; measures: Record<string, unknown> }): string {
  const { contact: c, plan: p } = a;
  return JSON.stringify([
    [c.department, c.personKana, c.phone, c.email],
    [p.hasPlan, p.name, p.latestNumber, p.updateCycleYears, p.periodStart, p.periodEnd, p.nextPlan, p.notes],
    a.disclosure,
    Object.entries(a.measures).sort(([x], [y]) => x.localeCompare(y)),
  ]);
}
