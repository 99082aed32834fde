// Start-up as a user runs it: `npm start`'s entry on an empty data directory, then again on the same one;
// configuration errors stop start-up with one line naming the variable.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs server.ts (on the embedded database: DATABASE_URL removed) until /health answers, then stops it with SIGTERM. */
async function startAndStop(env: Record<string, string>): Promise<{ output: string; health: number; exitCode: number | null }> {
  const port = await freePort();
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), LOG_LEVEL: 'warn', ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.JWT_SECRET;
  const child = spawn(TSX, ['server/server.ts'], { cwd: ROOT, env: childEnv });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let health = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && health !== 200) {
    await new Promise((r) => setTimeout(r, 250));
    health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
  }
  child.kill('SIGTERM');
  return { output, health, exitCode: await exited };
}

describe('start-up (embedded database)', () => {
  it('starts on an empty data directory within 30 s, prints the URL and a one-time admin password, and keeps data across a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'survey-start-'));
    const first = await startAndStop({ DATA_DIR: dataDir });
    expect(first.health).toBe(200);
    expect(first.output).toMatch(/URL: +http:\/\/localhost:\d+\//);
    const password = /パスワード: +(\S+)/.exec(first.output)?.[1];
    expect(password).toBeTruthy();
    expect(first.exitCode).toBe(0);
    // The JWT secret was generated once and kept in the data directory.
    expect(readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);

    const second = await startAndStop({ DATA_DIR: dataDir });
    expect(second.health).toBe(200);
    expect(second.output).not.toMatch(/パスワード: +\S+/); // the admin exists already: no new password
    expect(second.exitCode).toBe(0);
  }, 90_000);

  it('PORT=abc stops start-up with one line naming PORT', async () => {
    const port = await freePort();
    const child = spawn(TSX, ['server/server.ts'], { cwd: ROOT, env: { ...(process.env as Record<string, string>), PORT: 'abc', DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'survey-bad-')) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/PORT/);
    expect(port).toBeGreaterThan(0);
  }, 30_000);
});

describe('configuration', () => {
  const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'survey-cfg-'));
  const error = (env: Record<string, string>) => {
    try {
      loadConfig({ DATA_DIR: dataDir(), ...env });
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('has the defaults of API.md', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://localhost:3000', databaseUrl: undefined, smtpUrl: undefined });
    expect(loadConfig({ DATA_DIR: dataDir(), PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('names the variable in each error', () => {
    expect(error({ PORT: '70000' }).variable).toBe('PORT');
    expect(error({ PUBLIC_URL: 'not a url' }).variable).toBe('PUBLIC_URL');
    expect(error({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(error({ SMTP_URL: 'http://mail' }).variable).toBe('SMTP_URL');
    expect(error({ MAIL_FROM: 'nobody' }).variable).toBe('MAIL_FROM');
    expect(error({ ADMIN_EMAIL: 'a@b.jp' }).variable).toBe('ADMIN_PASSWORD');
    expect(error({ TRUST_PROXY: 'yes' }).variable).toBe('TRUST_PROXY');
    expect(error({ LOG_FORMAT: 'xml' }).variable).toBe('LOG_FORMAT');
    expect(error({ MAIL_LEASE_MS: '10' }).variable).toBe('MAIL_LEASE_MS');
  });

  it('logs readable lines in a terminal (so the start-up banner stays in view) and JSON otherwise or when asked', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }, { tty: true }).logFormat).toBe('pretty');
    expect(loadConfig({ DATA_DIR: dataDir() }, { tty: false }).logFormat).toBe('json');
    expect(loadConfig({ DATA_DIR: dataDir(), LOG_FORMAT: 'json' }, { tty: true }).logFormat).toBe('json');
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production' }, { tty: true }).logFormat).toBe('json');
  });

  it('accepts the generated admin@localhost on the next start', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAIL: 'admin@localhost', ADMIN_PASSWORD: 'long enough password' }).adminEmail).toBe('admin@localhost');
  });

  it('requires JWT_SECRET with DATABASE_URL, and generates and keeps one on the embedded default', () => {
    expect(error({ DATABASE_URL: 'postgres://localhost/x' }).variable).toBe('JWT_SECRET');
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir }).jwtSecret;
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(a);
  });
});
