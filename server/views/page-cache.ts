// Rendered pages kept with the fingerprint of the data they were drawn from (issue #15): a page asked for again
// while its data is unchanged is sent as it was drawn, without its query's JSON, the view model or Handlebars.
// The fingerprint is read from the database on every request (repositories/respondent-page.ts: the row versions of
// everything the page shows), so a change made through any instance is seen at once; the cache is only ever
// trusted for what it was checked against. On PGlite, which has no other writer, a page is also current while no
// statement that may write has run since it was checked (DatabaseHandle.writes): then not even that query is needed. A page's CSRF token is never kept: the HTML is held in the parts around
// it and each request's own token is put back in between.

declare module 'fastify' {
  interface FastifyInstance {
    /** the respondent form pages, one cache per app (decorated in app.ts) */
    renderedPages: RenderedPageCache;
  }
}

export interface KeptPage {
  /** the data the page was drawn from, as the database fingerprints it */
  fingerprint: string;
  /** the moment the same data would draw a different page (the deadline passing), as epoch ms; Infinity when none */
  validUntil: number;
  /** PGlite: DatabaseHandle.writes() when the data was last read or checked (unchanged since when it still is) */
  writes?: number;
  /** the HTML around each occurrence of the CSRF token */
  parts: Buffer[];
  bytes: number;
}

export class RenderedPageCache {
  private readonly entries = new Map<string, KeptPage>();
  private bytes = 0;
  /** how many pages were drawn and kept, and how many were sent as kept (tests and the bench read them) */
  kept = 0;
  served = 0;

  /** maxBytes: the HTML held at most (least recently used pages go first); 0 keeps nothing */
  constructor(readonly maxBytes: number) {}

  /** The page kept under this key that is still valid at `now` (its fingerprint is for the caller to check). */
  peek(key: string, now: Date): KeptPage | undefined {
    const page = this.entries.get(key);
    if (!page) return undefined;
    if (now.getTime() >= page.validUntil) {
      this.remove(key);
      return undefined;
    }
    return page;
  }

  /** The page's bytes with this request's token, counted as served from the cache; moves it to the recent end. */
  take(key: string, page: KeptPage, token: string): Buffer {
    this.entries.delete(key);
    this.entries.set(key, page);
    this.served++;
    return assemble(page.parts, token);
  }

  keep(key: string, page: { fingerprint: string; writes?: number; validUntil?: Date; html: string; token: string }): void {
    this.remove(key);
    const parts = page.html.split(page.token).map((part) => Buffer.from(part));
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { fingerprint: page.fingerprint, writes: page.writes, validUntil: page.validUntil?.getTime() ?? Infinity, parts, bytes });
    this.bytes += bytes;
    this.kept++;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  remove(key: string): void {
    const page = this.entries.get(key);
    if (!page) return;
    this.entries.delete(key);
    this.bytes -= page.bytes;
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.entries.size, bytes: this.bytes };
  }
}

function assemble(parts: Buffer[], token: string): Buffer {
  if (parts.length === 1) return parts[0];
  const between = Buffer.from(token);
  const pieces: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) pieces.push(between);
    pieces.push(part);
  });
  return Buffer.concat(pieces);
}
