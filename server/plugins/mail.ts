// Mail: every message is recorded in mail_messages and nothing is sent inside the request. With SMTP (SMTP_URL,
// nodemailer) a message is queued and a worker in every app instance claims due messages one at a time
// (repositories/mail.ts claimNextMail: FOR UPDATE SKIP LOCKED with a lease), sends it and retries with back-off;
// so each message goes out once whichever instance is free, and a restart loses none. Without SMTP messages wait in
// the 送信トレイ for staff to send from their own client. PGlite (one process) runs the same worker in-process.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailKind, MailMessage } from '../db/schema.js';
import { markSent } from '../repositories/invitations.js';
import { claimNextMail, findMail, insertMail, markMail, recordFailedAttempt, requeueMail } from '../repositories/mail.js';

export interface OutgoingMail {
  kind: MailKind;
  to: string;
  subject: string;
  /** plain text (ISO-2022-JP is not needed: UTF-8 with encoded headers is read by every current client) */
  text: string;
  surveyId?: number;
  cityCode?: string;
  /** the invitation whose link `text` refers to with LINK_PLACEHOLDER (domain/invitation-tokens.ts): stored without the token */
  invitationId?: number;
}

export interface MailResult {
  id: number;
  /** queued: the worker sends it shortly; outbox: waits in the 送信トレイ (no SMTP) */
  status: 'queued' | 'sent' | 'failed' | 'outbox';
  error?: string;
}

export interface Mailer {
  /** true when SMTP_URL is set; false means messages go to the 送信トレイ. */
  readonly smtp: boolean;
  /** Records the message and queues it (or puts it in the 送信トレイ); returns at once. */
  send(mail: OutgoingMail): Promise<MailResult>;
  /** Queues a recorded message again (a failed one, or one from the 送信トレイ once SMTP is configured). */
  resend(id: number): Promise<MailResult>;
  /** Resolves once no message is due (tests, and shutdown). */
  drain(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export interface MailOptions {
  smtpUrl?: string;
  from: string;
  /** waits before each retry in ms (default: 3 attempts, +200 ms, +1 s … production sets minutes) */
  retryDelaysMs?: number[];
  /** puts the personal link back into a stored body; undefined when that link is no longer valid */
  renderBody: (message: MailMessage) => Promise<string | undefined>;
  /** how long a claim holds before another instance may take the message over */
  leaseMs?: number;
  /** how often an idle worker looks for due messages (retries, other instances' messages) */
  pollMs?: number;
  clock?: () => Date;
}

async function mailPlugin(app: FastifyInstance, opts: MailOptions) {
  const transport: Transporter | undefined = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl, { connectionTimeout: 10000, greetingTimeout: 10000, socketTimeout: 20000 })
    : undefined;
  const delays = opts.retryDelaysMs ?? [200, 1000];
  const leaseMs = opts.leaseMs ?? 60_000;
  // queue mechanics (leases, retries) run on real time; the times the app reports (sent at) on the app's clock
  const now = () => new Date();
  const reported = () => (opts.clock ?? app.clock)();
  let running: Promise<void> | undefined;
  let again = false;
  let closing = false;

  async function deliver(message: MailMessage): Promise<void> {
    const text = await opts.renderBody(message);
    if (text === undefined) {
      await markMail(app.db, message.id, { status: 'failed', error: 'このメールの個人用リンクは再発行により無効になったため、送信しませんでした' });
      return;
    }
    try {
      const info = await transport!.sendMail({ from: opts.from, to: message.to_address, subject: message.subject, text, messageId: `<mail-${message.id}-${message.created_at.getTime()}@${opts.from.split('@')[1] ?? 'localhost'}>` });
      const sentAt = reported();
      await markMail(app.db, message.id, { status: 'sent', messageId: info.messageId, sentAt });
      if (message.invitation_id !== null && (message.kind === 'invitation' || message.kind === 'reminder')) await markSent(app.db, message.invitation_id, sentAt);
    } catch (err) {
      const error = (err as Error).message;
      const attempt = message.attempts; // attempts made before this one
      const nextAt = attempt < delays.length ? new Date(now().getTime() + delays[attempt]) : null;
      await recordFailedAttempt(app.db, message.id, error, nextAt);
      if (!nextAt) app.log.warn({ mailId: message.id, error }, 'mail delivery failed');
    }
  }

  /** Claims and sends due messages until none is left; one loop per instance at a time. */
  function work(): Promise<void> {
    if (!transport || closing) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        for (let m = await claimNextMail(app.db, now(), leaseMs); m && !closing; m = await claimNextMail(app.db, now(), leaseMs)) await deliver(m);
      } while (again && !closing);
    })()
      .catch((err) => app.log.warn({ err }, 'mail worker stopped; it resumes at the next poll'))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const poll = transport ? setInterval(() => void work(), opts.pollMs ?? 1000) : undefined;
  poll?.unref();

  const mailer: Mailer = {
    smtp: transport !== undefined,
    async send(mail) {
      const message = await insertMail(app.db, {
        kind: mail.kind,
        surveyId: mail.surveyId,
        cityCode: mail.cityCode,
        invitationId: mail.invitationId,
        to: mail.to,
        subject: mail.subject,
        body: mail.text,
        status: transport ? 'queued' : 'outbox',
      });
      void work();
      return { id: message.id, status: transport ? 'queued' : 'outbox' };
    },
    async resend(id) {
      const message = await findMail(app.db, id);
      if (!message) throw new Error(`mail ${id} not found`);
      if (!transport) return { id, status: 'outbox' };
      await requeueMail(app.db, id, now());
      void work();
      return { id, status: 'queued' };
    },
    async drain() {
      // a retry may be due later: keep working until nothing is queued (bounded by the retry delays)
      for (let i = 0; i < 200; i++) {
        await work();
        const waiting = await app.db.selectFrom('mail_messages').select('id').where('status', '=', 'queued').limit(1).executeTakeFirst();
        if (!waiting || !transport) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => {
    if (poll) clearInterval(poll);
    closing = true;
    await running;
    transport?.close();
  });
}

export default fp(mailPlugin, { name: 'mail', dependencies: ['db'] });
