// Where the app's own files are, resolved from this file (not from the working directory), so that a start from any
// folder finds them. Nothing outside the repository is ever read.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Handlebars pages, partials and mail texts; static assets in its assets/ folder. */
export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');
export const MAIL_TEMPLATES_DIR = path.join(TEMPLATES_DIR, 'mail');
/** Kysely migrations, date-prefixed and frozen once released. */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');
