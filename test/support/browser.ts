// The one small browser of the page tests: keeps the cookies the app sets (and drops the ones it clears),
// reads the CSRF token from a page's form, and posts url-encoded or multipart forms as a browser without
// JavaScript would. Organiser, respondent and Excel page tests all use it.
import type { LightMyRequestResponse } from 'fastify';
import type { TestContext } from '../helper.js';

export interface UploadFile {
  field: string;
  filename: string;
  data: Buffer;
  contentType?: string;
}

/** The form's CSRF token, or null when the page has no form with one (e.g. a read-only page). */
export function findCsrfToken(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

/** The form's CSRF token; throws when the page has none. */
export function csrfTokenOf(html: string): string {
  const token = findCsrfToken(html);
  if (token === null) throw new Error('no CSRF token on the page');
  return token;
}

export class Browser {
  cookies = new Map<string, string>();
  constructor(readonly ctx: Pick<TestContext, 'app'>) {}

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

  /** Posts a form; the CSRF token is taken from `from` (a page URL) unless given in the fields. */
  /** Opens a personal link as a person does: the link's page, then its 「回答画面を開く」 button (a POST). */
  async openLink(url: string) {
    await this.get(url);
    return this.remember(await this.ctx.app.inject({ method: 'POST', url, headers: { cookie: this.cookieHeader, accept: 'text/html' } }));
  }

  async post(url: string, fields: Record<string, string | string[]>, from?: string) {
    const withToken = '_csrf' in fields ? fields : { _csrf: csrfTokenOf((await this.get(from ?? url)).body), ...fields };
    return this.postForm(url, withToken);
  }

  /** Posts exactly these fields url-encoded (no token added: for tests of what a forged or stale form gets). */
  async postForm(url: string, fields: Record<string, string | string[]>) {
    const params = new URLSearchParams();
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

  /** Posts a multipart form with one file, as a browser's file upload; the CSRF token comes from the page `from`. */
  async upload(url: string, from: string, file: UploadFile, fields: Record<string, string> = {}) {
    const token = csrfTokenOf((await this.get(from)).body);
    return this.postMultipart(url, { _csrf: token, ...fields }, file);
  }

  /** Posts exactly these fields (and the file, if any) as multipart/form-data. */
  async postMultipart(url: string, fields: Record<string, string>, file?: UploadFile) {
    const boundary = '----test-browser-boundary';
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    if (file) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`));
      parts.push(file.data, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
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
