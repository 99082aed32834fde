// Receipt mail after a submission, sent in the background so a slow SMTP server never delays the answer;
// only when SMTP is configured (a receipt in the organiser's outbox would help nobody). Close waits for them.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ResponseAnswers } from '../domain/response.js';
import { sendReceipt } from '../services/response-summary.js';

declare module 'fastify' {
  interface FastifyInstance {
    queueReceipt: (r: { surveyId: number; cityCode: string; model: ResponseAnswers; submittedAt: string | null }) => void;
    /** whether a receipt is mailed at all (SMTP configured): the form promises one only then */
    receiptsEnabled: boolean;
  }
}

async function receiptsPlugin(app: FastifyInstance) {
  const pending = new Set<Promise<unknown>>();
  app.decorate('queueReceipt', (r: { surveyId: number; cityCode: string; model: ResponseAnswers; submittedAt: string | null }) => {
    if (!app.mailer.smtp) return;
    const job = sendReceipt(app.db, app.mailer, { ...r, now: app.clock() })
      .catch((err) => app.log.warn({ err, surveyId: r.surveyId, cityCode: r.cityCode }, 'receipt mail failed'))
      .finally(() => pending.delete(job));
    pending.add(job);
  });
  app.decorate('receiptsEnabled', app.mailer.smtp);
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
}

export default fp(receiptsPlugin, { name: 'receipts', dependencies: ['db', 'mail'] });
