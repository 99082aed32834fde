// A tiny browser for the organiser console tests: keeps cookies, reads the CSRF token from a page's form
// and posts url-encoded forms as a browser without JavaScript would.
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../server/domain/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import type { TestContext } from './helper.js';

export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly ctx: TestContext) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string) {
    return this.remember(await this.ctx.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, accept: 'text/html' } }));
  }

  /** Opens a personal link as a person does: the link's page, then its 「回答画面を開く」 button (a POST). */
  async openLink(url: string) {
    await this.get(url);
    return this.remember(await this.ctx.app.inject({ method: 'POST', url, headers: { cookie: this.cookieHeader, accept: 'text/html' } }));
  }

  /** Posts a form; the CSRF token is taken from `from` (a page URL) unless given in the fields. */
  async post(url: string, fields: Record<string, string | string[]>, from?: string) {
    const params = new URLSearchParams();
    if (!('_csrf' in fields)) params.append('_csrf', csrfTokenOf((await this.get(from ?? url)).body));
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    return this.remember(
      await this.ctx.app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      }),
    );
  }

  /** Posts a multipart form with one file, as a browser's file upload. */
  async upload(url: string, from: string, file: { field: string; filename: string; data: Buffer }, fields: Record<string, string> = {}) {
    const boundary = '----organiser-test-boundary';
    const token = csrfTokenOf((await this.get(from)).body);
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries({ _csrf: token, ...fields })) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
    return this.remember(
      await this.ctx.app.inject({
        method: 'POST',
        url,
        payload: Buffer.concat(parts),
        headers: { cookie: this.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
      }),
    );
  }

  async login(email: string, password: string) {
    return this.post('/login', { email, password });
  }
}

export function csrfTokenOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

export async function createAccount(ctx: TestContext, email: string, password: string, role: 'admin' | 'staff' = 'admin') {
  return createOrganiser(ctx.database.db, { email, passwordHash: await hashPassword(password), role });
}

/** The page's visible text without tags (for assertions on what a user reads). */
export function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}
