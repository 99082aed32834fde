// The extraction worker under `npm start` (node --import tsx): the real server reads an attached PDF in its
// worker, as it does under vitest (the worker's .mjs entry registers tsx itself).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

it('npm start reads an attached PDF in its worker', async () => {
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'survey-plan-start-')),
    ADMIN_EMAIL: 'joho@city.example.lg.jp',
    ADMIN_PASSWORD: 'a long enough password',
  };
  delete env.DATABASE_URL;
  delete env.JWT_SECRET;
  // The command line of `npm start` (package.json), without npm in between so SIGTERM reaches the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  try {
    let health = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && health !== 200; ) {
      await new Promise((r) => setTimeout(r, 250));
      health = await fetch(`${base}/health`).then((r) => r.status, () => 0);
    }
    expect(health, output).toBe(200);
    const json = { 'content-type': 'application/json' };
    const { token } = await (await fetch(`${base}/api/v1/session`, { method: 'POST', headers: json, body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }) })).json();
    const auth = { authorization: `Bearer ${token}` };
    const [survey] = await (await fetch(`${base}/api/v1/surveys`, { headers: auth })).json();
    expect((await fetch(`${base}/api/v1/surveys/${survey.id}`, { method: 'PATCH', headers: { ...auth, ...json }, body: JSON.stringify({ status: 'open' }) })).status).toBe(200);
    const [invitation] = await (await fetch(`${base}/api/v1/surveys/${survey.id}/invitations`, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ cityCodes: ['012025'] }) })).json();
    const res = await fetch(`${base}/api/v1/response/plan-documents?fileName=plan.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${invitation.token}`, 'content-type': 'application/pdf' },
      body: readFileSync(path.join(ROOT, 'test/fixtures/plans/musashimurayama-excerpt.pdf')),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.reading.plan.name.value).toBe('武蔵村山市第四次情報化基本計画');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}, 120_000);
