// Work a request starts and does not wait for (a receipt mail, say): run after the reply, logged when it fails, and
// awaited when the app closes so nothing is cut off half-way. Generic: the route passes the job; no use case lives here.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs `job` in the background; `what` names it in the log when it fails. */
    runInBackground: (what: string, job: () => Promise<unknown>) => void;
  }
}

async function backgroundPlugin(app: FastifyInstance) {
  const pending = new Set<Promise<unknown>>();
  app.decorate('runInBackground', (what: string, job: () => Promise<unknown>) => {
    const running: Promise<unknown> = Promise.resolve()
      .then(job)
      .catch((err) => app.log.warn({ err, job: what }, `background job failed: ${what}`))
      .finally(() => pending.delete(running));
    pending.add(running);
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
}

export default fp(backgroundPlugin, { name: 'background' });
