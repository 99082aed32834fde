// CSRF protection for every cookie-authenticated form POST (double-submit: a signed secret cookie and a
// token in the form's hidden `_csrf` field). Pages call reply.generateCsrf() and put the token in the form;
// form routes add `preHandler: app.csrfProtection` (the token arrives in the parsed body, so not onRequest).
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

async function csrfPlugin(app: FastifyInstance) {
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: '_csrf',
    // Secure under an https PUBLIC_URL, as the session cookie (passing cookieOpts replaces the plugin's defaults).
    cookieOpts: { httpOnly: true, sameSite: 'lax', path: '/', signed: true, secure: app.config.publicUrl.startsWith('https:') },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf ?? (request.headers['x-csrf-token'] as string | undefined),
    csrfOpts: { hmacKey: app.config.jwtSecret },
  });
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['auth'] });
