// Login attempts limited per account (5 a minute) and per client address (20 a minute: a whole office may
// share one proxy address) with @fastify/rate-limit; the next attempt gets 429 with Retry-After.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors.js';

export const LOGIN_LIMIT_PER_ACCOUNT = 5;
export const LOGIN_LIMIT_PER_ADDRESS = 20;
export const LOGIN_LIMIT_WINDOW_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for login routes (the body, with `email`, is parsed by then). */
    loginRateLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export function loginLimitMessage(seconds: number): string {
  return `ログインの試行回数が上限に達しました。${seconds} 秒ほど待ってから、もう一度お試しください`;
}

async function loginLimitPlugin(app: FastifyInstance) {
  await app.register(rateLimit, { global: false });
  const perAccount = app.createRateLimit({
    max: LOGIN_LIMIT_PER_ACCOUNT,
    timeWindow: LOGIN_LIMIT_WINDOW_MS,
    keyGenerator: (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `login-account:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
  });
  const perAddress = app.createRateLimit({ max: LOGIN_LIMIT_PER_ADDRESS, timeWindow: LOGIN_LIMIT_WINDOW_MS, keyGenerator: (request: FastifyRequest) => `login-ip:${request.ip}` });

  app.decorate('loginRateLimit', async (request: FastifyRequest, reply: FastifyReply) => {
    const results = [await perAddress(request), await perAccount(request)];
    const exceeded = results.flatMap((r) => (!r.isAllowed && r.isExceeded ? [r] : []));
    if (exceeded.length === 0) return;
    const seconds = Math.max(1, ...exceeded.map((r) => r.ttlInSeconds));
    reply.header('Retry-After', String(seconds));
    throw new DomainError(429, 'TOO_MANY_REQUESTS', loginLimitMessage(seconds));
  });
}

export default fp(loginLimitPlugin, { name: 'login-limit' });
