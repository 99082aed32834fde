// Plain-text mail templates in templates/mail/*.hbs: the first line is 「件名: …」, then a blank line, then the body.
// Rendered without HTML escaping (text/plain), so a value can never turn into markup in a mail client.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { closeBidiIn } from '../lib/bidi.js';
import { registerHelpers } from '../views/helpers.js';
import { MAIL_TEMPLATES_DIR } from '../paths.js';

const hbs = Handlebars.create();
registerHelpers(hbs);
const cache = new Map<string, { subject: HandlebarsTemplateDelegate; body: HandlebarsTemplateDelegate }>();

export interface RenderedMail {
  subject: string;
  text: string;
}

/** Splits 「件名: …」 from the body of a rendered template. */
export function splitSubject(rendered: string): RenderedMail {
  const match = /^件名[:：]\s*(.*)\r?\n\r?\n?([\s\S]*)$/.exec(rendered);
  if (!match) return { subject: '', text: rendered };
  return { subject: match[1].replace(/[\r\n]+/g, ' ').trim(), text: match[2] };
}

export function renderMailTemplate(name: string, data: Record<string, unknown>): RenderedMail {
  let template = cache.get(name);
  if (!template) {
    // The subject line is split off the template before any value goes in: a value with a line break
    // (a survey title sent through the API) must not move the rest of the subject into the body.
    const source = splitSubject(readFileSync(path.join(MAIL_TEMPLATES_DIR, `${name}.hbs`), 'utf8'));
    template = { subject: hbs.compile(source.subject, { noEscape: true, strict: false }), body: hbs.compile(source.text, { noEscape: true, strict: false }) };
    cache.set(name, template);
  }
  const values = closeBidiIn(data);
  return { subject: template.subject(values).replace(/[\r\n]+/g, ' ').trim(), text: template.body(values) };
}
