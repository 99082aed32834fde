// The platform's configuration: read from the environment once, at boot, and validated.
// Nothing else in the code reads process.env.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isAccountEmail } from './domain/normalise.js';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  adminEmail?: string;
  adminPassword?: string;
  /** e.g. smtp://127.0.0.1:2525; undefined means mail goes to the outbox. */
  smtpUrl?: string;
  mailFrom: string;
  jwtSecret: string;
  logLevel: string;
  /** pretty: readable lines, and requests not logged at info (a terminal, so the start-up banner stays visible); json: one JSON object per line */
  logFormat: 'pretty' | 'json';
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (login limits per address use it). */
  trustProxy: boolean;
  /**
   * The longest a request may take to arrive, headers and body (REQUEST_TIMEOUT_MS, default 60 s); also the
   * idle limit of a connection. Slow clients holding connections open (slowloris) are cut off at this point.
   */
  requestTimeoutMs: number;
  /** true in production-like runs: templates are cached, logs are JSON. */
  production: boolean;
  /** the mail queue: how long a claimed message is held before another instance may take it over, and the idle poll */
  mailLeaseMs: number;
  mailPollMs: number;
  /** PostgreSQL connections per instance (DATABASE_POOL_SIZE); each instance counts against the server's max_connections */
  databasePoolSize: number;
  /** the respondent form pages kept per instance (PAGE_CACHE_MB, views/page-cache.ts), in bytes; 0 keeps none */
  pageCacheBytes: number;
}

/** A configuration error names the variable; server.ts prints it as one line and exits. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`設定エラー: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_PAGE_CACHE_MB = 32;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parseMs(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(name, `は ${min}〜${max} のミリ秒で指定してください（指定値: "${raw}"）`);
  return Number(raw);
}

function parsePort(env: Env): number {
  const raw = nonEmpty(env, 'PORT');
  if (raw === undefined) return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigError('PORT', `は 1〜65535 の整数で指定してください（指定値: "${raw}"）`);
  }
  return Number(raw);
}

function parseUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `は URL として解釈できません（指定値: "${raw}"）`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `は ${protocols.join(' / ')} で始まる URL で指定してください（指定値: "${raw}"）`);
  }
  return raw;
}


function parseEmail(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw !== undefined && !isAccountEmail(raw.replace(/^.*<(.+)>$/, '$1'))) {
    throw new ConfigError(name, `はメールアドレスの形式で指定してください（指定値: "${raw}"）`);
  }
  return raw;
}

/** JWT_SECRET: required with DATABASE_URL; on the embedded default, generated once and kept in DATA_DIR. */
function resolveJwtSecret(env: Env, databaseUrl: string | undefined, dataDir: string): string {
  const given = nonEmpty(env, 'JWT_SECRET');
  if (given !== undefined) {
    if (given.length < 32) throw new ConfigError('JWT_SECRET', 'は 32 文字以上で指定してください');
    return given;
  }
  if (databaseUrl !== undefined) {
    throw new ConfigError('JWT_SECRET', 'は DATABASE_URL を指定する場合に必須です（32 文字以上のランダムな文字列）');
  }
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function parseCount(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(name, `は ${min}〜${max} の整数で指定してください（指定値: "${raw}"）`);
  return Number(raw);
}

export function loadConfig(env: Env = process.env, terminal: { tty: boolean } = { tty: Boolean(process.stdout.isTTY) }): Config {
  const port = parsePort(env);
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const publicUrl = (parseUrl(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(nonEmpty(env, 'DATA_DIR') ?? './data');
  const adminEmail = parseEmail(env, 'ADMIN_EMAIL');
  const adminPassword = nonEmpty(env, 'ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD', 'は 10 文字以上で指定してください');
  }
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminEmail === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD', 'は ADMIN_EMAIL と ADMIN_PASSWORD の両方を指定してください');
  }
  const smtpUrl = parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const mailFrom = parseEmail(env, 'MAIL_FROM') ?? `no-reply@${new URL(publicUrl).hostname}`;
  const logLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `は fatal / error / warn / info / debug / trace / silent のいずれかです（指定値: "${logLevel}"）`);
  }
  const logFormat = nonEmpty(env, 'LOG_FORMAT') ?? (terminal.tty && env.NODE_ENV !== 'production' ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json') throw new ConfigError('LOG_FORMAT', `は pretty または json です（指定値: "${logFormat}"）`);
  const trustProxyRaw = nonEmpty(env, 'TRUST_PROXY') ?? 'false';
  if (!['true', 'false', '1', '0'].includes(trustProxyRaw)) {
    throw new ConfigError('TRUST_PROXY', `は true または false で指定してください（指定値: "${trustProxyRaw}"）`);
  }
  const timeoutRaw = nonEmpty(env, 'REQUEST_TIMEOUT_MS') ?? '60000';
  if (!/^\d+$/.test(timeoutRaw) || Number(timeoutRaw) < 100 || Number(timeoutRaw) > 600000) {
    throw new ConfigError('REQUEST_TIMEOUT_MS', `は 100〜600000 のミリ秒で指定してください（指定値: "${timeoutRaw}"）`);
  }
  const jwtSecret = resolveJwtSecret(env, databaseUrl, dataDir);
  return {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    adminEmail,
    adminPassword,
    smtpUrl,
    mailFrom,
    jwtSecret,
    logLevel,
    logFormat,
    trustProxy: trustProxyRaw === 'true' || trustProxyRaw === '1',
    requestTimeoutMs: Number(timeoutRaw),
    production: env.NODE_ENV === 'production',
    mailLeaseMs: parseMs(env, 'MAIL_LEASE_MS', 60_000, 500, 3_600_000),
    mailPollMs: parseMs(env, 'MAIL_POLL_MS', 1_000, 20, 600_000),
    databasePoolSize: parseCount(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 100),
    pageCacheBytes: parseCount(env, 'PAGE_CACHE_MB', DEFAULT_PAGE_CACHE_MB, 0, 4096) * 1024 * 1024,
  };
}
