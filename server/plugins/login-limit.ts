// Login attempts limited per account and client address together (5 a minute) and per client address
// (20 a minute: a whole office may share one proxy address). Keyed on account + address, so wrong passwords
// sent from elsewhere cannot lock a real user out. Counted in PostgreSQL (repositories/attempt-counters.ts):
// every instance sees the same counts. The next attempt gets 429 with Retry-After.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors.js';
import { hitCounter, pruneCounters } from '../repositories/attempt-counters.js';

export const LOGIN_LIMIT_PER_ACCOUNT = 5;
export const LOGIN_LIMIT_PER_ADDRESS = 20;
export const LOGIN_LIMIT_WINDOW_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for login routes (the body, with `email`, is parsed by then). */
    loginRateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Counts one use of `key` (shared by every instance); false once `max` uses in `windowMs` have been made. */
    hitLimit: (key: string, max: number, windowMs: number) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  }
}

export function loginLimitMessage(seconds: number): string {
  return `ログインの試行回数が上限に達しました。${seconds} 秒ほど待ってから、もう一度お試しください`;
}

async function loginLimitPlugin(app: FastifyInstance) {
  let hits = 0;
  app.decorate('hitLimit', async (key: string, max: number, windowMs: number) => {
    const now = app.clock();
    if (++hits % 500 === 0) await pruneCounters(app.db, new Date(now.getTime() - 24 * 3600_000));
    const hit = await hitCounter(app.db, key, windowMs, now);
    return { allowed: hit.count <= max, retryAfterSeconds: hit.resetInSeconds };
  });

  app.decorate('loginRateLimit', async (request: FastifyRequest, reply: FastifyReply) => {
    const email = (request.body as { email?: unknown } | undefined)?.email;
    const account = typeof email === 'string' ? email.trim().toLowerCase() : '';
    // an attempt the address limit refused does not count against the account as well
    let result = await app.hitLimit(`login-ip:${request.ip}`, LOGIN_LIMIT_PER_ADDRESS, LOGIN_LIMIT_WINDOW_MS);
    // the account by its digest: a fixed-length key however long the typed address (a counter's key is indexed, and
    // PostgreSQL refuses an index entry over about 2.7 KB), and no typed address kept in the counters
    const accountKey = createHash('sha256').update(account).digest('base64url');
    if (result.allowed) result = await app.hitLimit(`login-account:${request.ip}:${accountKey}`, LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_WINDOW_MS);
    if (result.allowed) return;
    const seconds = Math.min(60, Math.max(1, result.retryAfterSeconds));
    reply.header('Retry-After', String(seconds));
    throw new DomainError(429, 'TOO_MANY_REQUESTS', loginLimitMessage(seconds));
  });
}

export default fp(loginLimitPlugin, { name: 'login-limit', dependencies: ['db'] });
