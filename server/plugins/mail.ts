// Mail: every message is recorded in mail_messages, then sent through SMTP (SMTP_URL, nodemailer) with a
// few retries and back-off, or kept in the outbox for staff to send from their own client when no SMTP is set.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailKind, MailMessage } from '../db/schema.js';
import { findMail, insertMail, markMail } from '../repositories/mail.js';

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
  status: 'sent' | 'failed' | 'outbox';
  error?: string;
}

export interface Mailer {
  /** true when SMTP_URL is set; false means messages go to the outbox. */
  readonly smtp: boolean;
  send(mail: OutgoingMail): Promise<MailResult>;
  /** Sends a recorded message again (a failed one, or one from the outbox once SMTP is configured). */
  resend(id: number): Promise<MailResult>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export interface MailOptions {
  smtpUrl?: string;
  from: string;
  /** delays between attempts in ms (default 3 attempts: now, +200 ms, +1 s) */
  retryDelaysMs?: number[];
  /** puts the personal link back into a stored body; undefined when that link is no longer valid */
  renderBody: (message: MailMessage) => Promise<string | undefined>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mailPlugin(app: FastifyInstance, opts: MailOptions) {
  const transport: Transporter | undefined = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl, { connectionTimeout: 10000, greetingTimeout: 10000, socketTimeout: 20000 })
    : undefined;
  const delays = opts.retryDelaysMs ?? [200, 1000];

  async function deliver(message: MailMessage): Promise<MailResult> {
    if (!transport) return { id: message.id, status: 'outbox' };
    const text = await opts.renderBody(message);
    if (text === undefined) {
      const error = 'このメールの個人用リンクは再発行により無効になったため、送信しませんでした';
      await markMail(app.db, message.id, { status: 'failed', error });
      return { id: message.id, status: 'failed', error };
    }
    let lastError = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      try {
        const info = await transport.sendMail({ from: opts.from, to: message.to_address, subject: message.subject, text });
        await markMail(app.db, message.id, { status: 'sent', messageId: info.messageId });
        return { id: message.id, status: 'sent' };
      } catch (err) {
        lastError = (err as Error).message;
        await markMail(app.db, message.id, { status: 'failed', error: lastError });
        if (attempt < delays.length) await sleep(delays[attempt]);
      }
    }
    app.log.warn({ mailId: message.id, error: lastError }, 'mail delivery failed');
    return { id: message.id, status: 'failed', error: lastError };
  }

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
      return deliver(message);
    },
    async resend(id) {
      const message = await findMail(app.db, id);
      if (!message) throw new Error(`mail ${id} not found`);
      return deliver(message);
    },
  };
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => transport?.close());
}

export default fp(mailPlugin, { name: 'mail', dependencies: ['db'] });
