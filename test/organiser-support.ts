// Helpers of the organiser console tests: accounts and a page's visible text. The browser (cookies, CSRF
// token, forms) lives in support/browser.ts and is re-exported here under its old names.
import { hashPassword } from '../server/lib/passwords.js';
import { createOrganiser } from '../server/repositories/organisers.js';
import type { TestContext } from './helper.js';

export { Browser, csrfTokenOf } from './support/browser.js';

export async function createAccount(ctx: TestContext, email: string, password: string, role: 'admin' | 'staff' = 'admin') {
  return createOrganiser(ctx.database.db, { email, passwordHash: await hashPassword(password), role });
}

/** The page's visible text without tags (for assertions on what a user reads). */
export function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}
