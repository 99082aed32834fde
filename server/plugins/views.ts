// Server-rendered pages: Handlebars templates in ../templates (layout + partials), static assets at /assets.
import { readdirSync, readFileSync } from 'node:fs';
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

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A partial rendered on its own (as a template, with the pages' helpers and partials), for HTML a route assembles
     * itself (routes/pages/respondent/measure-table.ts); compiled once, on first use.
     */
    renderPartial: (name: string, context: unknown) => string;
  }
}

async function viewsPlugin(app: FastifyInstance, opts: { production: boolean }) {
  installBidiClosingEscape();
  const handlebars = Handlebars.create();
  registerHelpers(handlebars);
  const partials = partialsIn('partials');
  // registered here as well as by @fastify/view (which does so in production only, before its first page)
  for (const [name, file] of Object.entries(partials)) handlebars.registerPartial(name, readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'));
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  app.decorate('renderPartial', (name: string, context: unknown) => {
    let template = compiled.get(name);
    if (!template) {
      if (!partials[name]) throw new Error(`no partial ${name}`);
      template = handlebars.compile(readFileSync(path.join(TEMPLATES_DIR, partials[name]), 'utf8'));
      compiled.set(name, template);
    }
    return template(context);
  });
  await app.register(view, {
    engine: { handlebars },
    root: TEMPLATES_DIR,
    layout: 'layouts/main.hbs',
    options: { partials },
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
