// Server-rendered pages: Handlebars templates in ../templates (layout + partials), static assets at /assets.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import Handlebars from 'handlebars';
import { closeBidi } from '../lib/bidi.js';
import { registerHelpers } from '../views/helpers.js';

import { TEMPLATES_DIR } from '../paths.js';

function partialsIn(dir: string): Record<string, string> {
  const partials: Record<string, string> = {};
  for (const file of readdirSync(path.join(TEMPLATES_DIR, dir))) {
    if (file.endsWith('.hbs')) partials[file.replace(/\.hbs$/, '')] = `${dir}/${file}`;
  }
  return partials;
}

/**
 * Every {{value}} in a page goes through Handlebars' one escape function, which has no per-instance hook: this wraps
 * it (once, when the pages plugin starts: the one place it happens) so that a value's bidi controls are closed too and
 * an RTL override never reorders the page. Mail is rendered with noEscape and closes them itself (lib/bidi.ts), so
 * importing mail code never changes how anything is escaped.
 */
export function installBidiClosingEscape(): void {
  const utils = Handlebars.Utils as unknown as { escapeExpression: ((value: unknown) => string) & { closesBidi?: boolean } };
  if (utils.escapeExpression.closesBidi) return;
  const htmlEscape = utils.escapeExpression;
  utils.escapeExpression = Object.assign((value: unknown) => closeBidi(htmlEscape(value)), { closesBidi: true });
}

async function viewsPlugin(app: FastifyInstance, opts: { production: boolean }) {
  installBidiClosingEscape();
  const handlebars = Handlebars.create();
  registerHelpers(handlebars);
  await app.register(view, {
    engine: { handlebars },
    root: TEMPLATES_DIR,
    layout: 'layouts/main.hbs',
    options: { partials: partialsIn('partials') },
    production: opts.production,
    defaultContext: { siteName: '中核市情報化推進計画調査システム' },
  });
  await app.register(fastifyStatic, {
    root: path.join(TEMPLATES_DIR, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: opts.production ? '1h' : 0,
  });
}

export default fp(viewsPlugin, { name: 'views' });
