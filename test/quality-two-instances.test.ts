// Two app instances on one PostgreSQL behave as one (issue #15): requests alternate between two real server
// processes; 62 invitation mails are each sent exactly once although one instance is killed (SIGKILL) halfway,
// with mails in flight; a session ended on one is refused on the other; a measure renamed, or a draft saved,
// through one is on the respondent form the other serves from its caches at once. PostgreSQL only (PGlite is one process).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from './helper.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ADMIN = { email: 'joho@city.nishinomiya.example.lg.jp', password: 'two instances password' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(TEST_DATABASE_URL)('two app instances on one PostgreSQL', () => {
  const dbName = `two_instances_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(TEST_DATABASE_URL ?? 'postgres://localhost/test');
  const dbUrl = new URL(adminUrl.href);
  dbUrl.pathname = `/${dbName}`;
  const instances: Array<{ child: ChildProcess; base: string; output: string }> = [];
  // the SMTP server counts what it accepted, per recipient; `holding` keeps new messages waiting for a reply
  const accepted: string[] = [];
  const held: Array<{ session: { closed?: boolean }; accept: () => void }> = [];
  let dropped = 0;
  let holding = false;
  let smtp: SMTPServer;
  let smtpPort = 0;

  async function start(): Promise<{ child: ChildProcess; base: string; output: string }> {
    const port = await freePort();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PORT: String(port),
      DATABASE_URL: dbUrl.href,
      JWT_SECRET: 'two-instances-secret-two-instances-secret-0123',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_LEASE_MS: '1500',
      MAIL_POLL_MS: '100',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    // node itself (not the tsx wrapper), so that SIGKILL kills the server and nothing else
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], { cwd: ROOT, env });
    const instance = { child, base: `http://127.0.0.1:${port}`, output: '' };
    child.stdout!.on('data', (c: Buffer) => (instance.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (instance.output += c.toString()));
    await waitFor(async () => (await fetch(`${instance.base}/health`).catch(() => undefined))?.status === 200, 60_000, `instance on ${port}: ${instance.output}`);
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl.href });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          const accept = () => {
            // a connection whose client died is not a delivered message
            if ((session as unknown as { closed?: boolean }).closed) dropped++;
            else accepted.push(...session.envelope.rcptTo.map((r) => r.address));
            callback();
          };
          if (holding) held.push({ session: session as unknown as { closed?: boolean }, accept });
          else accept();
        });
      },
      onClose(session) {
        (session as unknown as { closed?: boolean }).closed = true;
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    smtpPort = (smtp.server.address() as net.AddressInfo).port;
    await start();
    await start();
  }, 180_000);

  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGKILL');
    await Promise.all(instances.map((i) => (i.child.exitCode === null && i.child.signalCode === null ? once(i.child, 'exit') : undefined)));
    smtp?.close();
    const admin = new pg.Client({ connectionString: adminUrl.href });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }, 60_000);

  const call = async (i: number, method: string, url: string, token?: string, body?: unknown) => {
    const res = await fetch(`${instances[i].base}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };

  it('a session ended on one instance is refused on the other', async () => {
    const login = await call(0, 'POST', '/api/v1/session', undefined, ADMIN);
    expect(login.status).toBe(200);
    const token = login.json.token as string;
    expect((await call(1, 'GET', '/api/v1/surveys', token)).status).toBe(200);
    expect((await call(1, 'DELETE', '/api/v1/session', token)).status).toBe(204);
    expect((await call(0, 'GET', '/api/v1/surveys', token)).status).toBe(401);
  });

  it('a login limit is reached through both instances together', async () => {
    const tries = { email: 'nobody@example.lg.jp', password: 'wrong password 123' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(i % 2, 'POST', '/api/v1/session', undefined, tries)).status);
    // five wrong passwords, alternating instances, then the limit on whichever instance is asked
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('62 invitation mails are each sent exactly once, though one instance is killed halfway with mails in flight', async () => {
    const token = (await call(1, 'POST', '/api/v1/session', undefined, ADMIN)).json.token as string;
    const cities = (await call(0, 'GET', '/api/v1/cities', token)).json as Array<{ code: string; name: string; prefecture: string; population: number }>;
    expect(cities).toHaveLength(62);
    const put = await call(1, 'PUT', '/api/v1/cities', token, cities.map((c) => ({ code: c.code, name: c.name, prefecture: c.prefecture, population: c.population, email: `joho-${c.code}@example.lg.jp` })));
    expect(put.status).toBe(200);
    const [survey] = (await call(0, 'GET', '/api/v1/surveys', token)).json as Array<{ id: number }>;
    expect((await call(1, 'POST', `/api/v1/surveys/${survey.id}/participants`, token, { cityCodes: cities.map((c) => c.code) })).status).toBe(200);
    expect((await call(0, 'PATCH', `/api/v1/surveys/${survey.id}`, token, { status: 'open' })).status).toBe(200);

    const started = Date.now();
    const issued = await call(0, 'POST', `/api/v1/surveys/${survey.id}/invitations`, token, { send: true });
    expect(issued.status).toBe(201);
    expect(issued.json).toHaveLength(62);
    // the request returned at once: the mails are queued, not sent inside it
    expect(issued.json.every((i: { mail: { status: string } }) => i.mail.status === 'queued')).toBe(true);

    // halfway, hold every new message unanswered, so both instances wait on the SMTP server; then kill one
    await waitFor(() => accepted.length >= 30, 60_000, 'the first 30 mails');
    holding = true;
    await waitFor(() => held.length >= 2, 10_000, 'both instances sending');
    instances[0].child.kill('SIGKILL');
    await once(instances[0].child, 'exit');
    // the SMTP server sees the dead instance's connection close before anything is answered
    await waitFor(() => held.some((h) => h.session.closed), 10_000, 'the killed instance\'s SMTP connection to close');
    holding = false;
    for (const h of held.splice(0)) h.accept();

    // the survivor takes over the dead instance's claimed mail once its lease runs out, and sends the rest
    await waitFor(() => new Set(accepted).size >= 62, 90_000, `all 62 mails (have ${new Set(accepted).size})`);
    await new Promise((r) => setTimeout(r, 2000)); // nothing more arrives
    const perRecipient = new Map<string, number>();
    for (const to of accepted) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    // the killed instance was waiting on one mail: it was never delivered by it, and was sent by the survivor
    expect(dropped).toBe(1);
    expect(perRecipient.size).toBe(62);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    expect(Date.now() - started).toBeLessThan(120_000);

    const statuses = (await call(1, 'GET', `/api/v1/surveys/${survey.id}/responses`, token)).status;
    expect(statuses).toBe(200);
  }, 180_000);

  it('a measure renamed or a draft saved through one instance is on the form the other serves from its caches at once', async () => {
    // instance 0 was killed above: a new one takes its place
    const a = instances.push(await start()) - 1;
    const b = 1;
    const token = (await call(a, 'POST', '/api/v1/session', undefined, ADMIN)).json.token as string;
    const created = await call(a, 'POST', '/api/v1/surveys', token, { title: '名称変更の確認', hostCityCode: '282049', deadline: '2030-03-31' });
    expect(created.status).toBe(201);
    const surveyId = created.json.id as number;
    const measure = (await call(a, 'GET', `/api/v1/surveys/${surveyId}`, token)).json.measures[0] as { code: string; label: string };
    const cities = (await call(a, 'GET', '/api/v1/cities', token)).json as Array<{ code: string }>;
    const cityCode = cities.find((c) => c.code !== '282049')!.code;
    expect((await call(a, 'POST', `/api/v1/surveys/${surveyId}/participants`, token, { cityCodes: [cityCode] })).status).toBe(200);
    expect((await call(a, 'PATCH', `/api/v1/surveys/${surveyId}`, token, { status: 'open' })).status).toBe(200);
    const [invitation] = (await call(a, 'POST', `/api/v1/surveys/${surveyId}/invitations`, token, { cityCodes: [cityCode] })).json as Array<{ token: string }>;

    // the respondent opens the form on instance B, twice, so that B holds the survey's measures in its cache
    const opened = await fetch(`${instances[b].base}/r/${invitation.token}`, { method: 'POST', redirect: 'manual' });
    const cookie = opened.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const form = async () => {
      const res = await fetch(`${instances[b].base}/respond`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const unescape = (t: string) => t.replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#x3D': '=', '#x60': '`' })[e]!);
    const legend = (html: string) => unescape(new RegExp(`<legend id="m-${measure.code}-legend">([^<]*)</legend>`).exec(html)?.[1] ?? '');
    expect(legend(await form())).toBe(measure.label);
    expect(legend(await form())).toBe(measure.label);

    // the organiser corrects the label through instance A (allowed while open); B's very next page shows it
    const renamed = '行政手続のオンライン化（名称を修正）';
    expect((await call(a, 'PATCH', `/api/v1/surveys/${surveyId}/measures/${measure.code}`, token, { label: renamed })).status).toBe(200);
    const html = await form();
    expect(legend(html)).toBe(renamed);
    expect(html.match(/<legend id="m-[^"]+-legend">/g)).toHaveLength(46);

    // B keeps the page it drew (views/page-cache.ts); a draft saved through A is on B's very next page
    expect(legend(await form())).toBe(renamed);
    const saved = await call(a, 'PUT', '/api/v1/response', invitation.token, { contact: { department: '企画部 二台目で保存' }, measures: { [measure.code]: 'studying' }, version: 0 });
    expect(saved.status).toBe(200);
    const after = await form();
    expect(after).toContain('value="企画部 二台目で保存"');
    expect(after).toMatch(new RegExp(`id="m-${measure.code}-studying" name="[^"]+" value="studying" checked`));
  }, 120_000);
});
