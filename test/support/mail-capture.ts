// The one in-process SMTP server of the tests: keeps every message (and can refuse chosen recipients, as a
// real server answers 550), and a small decoder for what nodemailer sends (one text/plain part,
// quoted-printable or base64, RFC 2047 encoded headers) so tests read mail, and .eml files, as a user would.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** the SMTP envelope's recipients (empty for a parsed .eml file) */
  rcptTo: string[];
  raw: string;
  headers: Array<[string, string]>;
  /** the Subject header as sent (still RFC 2047 encoded) */
  rawSubject: string;
  subject: string;
  /** the To header */
  to: string;
  text: string;
}

/** Decodes RFC 2047 encoded words; adjacent words are joined before UTF-8 decoding, as a mail client does. */
function decodeWords(value: string): string {
  return value.replace(/=\?UTF-8\?[BQ]\?[^?]*\?=(?:\s+=\?UTF-8\?[BQ]\?[^?]*\?=)*/gi, (run) => {
    const bytes = [...run.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi)].map(([, enc, data]) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export function parseMail(raw: string, rcptTo: string[] = []): CapturedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = head.split('\r\n').map((line): [string, string] => {
    const i = line.indexOf(':');
    return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
  });
  const header = (name: string) => headers.find(([k]) => k === name)?.[1] ?? '';
  const body = raw.slice(split + 4).replace(/\r\n\.\r\n$/, '');
  const encoding = header('content-transfer-encoding').toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
  return { rcptTo, raw, headers, rawSubject: header('subject'), subject: decodeWords(header('subject')), to: decodeWords(header('to')), text: text.replace(/\r\n/g, '\n') };
}

export interface MailCapture {
  url: string;
  mails: CapturedMail[];
  /** recipients the server refuses (550 Mailbox unavailable) while they are in the set */
  refused: Set<string>;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startMailCapture(): Promise<MailCapture> {
  const mails: CapturedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refused,
    async waitFor(n: number, timeoutMs = 10_000) {
      for (let i = 0; i < timeoutMs / 50 && mails.length < n; i++) await new Promise((r) => setTimeout(r, 50));
      if (mails.length < n) throw new Error(`expected ${n} mails, got ${mails.length}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
